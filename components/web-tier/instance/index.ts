import * as pulumi from "@pulumi/pulumi";
import { ResolvedWebTierArgs } from "../args";
import { cloudFrontOriginFacingPrefixListId, createSecurityGroup, NGINX_HTTP_PORT } from "../host/security-group";
import { renderUserData } from "../host/user-data";
import { ModeInputs, ModeOutputs } from "../mode";
import { createDeployAssociation } from "./deploy-document";
import { createWebInstance } from "./instance";

/**
 * Mode `instance`: one EC2 instance in the first public subnet, deployed to
 * in place by an SSM State Manager association that re-runs the release
 * switch whenever the release settings change.
 */
export function createInstanceMode(name: string, resolved: ResolvedWebTierArgs, inputs: ModeInputs, parent: pulumi.Resource): ModeOutputs {
    const { published, access, region, tags } = inputs;
    const securityGroup = createSecurityGroup(
        name,
        {
            vpcId: resolved.network.vpcId,
            sshAllowedCidrs: resolved.ssh.allowedCidrs,
            httpFromPrefixListId: resolved.network.behindCloudFront ? cloudFrontOriginFacingPrefixListId(parent) : undefined,
            tags,
        },
        parent,
    );
    const userData = region.apply((r) => renderUserData({ name, nodeVersion: resolved.app.nodeVersion, settingsParameter: published.settingsParameterName, region: r }));
    const subnetId = pulumi.output(resolved.network.publicSubnetIds).apply((ids) => {
        if (ids.length === 0) throw new Error(`WebTier ${name}: network.publicSubnetIds is empty; the instance needs a public subnet`);
        return ids[0];
    });
    // The user data reads the settings and the archives at first boot.
    const bootDependencies = [...published.bootDependencies, access.policy];
    const server = createWebInstance(
        name,
        {
            ...resolved.instance,
            keyName: resolved.ssh.keyName,
            subnetId,
            securityGroupId: securityGroup.id,
            extraSecurityGroupIds: resolved.network.securityGroupIds ?? [],
            instanceProfileName: access.profile.name,
            kmsKeyId: resolved.kmsKeyArn,
            userData,
            tags,
            dependsOn: bootDependencies,
        },
        parent,
    );
    createDeployAssociation(
        name,
        {
            settingsParameter: published.settingsParameterName,
            region,
            instanceId: server.instance.id,
            revision: published.current.revision,
            watchSeconds: resolved.deploy.watchSeconds,
            tags,
            dependsOn: bootDependencies,
        },
        parent,
    );
    return {
        url: pulumi.interpolate`http://${server.publicIp}`,
        apiOrigin: { domainName: server.publicDns, protocol: "http", httpPort: NGINX_HTTP_PORT },
        securityGroupId: securityGroup.id,
        instanceId: server.instance.id,
        publicIp: server.publicIp,
    };
}

