/**
 * The webstack Pulumi program (`pulumi up` runs this for the selected stage).
 * Everything that differs between stages is in Pulumi.<stage>.yaml.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseStageConfig } from "./config";
import { engineSecretKeys } from "./config/secret-keys";
import { runProgram } from "./program";

const config = pulumi.runtime.allConfig();
const stageConfig = parseStageConfig(config, pulumi.getStack(), engineSecretKeys(config));
for (const warning of stageConfig.warnings) void pulumi.log.warn(warning);
export = runProgram(stageConfig);
