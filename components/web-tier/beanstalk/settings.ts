import type { ResolvedBeanstalk } from "./args";

/**
 * One option setting of a Beanstalk environment, in the form the provider
 * reads back: `value` a string exactly as the API returns it, `resource`
 * only on a scheduled action, where it is the action's name.
 */
export interface BeanstalkSetting {
    namespace: string;
    name: string;
    value: string;
    /** Scheduled actions only: the provider sends `resource` for no other namespace. */
    resource?: string;
}

/** What the settings need besides the resolved args: the network, the roles and the app's values, all known. */
export interface BeanstalkSettingsInputs {
    vpcId: string;
    publicSubnetIds: string[];
    /** Private subnets with NAT for the instances; without them the instances go to the public subnets with a public address. */
    privateSubnetIds?: string[];
    instanceType: string;
    rootVolumeGiB: number;
    healthCheckPath: string;
    /** The instance profile's name. */
    instanceProfileName: string;
    /** The service role's name (enhanced health, managed updates). */
    serviceRoleName: string;
    /** The app servers' security group (and the extra groups, e.g. a database's client group). */
    securityGroupIds: string[];
    /** Plain environment variables. */
    environment: Record<string, string>;
    /** Env name -> ARN of an SSM parameter or Secrets Manager secret. */
    secretArns: Record<string, string>;
    /** With a domain: the regional ACM certificate of the 443 listener. */
    certificateArn?: string;
    /** The load balancer's own security group (who may reach it: CloudFront only behind a distribution). */
    loadBalancerSecurityGroupId?: string;
}

/** The ALB's TLS policy, the same as autoscaling mode's (TLS 1.3 and 1.2, no older). */
export const BEANSTALK_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * Below `cpuTargetPercent`, how many points lower the average CPU must fall
 * before an instance is removed: Beanstalk's trigger is a pair of alarms
 * (Upper/LowerThreshold), not target tracking, and a gap keeps it from
 * adding and removing an instance in turn.
 */
const SCALE_IN_GAP = 30;

/**
 * The environment's option settings: sorted by namespace, name and
 * resource, one per (namespace, name, resource), every value a string in
 * the form the API returns (booleans "true"/"false", whole numbers "2",
 * lists joined by "," in sorted order), so `pulumi up` reports no change
 * when nothing changed (pulumi/pulumi-aws#920, #878; reference web-tier.md
 * §4). `resource` is left out outside scheduled actions: the provider sends
 * it to Beanstalk for no other namespace (hashicorp/terraform#7398) and reads
 * a missing one as "", and CloudFormation's schema, which awscheck applies,
 * refuses an empty ResourceName (minimum length 1).
 *
 * How the provider compares (terraform-provider-aws
 * internal/service/elasticbeanstalk/environment.go, which @pulumi/aws
 * bridges): on read it keeps only the settings the program names, keyed by
 * namespace, name and (for `aws:autoscaling:scheduledaction` only) the
 * resource; it hashes each value with its comma-separated parts sorted, sorts
 * Subnets/ELBSubnets and drops Beanstalk's generated `awseb…` group from
 * SecurityGroups. So a value must be the API's own spelling, and the app's
 * group must not be named `awseb…` (it is auto-named `<name>-app-sg-…`).
 *
 * Left out on purpose, because the service rewrites or fills them and a
 * value here would show as a change: the launch-configuration
 * `InstanceType` (Beanstalk moved it to `aws:ec2:instances InstanceTypes`,
 * which is used instead), defaults Beanstalk writes itself (batch sizes,
 * timeouts, the ALB's security groups), and PORT (the Node.js platform sets
 * it to 8080 for nginx's upstream).
 *
 * Namespaces and names: Elastic Beanstalk developer guide, "General options
 * for all environments" (command-options-general), except
 * `aws:elasticbeanstalk:application:environmentsecrets` ("Fetching secrets
 * and parameters to Elastic Beanstalk environment variables").
 */
