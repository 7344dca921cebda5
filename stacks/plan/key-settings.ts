/**
 * The few inputs the plan's tree shows for each resource type: enough to
 * review a stage at a glance (the full inputs are in `--json`).
 * Paths are dot-separated; a missing value is left out.
 */
export const keySettings: Record<string, string[]> = {
    "awsx:ec2:Vpc": ["cidrBlock", "numberOfAvailabilityZones", "natGateways.strategy"],
    "aws:ec2/vpc:Vpc": ["cidrBlock", "enableDnsHostnames"],
    "aws:ec2/subnet:Subnet": ["cidrBlock", "availabilityZone", "mapPublicIpOnLaunch"],
    "aws:ec2/route:Route": ["destinationCidrBlock", "gatewayId", "natGatewayId"],
    "aws:ec2/natGateway:NatGateway": ["subnetId", "connectivityType"],
    "aws:ec2/vpcEndpoint:VpcEndpoint": ["serviceName", "vpcEndpointType"],
    "pulumi:providers:aws": ["region"],
    "aws:acm/certificate:Certificate": ["domainName", "subjectAlternativeNames", "validationMethod"],
    "aws:route53/record:Record": ["name", "type", "allowOverwrite"],
    "aws:route53/zone:Zone": ["name"],
    "aws:cloudfront/distribution:Distribution": ["aliases", "priceClass", "httpVersion", "defaultCacheBehavior.viewerProtocolPolicy", "viewerCertificate.minimumProtocolVersion"],
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ["blockPublicPolicy", "restrictPublicBuckets"],
    "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration": ["indexDocument.suffix", "errorDocument.key"],
    "aws:cloudfront/function:Function": ["runtime"],
    "pulumi-nodejs:dynamic:Resource": ["digest", "fileCount", "launchTemplateVersion", "timeoutMinutes"],
    "aws:rds/instance:Instance": ["dbSubnetGroupName", "engine", "engineVersion", "allowMajorVersionUpgrade", "instanceClass", "multiAz", "storageEncrypted", "publiclyAccessible", "deletionProtection", "backupRetentionPeriod", "manageMasterUserPassword"],
    "aws:rds/parameterGroup:ParameterGroup": ["family"],
    "aws:cloudwatch/logGroup:LogGroup": ["name", "retentionInDays"],
    "aws:ebs/volume:Volume": ["size", "type", "encrypted", "finalSnapshot"],
    "aws:dlm/lifecyclePolicy:LifecyclePolicy": ["policyDetails.schedules.0.retainRule.interval", "policyDetails.schedules.0.retainRule.intervalUnit"],
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ["ipProtocol", "fromPort", "toPort", "cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"],
    "aws:ec2/instance:Instance": ["instanceType", "metadataOptions.httpTokens", "rootBlockDevice.volumeType", "rootBlockDevice.encrypted", "associatePublicIpAddress"],
    "aws:ec2/eip:Eip": ["domain"],
    "aws:s3/bucketObjectv2:BucketObjectv2": ["key"],
    "aws:ssm/parameter:Parameter": ["name", "type", "tags.ReleaseSha256"],
    "aws:ssm/association:Association": ["parameters.releaseRevision", "applyOnlyAtCronInterval"],
    // WebTier autoscaling: the fleet, its load balancer, scaling and rollout.
    "aws:ec2/launchTemplate:LaunchTemplate": ["instanceType", "metadataOptions.httpTokens", "metadataOptions.httpPutResponseHopLimit", "blockDeviceMappings.0.ebs.volumeType", "blockDeviceMappings.0.ebs.encrypted"],
    "aws:autoscaling/group:Group": ["minSize", "maxSize", "desiredCapacity", "healthCheckType", "healthCheckGracePeriod", "launchTemplate.version", "instanceRefresh.strategy", "instanceRefresh.preferences.minHealthyPercentage", "instanceRefresh.preferences.maxHealthyPercentage", "instanceRefresh.preferences.autoRollback"],
    "aws:autoscaling/policy:Policy": ["policyType", "targetTrackingConfiguration.targetValue"],
    "aws:autoscaling/schedule:Schedule": ["recurrence", "timeZone", "minSize", "maxSize", "desiredCapacity"],
    "aws:lb/loadBalancer:LoadBalancer": ["loadBalancerType", "internal", "ipAddressType", "dropInvalidHeaderFields", "desyncMitigationMode", "enableDeletionProtection", "idleTimeout", "accessLogs.enabled"],
    "aws:lb/targetGroup:TargetGroup": ["port", "protocol", "deregistrationDelay", "healthCheck.path", "healthCheck.matcher", "healthCheck.interval", "healthCheck.healthyThreshold", "healthCheck.unhealthyThreshold"],
    "aws:lb/listener:Listener": ["port", "protocol", "sslPolicy", "defaultActions.0.type", "defaultActions.0.redirect.statusCode"],
    "aws:lb/listenerRule:ListenerRule": ["priority", "conditions.0.httpHeader.httpHeaderName", "conditions.0.httpHeader.values"],
    "aws:wafv2/webAcl:WebAcl": ["scope"],
};

/**
 * Settings the tree shows that are not one input but read from several:
 * where a weighted listener sends its requests, and which release a
 * where a weighted listener sends its requests (with the settings
 * parameters' `ReleaseSha256` tags, a blue/green plan says which color
 * serves which release, and with what share).
 */
const derivedSettings: Record<string, (inputs: Record<string, unknown>) => string[]> = {
    "aws:lb/listener:Listener": (inputs) => {
        const groups = valueAtPath(inputs, "defaultActions.0.forward.targetGroups");
        if (!Array.isArray(groups)) return [];
        // ELB target group ARNs end in targetgroup/<name>/<id> (the harness's in :<name>).
        const nameOf = (arn: unknown) => /targetgroup\/([^/]+)\//.exec(String(arn))?.[1] ?? String(arn).split(":").pop();
        return [`weights=${groups.map((group: { arn?: unknown; weight?: unknown }) => `${nameOf(group.arn)} ${String(group.weight)} %`).join(", ")}`];
    },
};

function valueAtPath(inputs: Record<string, unknown>, dottedPath: string): unknown {
    let current: unknown = inputs;
    for (const key of dottedPath.split(".")) {
        if (typeof current !== "object" || current === null) return undefined;
        current = (current as Record<string, unknown>)[key];
    }
    return current;
}

/** The marker after a value AWS computes at deploy time: the plan shows the harness's stand-in. */
export const COMPUTED_MARKER = "(computed)";

/**
 * `key=value` pairs for one resource's key settings; a value that holds
 * something AWS computes (see PlannedResource.computed) is followed by
 * {@link COMPUTED_MARKER}.
 */
export function describeSettings(type: string, inputs: Record<string, unknown>, computed: string[] = []): string[] {
    const isComputed = (settingPath: string) => computed.some((path) => path === settingPath || path.startsWith(`${settingPath}.`));
    const direct = (keySettings[type] ?? [])
        .map((settingPath) => [settingPath, valueAtPath(inputs, settingPath)] as const)
        .filter(([, value]) => value !== undefined && value !== null)
        .map(([settingPath, value]) => {
            const shown = `${settingPath.split(".").pop()}=${typeof value === "string" ? value : JSON.stringify(value)}`;
            return isComputed(settingPath) ? `${shown} ${COMPUTED_MARKER}` : shown;
        });
    return [...direct, ...(derivedSettings[type]?.(inputs) ?? [])];
}
