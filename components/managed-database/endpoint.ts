import * as pulumi from "@pulumi/pulumi";

/** Where clients connect and where the password is, the same in both modes. */
export interface DatabaseEndpoint {
    host: pulumi.Output<string>;
    port: pulumi.Output<number>;
    /**
     * The Secrets Manager secret holding the password: a JSON object with
     * `username` and `password` keys in both modes.
     */
    passwordSecretArn: pulumi.Output<string>;
}
