// How the deployed system is watched: the alarms that email the ops inbox, the dashboard beside them, Lambda's
// own tracing, and the timing rules of lib/settings/timing.ts as the templates carry them.
import { describe, expect, it } from 'vitest';
import { functions, type FunctionName, type FunctionSpec } from '../../infra/routes.ts';
import { businessMetrics, metricsNamespace, outboxMetrics, serviceName, ticketSlaMetrics } from '../../lib/metrics.ts';
import { functionTimeoutSeconds, ticketQueue } from '../../lib/settings/timing.ts';
import { ofType, refersTo, single, synthesizePortal, useSynthesizedPortal, type CfnResource } from './synth.ts';

const portal = useSynthesizedPortal();

const catalog = Object.entries(functions) as [FunctionName, FunctionSpec][];
const props = (resource: CfnResource) => resource.Properties as Record<string, any>;
const functionResource = (name: FunctionName): CfnResource => portal.codeResources[portal.functionLogicalIds.get(name)!]!;

describe('ops alarms (issue #10 item 17)', () => {
  it('alarms the ops inbox on the first dead letter', () => {
    const [dlqId] = ofType(portal.dataResources, 'AWS::SQS::Queue').find(([, queue]) => !props(queue).RedrivePolicy)!;
    const alarms = ofType(portal.codeResources, 'AWS::CloudWatch::Alarm').map(([, alarm]) => props(alarm));
    const dlqAlarm = alarms.find((alarm) => alarm.MetricName === 'ApproximateNumberOfMessagesVisible');
    expect(dlqAlarm).toMatchObject({ Namespace: 'AWS/SQS', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(refersTo(dlqAlarm!.Dimensions, dlqId)).toBe(true);
    expect(dlqAlarm!.AlarmActions).toHaveLength(1);
    portal.code.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });


  const alarms = () => ofType(portal.codeResources, 'AWS::CloudWatch::Alarm').map(([, alarm]) => props(alarm));
  const alarmOn = (metricName: string, namespace: string) => alarms().find((p) => p.MetricName === metricName && p.Namespace === namespace);
  const notifiesOps = (p: Record<string, any>) => {
    // The ops inbox's topic, not the SES events topic (test/infra/email-events.test.ts).
    const [topicId] = ofType(portal.codeResources, 'AWS::SNS::Topic').find(([id]) => id.startsWith('OpsAlarmsTopic'))!;
    expect(p.AlarmActions.some((action: unknown) => refersTo(action, topicId))).toBe(true);
  };

  it('alarms on sweeper errors, from the sweeper function itself', () => {
    const alarm = alarmOn('Errors', 'AWS/Lambda');
    expect(alarm).toBeDefined();
    expect(refersTo(alarm!.Dimensions, portal.functionLogicalIds.get('sweep-outbox')!)).toBe(true);
    notifiesOps(alarm!);
  });

  it('alarms on the age of the oldest outbox entry and on stuck entries, the metrics the sweeper emits', () => {
    for (const name of [outboxMetrics.oldestEntryAge, outboxMetrics.stuckEntries]) {
      const alarm = alarmOn(name, metricsNamespace);
      expect(alarm, name).toBeDefined();
      expect(alarm!.Dimensions).toEqual([{ Name: 'service', Value: serviceName }]);
      notifiesOps(alarm!);
    }
    expect(alarmOn(outboxMetrics.stuckEntries, metricsNamespace)!.Threshold).toBe(1);
  });

  it('alarms on the age of the oldest ticket-queue message', () => {
    const alarm = alarmOn('ApproximateAgeOfOldestMessage', 'AWS/SQS');
    expect(alarm).toBeDefined();
    const [queueId] = ofType(portal.dataResources, 'AWS::SQS::Queue').find(([, queue]) => props(queue).RedrivePolicy !== undefined)!;
    expect(refersTo(alarm!.Dimensions, queueId)).toBe(true);
    notifiesOps(alarm!);
  });

  it('gives the sweeper a service name matching the metrics dimension', () => {
    expect(props(functionResource('sweep-outbox')).Environment.Variables.SERVICE_NAME).toBe(serviceName);
  });

  it('alarms when the oldest open ticket has waited longer than the SLA, 4 hours unless set, on the age the sweeper measures', () => {
    const alarm = alarmOn(ticketSlaMetrics.oldestOpenTicketAge, metricsNamespace);
    expect(alarm).toMatchObject({
      Statistic: 'Maximum',
      Threshold: 4 * 60 * 60,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'service', Value: serviceName }],
      // Missing only when the sweeper failed (its own alarm): a breach is not cleared by the silence.
      TreatMissingData: 'ignore',
    });
    notifiesOps(alarm!);
    expect(alarm!.OKActions).toHaveLength(1);
  });

  it('has one SLA alarm, on the open tickets; the time to decision is a graph, not an alarm', () => {
    expect(alarms().filter((p) => p.Namespace === metricsNamespace && [ticketSlaMetrics.oldestOpenTicketAge, businessMetrics.ticketTimeToDecision].includes(p.MetricName))).toHaveLength(1);
    expect(alarmOn(businessMetrics.ticketTimeToDecision, metricsNamespace)).toBeUndefined();
  });

  it('takes the SLA from the ticketSlaHours setting', () => {
    const withSla = synthesizePortal({ context: { ticketSlaHours: '12' } });
    try {
      withSla.code.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: ticketSlaMetrics.oldestOpenTicketAge,
        Threshold: 12 * 60 * 60,
      });
    } finally {
      withSla.cleanUp();
    }
  });
});

