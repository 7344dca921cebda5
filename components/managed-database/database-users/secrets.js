"use strict";
// The three Secrets Manager calls the database-users function makes, over a
// `send(operation, input)` transport: in Lambda the runtime's AWS SDK
// (handler.js), in tests a plain JSON request to a local Secrets Manager
// emulator. Inputs and outputs use the API's own member names, which the
// SDK's commands share (Secrets Manager API Reference: GetSecretValue,
// PutSecretValue, GetRandomPassword).

/** Characters a password never contains: none, since punctuation is excluded altogether (see randomPassword). */
const PASSWORD_LENGTH = 32;

function secretsClient(send) {
    return {
        /**
         * The secret's current value, or null when the secret has none yet.
         * GetSecretValue on a secret without a version fails with
         * ResourceNotFoundException ("can't find the specified secret value
         * for staging label: AWSCURRENT").
         */
        async currentValue(secretId) {
            try {
                const answer = await send("GetSecretValue", { SecretId: secretId });
                return answer.SecretString ?? null;
            } catch (error) {
                if (error && error.name === "ResourceNotFoundException") return null;
                throw error;
            }
        },
        async putValue(secretId, secretString) {
            await send("PutSecretValue", { SecretId: secretId, SecretString: secretString });
        },
        /**
         * 32 letters and digits (about 190 bits): no punctuation, so the
         * password never needs escaping in a connection string, a URL or a
         * shell, and SCRAM's SASLprep leaves it as it is.
         */
        async randomPassword() {
            const answer = await send("GetRandomPassword", {
                PasswordLength: PASSWORD_LENGTH,
                ExcludePunctuation: true,
                IncludeSpace: false,
                RequireEachIncludedType: true,
            });
            return answer.RandomPassword;
        },
    };
}

module.exports = { secretsClient, PASSWORD_LENGTH };
