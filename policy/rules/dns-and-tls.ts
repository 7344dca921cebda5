import { asList, PlanView } from "../plan-view";
import { ChecklistRule, violation } from "../rule";
import { CERTIFICATE, DISTRIBUTION } from "./cloudfront";

const ZONE = "aws:route53/zone:Zone";

/** Key algorithms ACM issues that the checklist accepts (ACM.2: RSA 2048 or stronger, or EC). */
const ACCEPTED_KEY_ALGORITHMS = ["RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1"];

/** A created zone is public unless it is attached to VPCs. */
function publicZones(view: PlanView) {
    return view.ofType(ZONE).filter((zone) => asList(zone.inputs.vpcs).length === 0);
}

export const dnsAndTlsRules: ChecklistRule[] = [
    {
        number: 43,
        mirrors: "ACM.2 · CKV_AWS_234",
        title: "certificates: DNS validation, RSA 2048+ or EC keys, CT logging on; CloudFront's in us-east-1",
        dev: "keep",
        severity: "mandatory",
        types: [CERTIFICATE],
        check: (view) => [
            ...view.ofType(CERTIFICATE).flatMap((certificate) => {
                const inputs = certificate.inputs;
                const problems: string[] = [];
                if (inputs.validationMethod !== "DNS") problems.push(`validationMethod is ${String(inputs.validationMethod ?? "unset")}, not DNS`);
                if (inputs.keyAlgorithm !== undefined && !ACCEPTED_KEY_ALGORITHMS.includes(String(inputs.keyAlgorithm))) problems.push(`keyAlgorithm ${String(inputs.keyAlgorithm)} is too weak`);
                const transparency = (inputs.options as { certificateTransparencyLoggingPreference?: string } | undefined)?.certificateTransparencyLoggingPreference;
                if (transparency === "DISABLED") problems.push("certificate transparency logging is disabled");
                return problems.map((problem) => violation(43, certificate, problem));
            }),
            // CloudFront only accepts ACM certificates from us-east-1 (CloudFront developer guide, "Requirements for using SSL/TLS certificates with CloudFront").
            ...view.ofType(DISTRIBUTION).flatMap((distribution) => {
                const arn = (distribution.inputs.viewerCertificate as { acmCertificateArn?: unknown } | undefined)?.acmCertificateArn;
                const certificate = view.referenced(arn, CERTIFICATE);
                const region = certificate?.provider?.region ?? (typeof arn === "string" ? arn.split(":")[3] : undefined);
                return arn && region !== "us-east-1" ? [violation(43, distribution, `its certificate is in ${region ?? "an unknown region"}, not us-east-1`)] : [];
            }),
        ],
    },
    {
        number: 44,
        mirrors: "Route53.2 · CKV2_AWS_39",
        title: "a public hosted zone the stage creates logs its queries",
        dev: "relax",
        severity: "mandatory",
        types: [ZONE],
        check: (view) =>
            publicZones(view)
                .filter((zone) => view.referring(zone, "zoneId", "aws:route53/queryLog:QueryLog").length === 0)
                .map((zone) => violation(44, zone, "has no query logging")),
    },
    {
        number: 45,
        mirrors: "CKV2_AWS_38",
        title: "a public hosted zone the stage creates is signed with DNSSEC",
        dev: "relax",
        severity: "advisory",
        types: [ZONE],
        check: (view) =>
            publicZones(view)
                .filter((zone) => view.referring(zone, "hostedZoneId", "aws:route53/hostedZoneDnsSec:HostedZoneDnsSec").length === 0)
                .map((zone) => violation(45, zone, "is not signed with DNSSEC (webstack:domain.dnssec)")),
    },
];
