import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { baseName } from "./domain-names";

/** One ACM certificate and the validation that waits for it to be issued. */
export interface ValidatedCertificate {
    certificate: aws.acm.Certificate;
    validation: aws.acm.CertificateValidation;
    /** The ARN, known once ACM has issued the certificate: what dependents must use. */
    validatedArn: pulumi.Output<string>;
}

export interface CertificateRequest {
    /** The certificate's logical name, e.g. `${name}-cert-cloudfront`. */
    name: string;
    domain: string;
    alternativeNames: string[];
    tags: Record<string, string>;
    parent: pulumi.Resource;
    /** Where the certificate lives; undefined = the component's (stack's) provider. */
    provider?: aws.Provider;
}

/** Requests a DNS-validated public certificate for `domain` and `alternativeNames`. */
export function requestCertificate(request: CertificateRequest): aws.acm.Certificate {
    return new aws.acm.Certificate(
        request.name,
        {
            domainName: request.domain,
            subjectAlternativeNames: request.alternativeNames,
            validationMethod: "DNS",
            tags: request.tags,
        },
        // Pulumi replaces create-before-delete by default, so a certificate in
        // use by CloudFront or a listener is swapped, never deleted first.
        { parent: request.parent, provider: request.provider },
    );
}

/**
 * The validation record ACM asks for `recordName` (a base name: the record
 * of `*.example.com` is the one of `example.com`).
 */
function validationOptionFor(certificate: aws.acm.Certificate, recordName: string) {
    return certificate.domainValidationOptions.apply((options) => {
        const option =
            options.find((o) => o.domainName === recordName) ?? options.find((o) => baseName(o.domainName) === recordName);
        if (!option?.resourceRecordName || !option.resourceRecordValue || !option.resourceRecordType) {
            throw new Error(`ACM returned no DNS validation record for ${recordName} (certificate ${certificate.urn})`);
        }
        return option;
    });
}

/**
 * Writes one validation CNAME per distinct base name, named
 * `${name}-validation-${recordName}`.
 *
 * The record names are computed from the spec, not from the certificate's
 * output, so every record is a resource the preview shows; only each
 * record's name and value come from ACM's answer.
 *
 * One record serves every certificate of the component: ACM makes the
 * record "specifically for your domain and your account", and "since the
 * CNAME validation token works for any AWS Region, you can re-create the same
 * certificate in multiple Regions" (ACM user guide, "DNS validation",
 * https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html). So
 * the us-east-1 certificate and the regional one ask for the same CNAME.
 *
 * `allowOverwrite` is on for these records only: a record with this exact
 * name and value may already exist from an earlier certificate for the same
 * name in this account (typical when migrating), and writing the identical
 * value again is harmless, whereas refusing would block the deployment.
 */
export function createValidationRecords(
    name: string,
    source: aws.acm.Certificate,
    recordNames: string[],
    zoneId: pulumi.Input<string>,
    parent: pulumi.Resource,
): aws.route53.Record[] {
    return recordNames.map((recordName) => {
        const option = validationOptionFor(source, recordName);
        return new aws.route53.Record(
            `${name}-validation-${recordName}`,
            {
                zoneId,
                name: option.apply((o) => o.resourceRecordName),
                type: option.apply((o) => o.resourceRecordType),
                records: [option.apply((o) => o.resourceRecordValue)],
                ttl: 300,
                allowOverwrite: true,
            },
            { parent },
        );
    });
}

/**
 * Waits until ACM has issued `certificate` through `records`. Must use the
 * certificate's own provider: the validation polls ACM in that region.
 */
export function validateCertificate(
    name: string,
    certificate: aws.acm.Certificate,
    records: aws.route53.Record[],
    parent: pulumi.Resource,
    provider: aws.Provider | undefined,
): ValidatedCertificate {
    const validation = new aws.acm.CertificateValidation(
        name,
        { certificateArn: certificate.arn, validationRecordFqdns: records.map((record) => record.fqdn) },
        { parent, provider },
    );
    return { certificate, validation, validatedArn: validation.certificateArn };
}
