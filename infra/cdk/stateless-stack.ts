// Code and its wiring, replaceable on every deploy: staff sign-in, one Lambda per catalog entry, the HTTP API,
// the queue consumer and the schedule, email sending and alarms. The data it works on comes from StatefulStack.
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import { functionTimeoutSeconds } from '../../lib/settings/timing.ts';
import { functions, routes, type FunctionName, type FunctionSpec, type Trigger } from '../routes.ts';
import { bindNeeds } from './bind-needs.ts';
import { CursorKey } from './cursor-key.ts';
import { EmailEvents } from './email-events.ts';
import { EmailSending } from './email-sending.ts';
import { PortalHttpApi } from './http-api.ts';
import { OpsAlarms } from './ops-alarms.ts';
import { OpsDashboard } from './ops-dashboard.ts';
import { PortalFunction } from './portal-function.ts';
import type { PortalSettings } from './settings.ts';
import { OpsConsoleSignIn } from './ops-console-sign-in.ts';
import { StaffSignIn } from './staff-sign-in.ts';
import { drainQueue, drainTicketQueue } from './ticket-queue-source.ts';
import type { PortalData } from './stateful-stack.ts';

export interface StatelessStackProps extends StackProps {
  data: PortalData;
  settings: PortalSettings;
}

/** Each kind of function's timeout, from lib/settings/timing.ts (a scheduled run ends before the next tick). */
const timeoutFor = (trigger: Trigger | undefined): Duration => Duration.seconds(functionTimeoutSeconds[trigger?.kind ?? 'http']);

export class StatelessStack extends Stack {
  readonly handlers = new Map<FunctionName, PortalFunction>();

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { data, settings } = props;
    const email = new EmailSending(this, 'Email', settings);
    const emailEvents = new EmailEvents(this, 'EmailEvents', { configurationSet: email.configurationSet });
    const staff = new StaffSignIn(this, 'Staff');
    const consoleSignIn = new OpsConsoleSignIn(this, 'OpsConsoleHostedSignIn', { userPool: staff.userPool, portalUrl: settings.portalUrl });
    const cursorKey = new CursorKey(this, 'CursorKey');

    for (const [name, spec] of Object.entries(functions) as [FunctionName, FunctionSpec][]) {
      const fn = new PortalFunction(this, PortalFunction.idFor(name), {
        entry: spec.entry,
        description: `portal-onboarding ${name}`,
        timeout: timeoutFor(spec.trigger),
        invokedBy: spec.trigger ? 'background' : 'http',
      });
      bindNeeds(fn, name, spec.needs, { data, email, cursorKey, consoleSignIn, settings });
      this.connectTrigger(fn, spec.trigger, data, emailEvents);
      this.handlers.set(name, fn);
    }

    const http = new PortalHttpApi(this, 'Http', {
      routes,
      handlers: this.handlers,
      userPool: staff.userPool,
      appClient: staff.appClient,
    });

    const ticketSlaSeconds = Math.round(settings.ticketSlaHours * 3600);
    const alarms = new OpsAlarms(this, 'OpsAlarms', {
      opsEmail: settings.opsEmail,
      ticketDeadLetterQueue: data.ticketDeadLetterQueue,
      emailEventDeadLetterQueue: emailEvents.deadLetterQueue,
      documentUploadDeadLetterQueue: data.documents.deadLetterQueue,
      apiStage: http.stage,
      ticketQueue: data.ticketQueue,
      sweeper: this.handlers.get('sweep-outbox')!,
      ticketSlaSeconds,
    });
    new OpsDashboard(this, 'OpsDashboard', {
      functions: this.handlers,
      ticketQueue: data.ticketQueue,
      ticketDeadLetterQueue: data.ticketDeadLetterQueue,
      apiStage: http.stage,
      alarms: alarms.alarms,
      ticketSlaSeconds,
    });

    new CfnOutput(this, 'ApiUrl', { value: http.stage.url });
    new CfnOutput(this, 'UserPoolId', { value: staff.userPool.userPoolId });
    new CfnOutput(this, 'AppClientId', { value: staff.appClient.userPoolClientId });
    new CfnOutput(this, 'OpsConsoleUrl', { value: `${settings.portalUrl}/ops/console` });
    // What `npm run redrive-dlq` needs after the EmailEventDeadLetters alarm fires.
    new CfnOutput(this, 'EmailEventsQueueUrl', { value: emailEvents.queue.queueUrl });
    new CfnOutput(this, 'EmailEventsDeadLetterQueueUrl', { value: emailEvents.deadLetterQueue.queueUrl });
  }

  private connectTrigger(fn: PortalFunction, trigger: Trigger | undefined, data: PortalData, emailEvents: EmailEvents): void {
    if (trigger?.kind === 'ticketQueue') {
      drainTicketQueue(fn, data);
    }
    if (trigger?.kind === 'emailEvents') emailEvents.drainInto(fn);
    if (trigger?.kind === 'documentUploads') drainQueue(fn, { id: 'DocumentUploadsSource', queue: data.documents.queue, key: data.dataKey });
    if (trigger?.kind === 'schedule') {
      new Rule(this, `${fn.node.id}Schedule`, {
        description: `Runs ${fn.node.id} on ${trigger.rate}`,
        schedule: Schedule.expression(trigger.rate),
        // A late run is worthless once the next tick has come; the work is idempotent and simply redone then.
        targets: [new LambdaFunction(fn, { maxEventAge: Duration.minutes(2), retryAttempts: 2 })],
      });
    }
  }
}
