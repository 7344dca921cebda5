import { asList, CheckedResource, PlanView } from "../plan-view";
import { ChecklistRule, violation, Violation } from "../rule";

export const BEANSTALK_ENVIRONMENT = ["aws:elasticbeanstalk/environment:Environment"];

function setting(environment: CheckedResource, namespace: string, name: string): string | undefined {
    const found = (asList(environment.inputs.settings) as { namespace?: string; name?: string; value?: unknown }[]).find(
        (candidate) => candidate.namespace === namespace && candidate.name === name,
    );
    return found === undefined ? undefined : String(found.value);
}

/** One row that reads one option setting (namespace + name) of each environment. */
function settingRule(number: number, mirrors: string, title: string, dev: ChecklistRule["dev"], namespace: string, name: string, accepted: (value: string | undefined, view: PlanView) => boolean): ChecklistRule {
    return {
        number,
        mirrors,
        title,
        dev,
        severity: "mandatory",
        types: BEANSTALK_ENVIRONMENT,
        check: (view): Violation[] =>
            view
                .ofType(...BEANSTALK_ENVIRONMENT)
                .filter((environment) => !accepted(setting(environment, namespace, name), view))
                .map((environment) => violation(number, environment, `${namespace} ${name} is ${setting(environment, namespace, name) ?? "unset"}`)),
    };
}

// Namespaces and names from the Elastic Beanstalk developer guide, "General options for all environments".
export const beanstalkRules: ChecklistRule[] = [
    settingRule(46, "CKV_AWS_340 · ElasticBeanstalk.2", "managed platform updates", "keep", "aws:elasticbeanstalk:managedactions", "ManagedActionsEnabled", (value) => value === "true"),
    settingRule(47, "ElasticBeanstalk.1", "enhanced health reporting", "keep", "aws:elasticbeanstalk:healthreporting:system", "SystemType", (value) => value === "enhanced"),
    settingRule(48, "ElasticBeanstalk.3 · AwsSolutions-EB4", "instance logs streamed to CloudWatch", "relax", "aws:elasticbeanstalk:cloudwatch:logs", "StreamLogs", (value) => value === "true"),
    settingRule(49, "AWS EB deployment docs", "Immutable or TrafficSplitting deployments (any policy outside production)", "looser", "aws:elasticbeanstalk:command", "DeploymentPolicy", (value, view) =>
        !view.production || value === "Immutable" || value === "TrafficSplitting",
    ),
];