describe('the ops dashboard', () => {
  // The body is a CloudFormation join of JSON text and resource references; its text is enough to find each metric.
  const body = () => JSON.stringify(props(single(portal.codeResources, 'AWS::CloudWatch::Dashboard')[1]).DashboardBody);

  it('graphs every business and outbox figure the functions record, under the service dimension', () => {
    const text = body();
    for (const name of [...Object.values(businessMetrics), ...Object.values(ticketSlaMetrics), ...Object.values(outboxMetrics)]) {
      expect(text, name).toContain(`\\"${metricsNamespace}\\",\\"${name}\\",\\"service\\",\\"${serviceName}\\"`);
    }
  });

  it('graphs every function\'s errors and duration, the ticket queue\'s age and the dead letters', () => {
    const text = body();
    for (const [name] of catalog) {
      const fn = portal.functionLogicalIds.get(name)!;
      expect(refersTo(text, fn), name).toBe(true);
      expect(text).toContain(`\\"label\\":\\"${name}\\"`);
    }
    for (const metric of ['Errors', 'Duration', 'ApproximateAgeOfOldestMessage', 'ApproximateNumberOfMessagesVisible', '5xx']) {
      expect(text, metric).toContain(`\\"${metric}\\"`);
    }
  });

  it('shows the state of every alarm', () => {
    const text = body();
    for (const [id] of ofType(portal.codeResources, 'AWS::CloudWatch::Alarm')) expect(refersTo(text, id), id).toBe(true);
  });

  it('draws the SLA on the oldest open ticket\'s age and on the time to decision', () => {
    const text = body();
    expect(text).toContain(`\\"${ticketSlaMetrics.oldestOpenTicketAge}\\"`);
    expect(text.match(/\\"value\\":14400/g)).toHaveLength(2);
  });
});

describe('timing rules in the templates (lib/settings/timing.ts)', () => {
  it('gives each function the timeout of its kind', () => {
    for (const [name, spec] of catalog) {
      expect(props(functionResource(name)).Timeout, name).toBe(functionTimeoutSeconds[spec.trigger?.kind ?? 'http']);
    }
  });

  it('gives the ticket queue the visibility timeout and receive count the lease was checked against', () => {
    const [, queue] = ofType(portal.dataResources, 'AWS::SQS::Queue').find(([, q]) => props(q).RedrivePolicy)!;
    expect(props(queue).VisibilityTimeout).toBe(ticketQueue.visibilityTimeoutSeconds);
    expect(props(queue).RedrivePolicy.maxReceiveCount).toBe(ticketQueue.maxReceiveCount);
  });
});
