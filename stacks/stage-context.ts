import * as pulumi from "@pulumi/pulumi";
import { AccessLogs } from "../components/internal/access-logs";
import { StageConfig } from "./config";
import { Network } from "./network";

/**
 * What the program knows while it wires one stage: the resolved config, the
 * network, and the components created so far (a later part may use an
 * earlier one's outputs, e.g. the web tier uses the database's env vars).
 */
export interface StageContext {
    config: StageConfig;
    /** The application name (the Pulumi project); every resource is tagged with it. */
    app: string;
    network: Network;
    /**
     * The ARN of the stage's customer managed KMS key (stacks/stage-key.ts),
     * which every part passes to its component as `kmsKeyArn`. Production
     * stages only; undefined elsewhere (AWS managed keys). While the parts
     * validate, a placeholder key ARN.
     */
    kmsKeyArn?: pulumi.Input<string>;
    /** Components created by earlier parts, by part name. */
    components: Record<string, pulumi.ComponentResource>;
    /** The stage's log bucket (production stages only; see stacks/log-bucket.ts): every bucket and the distribution log there. */
    accessLogs?: AccessLogs;
}

/** Stack outputs one part contributes. */
export type StackOutputs = Record<string, pulumi.Input<unknown>>;

/**
 * One component's wiring into the program. Parts run in the order the
 * program lists them; each decides from the config whether it applies.
 */
export interface StagePart {
    name: string;
    /**
     * Checks the part's settings as its component will see them and throws a
     * ConfigError naming the stage setting (`webstack:<key>...`). Creates
     * nothing: the program validates every part before it creates any
     * resource. The context's network holds placeholder ids and
     * `components` is empty.
     */
    validate(context: StageContext): void;
    deploy(context: StageContext): StackOutputs;
}
