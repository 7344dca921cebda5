/**
 * The webstack Pulumi program (`pulumi up` runs this for the selected stage).
 * Everything that differs between stages is in Pulumi.<stage>.yaml.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseStageConfig } from "./config";
import { runProgram } from "./program";

export = runProgram(parseStageConfig(pulumi.runtime.allConfig(), pulumi.getStack()));
