import { invocationFields } from './logger.ts';

// CloudWatch metrics as Embedded Metric Format log lines: Lambda's log stream turns each into data points, with
// no SDK call and no extra permission. Names live here so the alarms (infra/cdk/ops-alarms.ts) read the same ones.

export const metricsNamespace = 'PortalOnboarding';
/** The one dimension; its value is SERVICE_NAME, which every function is given (infra/cdk/portal-function.ts). */
export const serviceName = 'portal-onboarding';

export const outboxMetrics = {
  /** How long the oldest entry still owed has been owed (seconds), over the entries due in this sweep. */
  oldestEntryAge: 'OutboxOldestEntryAgeSeconds',
  /** Entries set aside after their try limit: each one is work nobody will retry. */
  stuckEntries: 'OutboxStuckEntries',
  /** Entries whose handling failed in this sweep (they are retried later). */
  failedEntries: 'OutboxFailedEntries',
  dueEntries: 'OutboxDueEntries',
} as const;

type Unit = 'Count' | 'Seconds';

/** Writes one EMF line; stdout directly, so no log level can drop a metric. */
export const emitMetrics = (values: Record<string, { value: number; unit: Unit }>): void => {
  const names = Object.keys(values);
  // A log line too: level, message and the invocation's request id, like every other line.
  const line = {
    level: 'INFO',
    message: 'metrics',
    timestamp: new Date().toISOString(),
    ...invocationFields(),
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [{ Namespace: metricsNamespace, Dimensions: [['service']], Metrics: names.map((Name) => ({ Name, Unit: values[Name]!.unit })) }],
    },
    service: process.env.SERVICE_NAME ?? serviceName,
    ...Object.fromEntries(names.map((name) => [name, values[name]!.value])),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
};
