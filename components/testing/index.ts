/**
 * webstack's unit-test harness, published so consumers can test their own
 * stacks: recording Pulumi mocks, plausible AWS look-ups, awaitable Outputs.
 */
export { Harness, HarnessOptions, ProviderInfo } from "./harness";
export { RecordedResource, isSecretValue, plainInputs, redactSecrets } from "./recorded-resource";
export { resolveOutput, valueOf, ResolvedOutput } from "./output-value";
export { CallAnswer, fakePrefixListId, fakeZoneId } from "./lookups";
export { OutputComputer, OutputContext, RecordedById } from "./computed-outputs";
export { autoName, autoNameRule, AutoNameRule } from "./auto-naming";
export { FAKE_ACCOUNT_ID } from "./fake-ids";
