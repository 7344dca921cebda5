import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { checkedAs, invalid } from "../../components/internal/errors";
import { WebTier } from "../../components/web-tier";
import { availableModes, resolveWebTierArgs, WebTierArgs, WebTierMode } from "../../components/web-tier/args";
import { Layout } from "../config";
import { WebSettings } from "../config/web";
import { StageContext, StackOutputs, StagePart } from "../stage-context";
import { stageDatabase } from "./database";

/** The project directory (this file is stacks/parts/web.ts): app paths are relative to it. */
const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** The web tier mode each layout uses unless `webstack:web.mode` says otherwise (DESIGN.md, "Layouts"). */
export const webModeForLayout: Record<Layout, WebTierMode> = { iaas: "instance", paas: "beanstalk" };

export const WEB_PART = "web";

/** The mode the stage asks for, or a ConfigError naming `webstack:web.mode` if this version lacks it. */
export function stageWebMode(context: StageContext, settings: WebSettings): WebTierMode {
    const mode = settings.mode ?? webModeForLayout[context.config.layout];
    if (!availableModes.includes(mode)) {
        const why = settings.mode ? "" : ` (the default for layout ${context.config.layout})`;
        invalid(
            "webstack:web.mode",
            mode,
            `WebTier mode "${mode}"${why} is not available yet; this version has ${availableModes.map((m) => `"${m}"`).join(", ")}`,
            `set webstack:web.mode: instance in Pulumi.${context.config.stage}.yaml until "${mode}" lands`,
        );
    }
    return mode;
}

/** Whether the stage's site is served by CloudFront (`webstack:site.hosting`, default "cloudfront"), which then fronts the API too. */
export function siteOnCloudFront(context: StageContext): boolean {
    return context.config.site.hosting === "cloudfront";
}

/**
 * `webstack:web.app.environment`, each value a `pulumi.secret` when the key
 * holds a `secure:` value (Pulumi marks secretness per top-level key, see
 * stacks/config/secret-keys.ts), so the release settings become a SecureString.
 */
function stageEnvironment(context: StageContext, settings: WebSettings): Record<string, pulumi.Input<string>> {
    if (!context.config.secretKeys.includes("webstack:web")) return settings.app.environment;
    return Object.fromEntries(Object.entries(settings.app.environment).map(([name, value]) => [name, pulumi.secret(value)]));
}

function webArgs(context: StageContext, settings: WebSettings, mode: WebTierMode): WebTierArgs {
    const database = stageDatabase(context);
    return {
        mode,
        app: {
            ...settings.app,
            path: path.resolve(PROJECT_DIR, settings.app.path),
            // The database's settings (host, port, name, user, and the ARN of
            // its password secret: a reference, never the password).
            environment: { ...(database ? database.database.appEnvironment() : {}), ...stageEnvironment(context, settings) },
            secretsManagerArns: database ? [database.database.passwordSecretArn] : [],
        },
        network: {
            vpcId: context.network.vpcId,
            publicSubnetIds: context.network.publicSubnetIds,
            // Membership of the database's client group is what lets the
            // instance reach the database port.
            securityGroupIds: database ? [database.clientSecurityGroupId] : [],
            // The site part routes /api/* through the stage's distribution to
            // web.apiOrigin when CloudFront serves the site; then only
            // CloudFront may reach the instance's HTTP port.
            behindCloudFront: siteOnCloudFront(context),
        },
        instance: settings.instance,
        sshAllowedCidrs: settings.sshAllowedCidrs,
        allowSshFromAnywhere: settings.allowSshFromAnywhere,
        keyName: settings.keyName,
        deploy: settings.deploy,
        // Production: the release bucket keeps old versions 30 days and logs to the stage's log bucket.
        versioning: context.config.production,
        accessLogs: context.accessLogs,
        // The stage key (production): release bucket, root volume, SecureString
        // settings; the role may decrypt the database secret under it too.
        kmsKeyArn: context.kmsKeyArn,
        tags: context.config.tags,
        tagContext: { app: context.app, stage: context.config.stage },
    };
}

/**
 * The stage's web tier. Runs after the database: when the stage has one,
 * the app gets its environment variables (`DB_HOST`, ...,
 * `DB_PASSWORD_SECRET_ARN`), the instance role may read exactly its password
 * secret, and the instance joins the database's client security group.
 */
export const webPart: StagePart = {
    name: WEB_PART,
    validate(context: StageContext): void {
        const settings: WebSettings = context.config.web;
        checkedAs("webstack:web", () => {
            const mode = stageWebMode(context, settings);
            if (context.config.production && settings.deploy?.strategy === "all-at-once") {
                invalid("deploy.strategy", "all-at-once", "all-at-once stops the app on every deploy; it is for dev stages only", 'use "in-place" (zero downtime) in a production stage');
            }
            resolveWebTierArgs(webArgs(context, settings, mode));
        });
    },
    deploy(context: StageContext): StackOutputs {
        const settings: WebSettings = context.config.web;
        const web = new WebTier(`${context.config.stage}-web`, webArgs(context, settings, stageWebMode(context, settings)));
        context.components[WEB_PART] = web;
        return {
            webUrl: web.url,
            webPublicIp: web.publicIp,
            webInstanceId: web.instanceId,
            webSecurityGroupId: web.securityGroupId,
            // The DNS name CloudFront's API origin points at.
            webApiOrigin: web.apiOrigin.domainName,
            webReleaseSha256: web.releaseSha256,
            webSettingsParameter: web.settingsParameterName,
        };
    },
};