export function beanstalkSettings(beanstalk: ResolvedBeanstalk, inputs: BeanstalkSettingsInputs): BeanstalkSetting[] {
    const settings: BeanstalkSetting[] = [];
    const add = (namespace: string, name: string, value: string | number | boolean, resource?: string) =>
        settings.push({ namespace, name, value: String(value), ...(resource !== undefined ? { resource } : {}) });
    const list = (values: string[]) => [...values].sort().join(",");
    const privateSubnets = inputs.privateSubnetIds !== undefined && inputs.privateSubnetIds.length > 0;

    // aws:ec2:vpc: instances in the private subnets (NAT for the way out), the ALB in the public ones.
    add("aws:ec2:vpc", "VPCId", inputs.vpcId);
    add("aws:ec2:vpc", "Subnets", list(privateSubnets ? inputs.privateSubnetIds! : inputs.publicSubnetIds));
    add("aws:ec2:vpc", "ELBSubnets", list(inputs.publicSubnetIds));
    // Without private subnets the instances need a public address to reach S3, SSM and the platform's packages.
    add("aws:ec2:vpc", "AssociatePublicIpAddress", !privateSubnets);
    add("aws:ec2:vpc", "ELBScheme", "public");

    // aws:elasticbeanstalk:environment: an ALB (the API's default is a classic load balancer), which traffic splitting needs.
    add("aws:elasticbeanstalk:environment", "EnvironmentType", "LoadBalanced");
    add("aws:elasticbeanstalk:environment", "LoadBalancerType", "application");
    add("aws:elasticbeanstalk:environment", "ServiceRole", inputs.serviceRoleName);

    // aws:ec2:instances InstanceTypes replaces the launch configuration's InstanceType.
    add("aws:ec2:instances", "InstanceTypes", inputs.instanceType);
    // aws:autoscaling:launchconfiguration: IMDSv2 only, an encrypted-by-default gp3 root, the profile, the app's group.
    add("aws:autoscaling:launchconfiguration", "DisableIMDSv1", true);
    add("aws:autoscaling:launchconfiguration", "IamInstanceProfile", inputs.instanceProfileName);
    add("aws:autoscaling:launchconfiguration", "RootVolumeSize", inputs.rootVolumeGiB);
    add("aws:autoscaling:launchconfiguration", "RootVolumeType", "gp3");
    add("aws:autoscaling:launchconfiguration", "SecurityGroups", list(inputs.securityGroupIds));

    // aws:autoscaling:asg and :trigger: sizes and CPU scaling.
    add("aws:autoscaling:asg", "MinSize", beanstalk.minSize);
    add("aws:autoscaling:asg", "MaxSize", beanstalk.maxSize);
    add("aws:autoscaling:trigger", "MeasureName", "CPUUtilization");
    add("aws:autoscaling:trigger", "Statistic", "Average");
    add("aws:autoscaling:trigger", "Unit", "Percent");
    add("aws:autoscaling:trigger", "UpperThreshold", beanstalk.cpuTargetPercent);
    add("aws:autoscaling:trigger", "LowerThreshold", Math.max(5, beanstalk.cpuTargetPercent - SCALE_IN_GAP));

    // aws:autoscaling:scheduledaction: the only namespace whose `resource` names something (the action).
    for (const schedule of beanstalk.schedules) {
        add("aws:autoscaling:scheduledaction", "Recurrence", schedule.recurrence, schedule.name);
        // A schedule that raises MinSize above the environment's MaxSize raises MaxSize with it (as autoscaling mode's checks allow), else Auto Scaling refuses the action.
        const maxSize = schedule.maxSize ?? (schedule.minSize !== undefined && schedule.minSize > beanstalk.maxSize ? schedule.minSize : undefined);
        const sizes = { MinSize: schedule.minSize, MaxSize: maxSize, DesiredCapacity: schedule.desiredCapacity };
        for (const [size, value] of Object.entries(sizes)) {
            if (value !== undefined) add("aws:autoscaling:scheduledaction", size, value, schedule.name);
        }
    }

    // The default process (nginx on port 80 in front of the app) is what the ALB checks.
    add("aws:elasticbeanstalk:environment:process:default", "HealthCheckPath", inputs.healthCheckPath);
    add("aws:elasticbeanstalk:environment:process:default", "MatcherHTTPCode", "200");

    // Deploys.
    add("aws:elasticbeanstalk:command", "DeploymentPolicy", beanstalk.deploymentPolicy);
    if (beanstalk.trafficSplitting) {
        add("aws:elasticbeanstalk:trafficsplitting", "NewVersionPercent", beanstalk.trafficSplitting.percent);
        add("aws:elasticbeanstalk:trafficsplitting", "EvaluationTime", beanstalk.trafficSplitting.evaluationMinutes);
    }

    // Managed platform updates (minor and patch) in a weekly window, with the service role.
    add("aws:elasticbeanstalk:managedactions", "ManagedActionsEnabled", true);
    add("aws:elasticbeanstalk:managedactions", "PreferredStartTime", beanstalk.updateWindow);
    add("aws:elasticbeanstalk:managedactions", "ServiceRoleForManagedUpdates", inputs.serviceRoleName);
    add("aws:elasticbeanstalk:managedactions:platformupdate", "UpdateLevel", "minor");

    // Enhanced health reporting and the instance logs in CloudWatch Logs, kept after the environment is gone.
    add("aws:elasticbeanstalk:healthreporting:system", "SystemType", "enhanced");
    add("aws:elasticbeanstalk:cloudwatch:logs", "StreamLogs", true);
    add("aws:elasticbeanstalk:cloudwatch:logs", "RetentionInDays", beanstalk.logRetentionDays);
    add("aws:elasticbeanstalk:cloudwatch:logs", "DeleteOnTerminate", false);

    // The app's environment: plain values, and secrets only as ARNs Beanstalk resolves on the instance.
    for (const [name, value] of Object.entries(inputs.environment)) add("aws:elasticbeanstalk:application:environment", name, value);
    for (const [name, arn] of Object.entries(inputs.secretArns)) add("aws:elasticbeanstalk:application:environmentsecrets", name, arn);

    // The load balancer gets the component's group instead of the one Beanstalk would make open to
    // the internet; as its ManagedSecurityGroup, Beanstalk admits it into the instances' group
    // ("General options for all environments", aws:elbv2:loadbalancer).
    if (inputs.loadBalancerSecurityGroupId !== undefined) {
        add("aws:elbv2:loadbalancer", "ManagedSecurityGroup", inputs.loadBalancerSecurityGroupId);
        add("aws:elbv2:loadbalancer", "SecurityGroups", inputs.loadBalancerSecurityGroupId);
    }

    // HTTPS on 443 with the regional certificate; HTTP on the default listener is redirected (https-redirect.ts).
    if (inputs.certificateArn !== undefined) {
        add("aws:elbv2:listener:443", "Protocol", "HTTPS");
        add("aws:elbv2:listener:443", "SSLCertificateArns", inputs.certificateArn);
        add("aws:elbv2:listener:443", "SSLPolicy", BEANSTALK_TLS_POLICY);
    }
    return sortSettings(settings);
}

/** Sorted by namespace, name, resource; a second setting with the same key is a bug, not something to drop silently. */
export function sortSettings(settings: BeanstalkSetting[]): BeanstalkSetting[] {
    const key = (s: BeanstalkSetting) => `${s.namespace}\u0000${s.name}\u0000${s.resource ?? ""}`;
    const sorted = [...settings].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    for (let i = 1; i < sorted.length; i++) {
        if (key(sorted[i]) === key(sorted[i - 1])) throw new Error(`duplicate Beanstalk setting ${sorted[i].namespace} ${sorted[i].name} ${sorted[i].resource ?? ""}`);
    }
    return sorted;
}
