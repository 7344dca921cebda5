import * as pulumi from "@pulumi/pulumi";

/** Where clients connect and where the password is, the same in both modes. */
export interface DatabaseEndpoint {
    host: pulumi.Output<string>;
    port: pulumi.Output<number>;
    /**
     * The Secrets Manager secret holding the application user's password: a
     * JSON object with `username` and `password` keys in both modes.
     */
    passwordSecretArn: pulumi.Output<string>;
    /** rds mode: RDS's managed master user secret, for administration only. */
    masterSecretArn?: pulumi.Output<string>;
}
