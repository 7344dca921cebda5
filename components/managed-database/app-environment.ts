import * as pulumi from "@pulumi/pulumi";

/**
 * The environment variables the web tier gives the application. The
 * password is passed by reference: the app (or its start script) reads
 * `DB_PASSWORD_SECRET_ARN` from Secrets Manager — a JSON object whose
 * `password` key is the password — so the value never reaches user data,
 * Beanstalk settings or Pulumi state.
 *
 * A type alias, not an interface, so it can be passed where an environment
 * map (`Record<string, Input<string>>`) is expected, e.g. WebTier's
 * `app.environment`.
 */
export type DatabaseEnvironment = {
    DB_ENGINE: pulumi.Output<string>;
    DB_HOST: pulumi.Output<string>;
    DB_PORT: pulumi.Output<string>;
    DB_NAME: pulumi.Output<string>;
    DB_USER: pulumi.Output<string>;
    DB_PASSWORD_SECRET_ARN: pulumi.Output<string>;
}

export function databaseEnvironment(outputs: {
    engine: pulumi.Input<string>;
    host: pulumi.Input<string>;
    port: pulumi.Input<number>;
    databaseName: pulumi.Input<string>;
    username: pulumi.Input<string>;
    passwordSecretArn: pulumi.Input<string>;
}): DatabaseEnvironment {
    return {
        DB_ENGINE: pulumi.output(outputs.engine),
        DB_HOST: pulumi.output(outputs.host),
        DB_PORT: pulumi.output(outputs.port).apply(String),
        DB_NAME: pulumi.output(outputs.databaseName),
        DB_USER: pulumi.output(outputs.username),
        DB_PASSWORD_SECRET_ARN: pulumi.output(outputs.passwordSecretArn),
    };
}
