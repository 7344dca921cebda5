import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { deployCommands } from "../host/boot-command";

/** The document parameter carrying the release settings' revision (sha256). */
export const REVISION_PARAMETER = "releaseRevision";

/**
 * Seconds the deploy step may take before the watch window: boot wait,
 * downloads, npm ci, the health gate (60 s), the nginx drain (60 s) and a
 * drain back on a failed watch (60 s).
 */
export const DEPLOY_STEP_BASE_SECONDS = 1200;

/**
 * The deploy step's timeout: the base plus the watch window, which every
 * in-place deploy now waits out. SSM stops a step at its `timeoutSeconds`
 * and marks the command failed (AWS-RunShellScript "executionTimeout":
 * default 3600, maximum 172800 seconds), so a window that does not fit would
 * kill the switch mid-watch (resume then finishes it, see release-switch.sh).
 */
export function deployStepTimeoutSeconds(watchSeconds: number): number {
    return DEPLOY_STEP_BASE_SECONDS + watchSeconds;
}

/** The SSM Command document content (schema 2.2) that deploys the current release. */
export function renderDeployDocument(name: string, settingsParameter: string, region: string, watchSeconds = 0): string {
    return JSON.stringify(
        {
            schemaVersion: "2.2",
            description: `Deploy the current release of web tier ${name} (release switch).`,
            parameters: {
                [REVISION_PARAMETER]: {
                    type: "String",
                    description: "sha256 of the release settings parameter's value; a new value re-runs the deploy.",
                    allowedPattern: "^[0-9a-f]{64}$",
                },
            },
            mainSteps: [
                {
                    action: "aws:runShellScript",
                    name: "deployRelease",
                    inputs: {
                        timeoutSeconds: String(deployStepTimeoutSeconds(watchSeconds)),
                        runCommand: [
                            // On a new instance the association can fire while
                            // the user data is still installing Node and nginx.
                            "cloud-init status --wait > /dev/null || true",
                            ...deployCommands(settingsParameter, region, `{{ ${REVISION_PARAMETER} }}`),
                        ],
                    },
                },
            ],
        },
        null,
        2,
    );
}

export interface DeployAssociationArgs {
    settingsParameter: string;
    region: pulumi.Input<string>;
    instanceId: pulumi.Input<string>;
    /** sha256 of the current settings. */
    revision: pulumi.Input<string>;
    /** The release switch's watch window (`deploy.watchSeconds`); the step timeout grows by it. */
    watchSeconds: number;
    tags: Record<string, string>;
    /** The settings parameter: the association must run after it holds the new release. */
    dependsOn: pulumi.Resource[];
}

/**
 * In-place deploys without replacing the instance: a Command document that
 * runs the deploy script, and a State Manager association that runs it on
 * the instance with the settings' revision as a parameter.
 *
 * Why an association re-runs on a new release: "By default, when you create
 * a new or update associations, the system runs it immediately"
 * (`applyOnlyAtCronInterval` in @pulumi/aws ssm/association.d.ts, and the
 * SSM API reference for UpdateAssociation, ApplyOnlyAtCronInterval). A new
 * release changes the revision parameter, which is an update of the
 * association, so `pulumi up` deploys it. `applyOnlyAtCronInterval` is set
 * to false explicitly because setting it would silently stop deploys.
 */
export function createDeployAssociation(name: string, args: DeployAssociationArgs, parent: pulumi.Resource) {
    const document = new aws.ssm.Document(
        `${name}-deploy`,
        {
            documentType: "Command",
            documentFormat: "JSON",
            targetType: "/AWS::EC2::Instance",
            content: pulumi.output(args.region).apply((region) => renderDeployDocument(name, args.settingsParameter, region, args.watchSeconds)),
            tags: args.tags,
        },
        { parent },
    );
    const association = new aws.ssm.Association(
        `${name}-deploy`,
        {
            name: document.name,
            // Follow the document's newest version, so a changed deploy script
            // is also an association update (and runs).
            documentVersion: document.latestVersion,
            targets: [{ key: "InstanceIds", values: [args.instanceId] }],
            parameters: { [REVISION_PARAMETER]: args.revision },
            applyOnlyAtCronInterval: false,
            complianceSeverity: "HIGH",
            tags: args.tags,
        },
        { parent, dependsOn: args.dependsOn },
    );
    return { document, association };
}
