import type { TestProject } from 'vitest/node';
import { startOnFreePorts, type LocalStack } from '../../infra/local/stack.ts';
import { signingKeys } from '../../infra/local/keys.ts';

let stack: LocalStack | undefined;

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    mailUrl: string;
    dynamoUrl: string;
    sqsUrl: string;
    tableName: string;
    queueUrl: string;
    deadLetterQueueUrl: string;
    emailEventsQueueUrl: string;
    emailEventsDeadLetterQueueUrl: string;
    emailEventsTopicArn: string;
    lifecycleEventsQueueUrl: string;
  }
}

export default async function setup(project: TestProject) {
  await signingKeys();
  // Request logs go to the handlers' stdout; in tests only warnings and errors are worth the noise.
  process.env.LOG_LEVEL ??= 'WARN';
  await quietMetrics();
  // Its own ports and an in-memory table, so tests never touch a running `npm start`.
  stack = await startOnFreePorts({
    visibilityTimeoutSeconds: 2,
    outboxGraceSeconds: 3,
    scheduleEveryMs: 1_000,
    // Every test shares 127.0.0.1; the throttle itself is tested on a stack of its own.
    throttle: { deadLinks: 1_000_000, wrongNumbers: 1_000_000, signInRequests: 1_000_000 },
  });
  project.provide('apiUrl', stack.apiUrl);
  project.provide('mailUrl', stack.mailUrl);
  project.provide('dynamoUrl', stack.dynamoUrl);
  project.provide('sqsUrl', stack.sqsUrl);
  project.provide('tableName', stack.tableName);
  project.provide('queueUrl', stack.queues.queueUrl);
  project.provide('deadLetterQueueUrl', stack.queues.deadLetterQueueUrl);
  project.provide('emailEventsQueueUrl', stack.emailEvents.queueUrl);
  project.provide('emailEventsDeadLetterQueueUrl', stack.emailEvents.deadLetterQueueUrl);
  project.provide('emailEventsTopicArn', stack.emailEvents.topicArn);
  project.provide('lifecycleEventsQueueUrl', stack.lifecycleEvents.subscriberQueueUrl);
  return async () => {
    await stack?.stop();
  };
}

/**
 * The shared stack prints no EMF lines either (vitest.config.ts quiets the workers' stacks; this one runs here, in
 * vitest's own process): its one Metrics instance is built while the variable is set, and the handlers this process
 * loads import that same module. The variable is gone again afterwards, so nothing else started from here inherits it.
 */
const quietMetrics = async () => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  try {
    await import('../../lib/metrics.ts');
  } finally {
    delete process.env.POWERTOOLS_METRICS_DISABLED;
  }
};
