// One CloudWatch dashboard beside the alarms: what the product did for its users (lib/metrics.ts names), the ops
// desk's SLA, the outbox's health, then each function's errors and duration, the ticket queue's age, the API, and
// the alarms.
import { Duration } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IMetric,
  PeriodOverride,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { businessMetrics, outboxMetrics, ticketSlaMetrics } from '../../lib/metrics.ts';
import { outboxAgeAlarmSeconds, portalMetric, queueAgeAlarmSeconds } from './ops-alarms.ts';

export interface OpsDashboardProps {
  /** Every function of the catalog, by its catalog name. */
  functions: ReadonlyMap<string, IFunction>;
  ticketQueue: IQueue;
  ticketDeadLetterQueue: IQueue;
  apiStage: IHttpStage;
  alarms: readonly Alarm[];
  /** The ops desk's SLA in seconds, drawn on the ticket-age graphs. */
  ticketSlaSeconds: number;
}

type BusinessMetric = keyof typeof businessMetrics;

/** Counts, summed; each graph is one part of the product. A name added to lib/metrics.ts lands in "Other". */
const businessGraphs: { title: string; metrics: BusinessMetric[] }[] = [
  { title: 'Invitations', metrics: ['invitationsSent', 'invitationsFailed', 'invitationsBounced', 'invitationsComplained'] },
  { title: 'Verification tickets', metrics: ['ticketsRaised', 'ticketsCancelled', 'ticketsApproved', 'ticketsRejected'] },
  { title: 'Identity verification by account number', metrics: ['identityVerified', 'identityWrongNumber', 'identityLocked', 'identityThrottled'] },
];
/** Figures that are durations, not counts: shown as percentiles. */
const durationMetrics: BusinessMetric[] = ['ticketTimeToDecision'];

const width = 8;
const height = 6;
/** Three graphs to a row: a dashboard is 24 units wide. */
const rowsOf = (widgets: GraphWidget[]): GraphWidget[][] =>
  Array.from({ length: Math.ceil(widgets.length / 3) }, (_, row) => widgets.slice(row * 3, row * 3 + 3));
const graph = (title: string, left: IMetric[], extra: Partial<ConstructorParameters<typeof GraphWidget>[0]> = {}) =>
  new GraphWidget({ title, left, width, height, ...extra });

export class OpsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OpsDashboardProps) {
    super(scope, id);
    const count = (name: string, label: string) => portalMetric(name, 'Sum').with({ label });
    const placed = new Set<string>([...businessGraphs.flatMap((g) => g.metrics), ...durationMetrics]);
    const others = (Object.keys(businessMetrics) as BusinessMetric[]).filter((key) => !placed.has(key));

    const sla = { value: props.ticketSlaSeconds, label: 'SLA' };
    const business = [
      ...businessGraphs.map(({ title, metrics }) => graph(title, metrics.map((key) => count(businessMetrics[key], key)))),
      graph(
        'Time from ticket to decision (seconds)',
        durationMetrics.flatMap((key) =>
          ['p50', 'p90', 'Maximum'].map((statistic) => portalMetric(businessMetrics[key], statistic, Duration.hours(1)).with({ label: `${key} ${statistic}` })),
        ),
        { leftAnnotations: [sla] },
      ),
      graph('Oldest open ticket (seconds), every minute', [portalMetric(ticketSlaMetrics.oldestOpenTicketAge, 'Maximum', Duration.minutes(1)).with({ label: 'oldest open ticket age' })], {
        leftAnnotations: [{ ...sla, label: 'SLA (alarm)' }],
      }),
      ...(others.length > 0 ? [graph('Other business figures', others.map((key) => count(businessMetrics[key], key)))] : []),
    ];

    const outbox = [
      graph('Outbox: entries per sweep', [
        count(outboxMetrics.dueEntries, 'due'),
        count(outboxMetrics.repairedEntries, 'repaired'),
        count(outboxMetrics.failedEntries, 'failed (retried later)'),
      ]),
      graph('Outbox: oldest owed entry (seconds) and stuck entries', [portalMetric(outboxMetrics.oldestEntryAge, 'Maximum').with({ label: 'oldest entry age' })], {
        right: [portalMetric(outboxMetrics.stuckEntries, 'Maximum').with({ label: 'stuck entries' })],
        leftAnnotations: [{ value: outboxAgeAlarmSeconds, label: 'alarm' }],
      }),
    ];

    const functions = [...props.functions.entries()];
    const lambdas = [
      graph('Function errors', functions.map(([name, fn]) => fn.metricErrors({ statistic: 'Sum', label: name }))),
      graph('Function duration p90 (ms)', functions.map(([name, fn]) => fn.metricDuration({ statistic: 'p90', label: name }))),
      graph('Function throttles', functions.map(([name, fn]) => fn.metricThrottles({ statistic: 'Sum', label: name }))),
    ];

    const queueAndApi = [
      graph('Ticket queue: oldest message (seconds)', [props.ticketQueue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', label: 'ticket queue' })], {
        right: [props.ticketDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', label: 'dead letters' })],
        leftAnnotations: [{ value: queueAgeAlarmSeconds, label: 'alarm' }],
      }),
      graph('API answers', [
        props.apiStage.metricServerError({ statistic: 'Sum', label: '5xx' }),
        props.apiStage.metricClientError({ statistic: 'Sum', label: '4xx' }),
      ]),
      graph('API latency (ms)', ['p50', 'p90', 'p99'].map((statistic) => props.apiStage.metricLatency({ statistic, label: statistic }))),
    ];

    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(1),
      periodOverride: PeriodOverride.AUTO,
      widgets: [
        [new TextWidget({ markdown: '## What the product did\nSums per 5 minutes of the functions\' own metrics (namespace PortalOnboarding)', width: 24, height: 2 })],
        ...rowsOf([...business, ...outbox]),
        [new TextWidget({ markdown: '## How it ran', width: 24, height: 1 })],
        ...rowsOf([...lambdas, ...queueAndApi]),
        [new AlarmStatusWidget({ title: 'Alarms (each also emails the ops inbox)', alarms: [...props.alarms], width: 24, height: 3 })],
      ],
    });
  }
}
