/**
 * The webstack Pulumi program (`pulumi up` runs this for the selected stage).
 * Everything that differs between stages is in Pulumi.<stage>.yaml.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseStageConfig } from "./config";
import { engineSecretKeys } from "./config/secret-keys";
import { runProgram } from "./program";

const config = pulumi.runtime.allConfig();
export = runProgram(parseStageConfig(config, pulumi.getStack(), engineSecretKeys(config)));
