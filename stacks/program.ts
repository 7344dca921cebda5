import * as pulumi from "@pulumi/pulumi";
import { standardTags } from "../components/internal/tags";
import { StageConfig } from "./config";
import { createLogBucket } from "./log-bucket";
import { createNetwork, placeholderNetwork } from "./network";
import { networkNeeds } from "./network-needs";
import { databasePart } from "./parts/database";
import { databaseAccessPart } from "./parts/database-access";
import { dnsPart } from "./parts/dns";
import { siteDistributionId, sitePart } from "./parts/site";
import { webPart } from "./parts/web";
import { StageContext, StackOutputs, StagePart } from "./stage-context";
import { attachStageKeyPolicy, createStageKey, placeholderStageKeyArn } from "./stage-key";

/**
 * The components of a stage, in dependency order. Each component's part
 * lives in `stacks/parts/` and is added here when the component lands.
 */
export const stageParts: StagePart[] = [dnsPart, databasePart, webPart, sitePart, databaseAccessPart];

/**
 * The whole program for one stage: network first, then every part.
 * Returns the stack outputs. Reads nothing but `config`, so the offline plan
 * and the tests run it exactly as `pulumi up` does.
 */
export function runProgram(config: StageConfig): StackOutputs {
    const app = pulumi.getProject();
    // Every part's settings are checked before the first resource exists, so
    // a typo in the last part cannot leave a half-created stage behind.
    const beforeCreation: StageContext = { config, app, network: placeholderNetwork(config.network), kmsKeyArn: placeholderStageKeyArn(config), components: {} };
    for (const part of stageParts) part.validate(beforeCreation);

    const tags = standardTags({ app, stage: config.stage }, "network", config.tags);
    const network = createNetwork(`${config.stage}-vpc`, config.network, config.region, tags, networkNeeds(config));
    // Production: one log bucket for the stage's access logs (issue 10, checklist rules 6 and 11).
    const logBucket = config.production ? createLogBucket(config.stage, standardTags({ app, stage: config.stage }, "logs", config.tags)) : undefined;
    // Before the parts: each encrypts its data with the production stage's key.
    const stageKey = createStageKey(app, config);
    const context: StageContext = { config, app, network, kmsKeyArn: stageKey?.arn, components: {}, accessLogs: logBucket?.accessLogs };
    const outputs: StackOutputs = {
        stage: config.stage,
        layout: config.layout,
        region: config.region,
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        natGatewayCount: network.natGatewayCount,
        ...(logBucket ? { logBucketName: logBucket.bucket.bucket } : {}),
    };
    for (const part of stageParts) Object.assign(outputs, part.deploy(context));
    if (stageKey) {
        // After the parts: the policy names the site's distribution, which needs the key first.
        attachStageKeyPolicy(config.stage, stageKey, [siteDistributionId(context)]);
        Object.assign(outputs, { stageKeyArn: stageKey.arn, stageKeyAlias: stageKey.alias.name });
    }
    return outputs;
}
