/**
 * CloudWatch metrics in the Embedded Metric Format: a JSON log line that CloudWatch turns into metrics, so the
 * Lambda publishes them with no extra API call (and no extra IAM permission). Pure: returns the line.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */

export const METRIC_NAMESPACE = "JiraConnector";

export type MetricUnit = "Count" | "Seconds" | "Milliseconds" | "None";

export interface MetricValue {
  name: string;
  value: number;
  unit: MetricUnit;
}

/** One EMF document for one set of dimensions (e.g. `{ Connector: "acme" }` or `{ Connector, Product }`). */
export function emfLine(dimensions: Record<string, string>, metrics: readonly MetricValue[], timestamp: Date): string {
  const body: Record<string, unknown> = {
    _aws: {
      Timestamp: timestamp.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [Object.keys(dimensions)],
          Metrics: metrics.map((m) => ({ Name: m.name, Unit: m.unit })),
        },
      ],
    },
    ...dimensions,
  };
  for (const metric of metrics) {
    if (!Number.isFinite(metric.value)) continue;
    body[metric.name] = metric.value;
  }
  return JSON.stringify(body);
}

/** Whole days from `now` until `until` (negative once past), or undefined when unknown. */
export function daysUntil(until: string | undefined, now: Date): number | undefined {
  if (!until) return undefined;
  const ms = Date.parse(until);
  if (Number.isNaN(ms)) return undefined;
  return Math.floor((ms - now.getTime()) / 86_400_000);
}

/** The refresh-token family's absolute expiry: 365 days after the first consent (atlassian-api.md §3.3). */
export function refreshTokenFamilyExpiresAt(familyStartedAt: string): string {
  return new Date(Date.parse(familyStartedAt) + 365 * 86_400_000).toISOString();
}
