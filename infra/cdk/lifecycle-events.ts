// The lifecycle events' bus (docs/events.md): where integrations subscribe, with an archive to replay from. Stateful:
// the archive is data, so it lives and is retained with the table.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Archive, EventBus } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { lifecycleEventSource } from '../../lib/schemas/events.ts';

/** How long the archive keeps events to replay to a consumer that missed some or a new one starting out. */
export const archiveRetentionDays = 365;

export interface LifecycleEvents {
  bus: EventBus;
  archive: Archive;
}

/**
 * Encrypted at rest with EventBridge's AWS-owned key, not the data key: the events carry ids and states only (no
 * PII), and the key policy CDK writes for a bus's customer-managed key names the bus, which names the key: a cycle
 * CloudFormation refuses.
 */
export const lifecycleEvents = (scope: Construct): LifecycleEvents => {
  const bus = new EventBus(scope, 'LifecycleEvents', {
    eventBusName: 'portal-onboarding-lifecycle',
    description: 'portal-onboarding lifecycle events for integrations (docs/events.md)',
  });
  bus.applyRemovalPolicy(RemovalPolicy.RETAIN);
  const archive = new Archive(scope, 'LifecycleEventsArchive', {
    sourceEventBus: bus,
    description: 'Every lifecycle event, to replay',
    eventPattern: { source: [lifecycleEventSource] },
    retention: Duration.days(archiveRetentionDays),
  });
  archive.applyRemovalPolicy(RemovalPolicy.RETAIN);
  return { bus, archive };
};

/** events:PutEvents on this bus only: the publishers neither read it nor manage rules. */
export const grantEventPublish = (grantee: IGrantable, bus: EventBus): void => {
  bus.grantPutEventsTo(grantee);
};
