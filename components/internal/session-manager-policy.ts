import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * What the SSM agent on an instance needs, granted instead of the AWS managed
 * policy AmazonSSMManagedInstanceCore. That policy also allows
 * ssm:GetParameter(s) on every parameter of the account and region (AWS
 * Managed Policy Reference, "AmazonSSMManagedInstanceCore", v2), which would
 * let any process on the instance read other stacks' settings and secrets.
 *
 * Kept from it, each for a reason:
 * - ssm:UpdateInstanceInformation and the four ssmmessages channel actions:
 *   the minimal Session Manager instance policy (Systems Manager user guide,
 *   "Step 2: Verify or add instance permissions for Session Manager" /
 *   "Create a custom IAM instance profile for Session Manager").
 * - ec2messages:*Message, GetEndpoint, SendReply: how the agent receives Run
 *   Command requests (user guide, "Reference: ec2messages, ssmmessages, and
 *   other API operations").
 * - ssm:ListInstanceAssociations, DescribeAssociation, GetDocument,
 *   DescribeDocument, UpdateInstanceAssociationStatus: how the agent finds,
 *   reads, runs and reports a State Manager association (the web tier
 *   redeploys through one). Only when `associationDocumentPrefixes` is given.
 * Left out: GetParameter(s) (each component grants its own parameters),
 * GetManifest / PutConfigurePackageResult (Distributor), PutInventory,
 * PutComplianceItems, GetDeployablePatchSnapshotForInstance (Patch Manager),
 * ListAssociations and UpdateAssociationStatus (older agent calls superseded
 * by the instance association calls above).
 */
export interface SessionManagerPolicyArgs {
    partition: pulumi.Input<string>;
    region: pulumi.Input<string>;
    accountId: pulumi.Input<string>;
    /**
     * Name prefixes of the SSM documents the instance's associations run, e.g.
     * `web-deploy-` for the auto-named document `web-deploy-1a2b3c4`. Empty or
     * absent: the role grants no association access (Session Manager and
     * Run Command only).
     * @default []
     * @example ["web-deploy-"]
     */
    associationDocumentPrefixes?: string[];
}

/**
 * Read actions that must keep `"Resource": "*"` because AWS defines no
 * resource type for them (Service Authorization Reference: "If there is no
 * value for this column, you must specify all resources ("*")"). Sources:
 * "Actions, resources, and condition keys for Amazon Message Delivery
 * Service" (ec2messages: no resource types for any action). Tests use this
 * list to allow exactly these and no other `*` read.
 */
export const READ_ACTIONS_WITHOUT_RESOURCE_TYPES: readonly string[] = ["ec2messages:GetEndpoint", "ec2messages:GetMessages"];

/** The statements (for aws.iam.getPolicyDocument) that let the SSM agent run Session Manager, Run Command and the given associations. */
export function sessionManagerStatements(args: SessionManagerPolicyArgs): pulumi.Input<aws.types.input.iam.GetPolicyDocumentStatementArgs>[] {
    const statements: pulumi.Input<aws.types.input.iam.GetPolicyDocumentStatementArgs>[] = [
        {
            // No resource types for ssmmessages (Service Authorization Reference,
            // "Amazon Session Manager Message Gateway Service"); UpdateInstanceInformation
            // is a write the agent makes about itself.
            sid: "SessionManagerChannels",
            actions: [
                "ssm:UpdateInstanceInformation",
                "ssmmessages:CreateControlChannel",
                "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenControlChannel",
                "ssmmessages:OpenDataChannel",
            ],
            resources: ["*"],
        },
        {
            sid: "RunCommandMessages",
            actions: [...READ_ACTIONS_WITHOUT_RESOURCE_TYPES, "ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage", "ec2messages:SendReply"],
            resources: ["*"],
        },
    ];
    const prefixes = args.associationDocumentPrefixes ?? [];
    if (prefixes.length > 0) {
        const arn = (service: string, resource: string) => pulumi.interpolate`arn:${args.partition}:${service}:${args.region}:${args.accountId}:${resource}`;
        // Association ids and the instance id are not known before the role
        // exists (the instance needs the role, the association needs the
        // instance), so these stay on this account and region's associations
        // and instances; the documents are this component's own.
        const associations = arn("ssm", "association/*");
        const instances = arn("ec2", "instance/*");
        const documents = prefixes.map((prefix) => arn("ssm", `document/${prefix}*`));
        statements.push(
            // ListInstanceAssociations: resource types instance, managed-instance.
            { sid: "ListOwnAssociations", actions: ["ssm:ListInstanceAssociations"], resources: [instances] },
            // DescribeAssociation: association, document, instance; UpdateInstanceAssociationStatus: association (required), instance.
            { sid: "RunOwnAssociations", actions: ["ssm:DescribeAssociation", "ssm:UpdateInstanceAssociationStatus"], resources: [associations, instances, ...documents] },
            // GetDocument, DescribeDocument: document (required).
            { sid: "ReadOwnDocuments", actions: ["ssm:GetDocument", "ssm:DescribeDocument"], resources: documents },
        );
    }
    return statements;
}

/** The ARN of the AWS managed key `alias/aws/ssm`, which encrypts SecureString parameters created without a key id. */
export function ssmDefaultKeyArn(parent: pulumi.Resource): pulumi.Output<string> {
    return aws.kms.getAliasOutput({ name: "alias/aws/ssm" }, { parent }).targetKeyArn;
}
