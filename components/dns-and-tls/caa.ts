import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The CAA values that let ACM issue. ACM user guide, "(Optional) Configure a
 * CAA record": ACM cannot issue unless the CAA record names one of
 * amazon.com, amazontrust.com, awstrust.com or amazonaws.com. An `issue`
 * property also governs wildcard names when no `issuewild` is present
 * (RFC 8659, section 4.3), so these four cover `*.` names too.
 */
export const AMAZON_CAA_VALUES = ["amazon.com", "amazontrust.com", "awstrust.com", "amazonaws.com"].map((ca) => `0 issue "${ca}"`);

/**
 * A CAA record set per name in `names` (see `caaRecordNames`), named
 * `${name}-caa-${recordName}`. Not `allowOverwrite`: an existing CAA set may
 * authorise another CA on purpose, and replacing it silently could break
 * that CA's renewals.
 */
export function createCaaRecords(name: string, names: string[], zoneId: pulumi.Input<string>, parent: pulumi.Resource): aws.route53.Record[] {
    return names.map(
        (recordName) =>
            new aws.route53.Record(
                `${name}-caa-${recordName}`,
                { zoneId, name: recordName, type: "CAA", records: AMAZON_CAA_VALUES, ttl: 3600, allowOverwrite: false },
                { parent },
            ),
    );
}
