/**
 * The retention periods CloudWatch Logs accepts, in days (CloudWatch Logs
 * API reference, PutRetentionPolicy "retentionInDays"; 0 = never expire is
 * left out on purpose: webstack never keeps logs forever).
 */
export const LOG_RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
