import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { invalid } from "../../internal/errors";

/**
 * Node.js majors with an Elastic Beanstalk platform branch on Amazon Linux
 * 2023 ("Node.js platform history", Elastic Beanstalk platforms guide, the
 * versions current since 2026-03-31: "64bit Amazon Linux 2023 v6.10.0
 * running Node.js 24", "… 22", "… 20"; Node.js 18 was retired on
 * 2025-08-11, release notes "release-2025-08-11-nodejs18-retire"). Checked
 * before any resource so an unsupported version fails with a ConfigError;
 * the look-up below still picks the newest platform version at deploy time.
 */
export const BEANSTALK_NODE_VERSIONS = [20, 22, 24] as const;

/** Refuses a Node.js major that has no AL2023 Beanstalk platform. */
export function checkBeanstalkNodeVersion(nodeVersion: unknown): number {
    if (!(BEANSTALK_NODE_VERSIONS as readonly unknown[]).includes(nodeVersion)) {
        invalid("app.nodeVersion", nodeVersion, "Elastic Beanstalk has no Amazon Linux 2023 platform for this Node.js version", `use one of ${BEANSTALK_NODE_VERSIONS.join(", ")}`);
    }
    return nodeVersion as number;
}

/** The solution stack names of one Node.js major on AL2023, any platform version ("64bit Amazon Linux 2023 v6.10.0 running Node.js 24"). */
export function solutionStackPattern(nodeVersion: number): string {
    return `^64bit Amazon Linux 2023 v[0-9]+\\.[0-9]+\\.[0-9]+ running Node\\.js ${nodeVersion}$`;
}

/**
 * The newest platform version of that branch, looked up at every `pulumi
 * up` (never a hard-coded string: Beanstalk retires old versions). A newer
 * one appearing changes `solutionStackName`, which Beanstalk applies as an
 * in-place platform update; managed updates move the environment within the
 * week anyway, so the two agree.
 */
export function latestNodeSolutionStack(nodeVersion: number, parent: pulumi.Resource): pulumi.Output<string> {
    return aws.elasticbeanstalk.getSolutionStackOutput({ nameRegex: solutionStackPattern(nodeVersion), mostRecent: true }, { parent }).name;
}
