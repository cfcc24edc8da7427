// npm run redrive-dlq [-- --queue-url URL --dlq-url URL [--per-second N]] [-- --events | --documents]
// With URLs: real SQS (default AWS credentials), moved by SQS itself (StartMessageMoveTask), followed to its end.
// Without: the local stack started by `npm start`, whose fauxqs has no move task, so messages are moved one by one;
// the ticket queue's, with --events the SES events queue's, with --documents the uploads queue's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SQSClient } from '@aws-sdk/client-sqs';
import { localDir } from '../local/keys.ts';
import { localCredentials, localRegion } from '../local/provision.ts';
import { moveDeadLetters, redriveDeadLetters } from './redrive.ts';

const { values } = parseArgs({
  options: {
    'queue-url': { type: 'string' },
    'dlq-url': { type: 'string' },
    'per-second': { type: 'string' },
    max: { type: 'string' },
    events: { type: 'boolean' },
    documents: { type: 'boolean' },
  },
});
const queueUrl = values['queue-url'];
const deadLetterQueueUrl = values['dlq-url'];

if (queueUrl && deadLetterQueueUrl) {
  const sqs = new SQSClient({});
  const result = await moveDeadLetters({
    sqs,
    queueUrl,
    deadLetterQueueUrl,
    maxPerSecond: Number(values['per-second'] ?? 50),
    onProgress: (moved, toMove) => process.stdout.write(`moved ${moved} of ${toMove ?? '?'}...\n`),
  });
  process.stdout.write(`move task ${result.status}: moved ${result.moved} message(s) back to the queue\n`);
  if (result.status !== 'COMPLETED') {
    process.stderr.write(`the move did not complete${result.failureReason ? `: ${result.failureReason}` : ''}\n`);
    process.exitCode = 1;
  }
} else {
  const local = JSON.parse(readFileSync(join(localDir, 'endpoints.json'), 'utf8')) as Record<string, string>;
  const sqs = new SQSClient({ endpoint: local.sqsUrl, region: localRegion, credentials: localCredentials, useQueueUrlAsEndpoint: false });
  const [queue, deadLetters, name] = values.events
    ? [local.emailEventsQueueUrl, local.emailEventsDeadLetterQueueUrl, 'SES events']
    : values.documents
      ? [local.documentUploadsQueueUrl, local.documentUploadsDeadLetterQueueUrl, 'document uploads']
      : [local.queueUrl, local.deadLetterQueueUrl, 'ticket'];
  const moved = await redriveDeadLetters({ sqs, queueUrl: queue!, deadLetterQueueUrl: deadLetters!, max: Number(values.max ?? 1_000) });
  process.stdout.write(`moved ${moved} message(s) from the dead-letter queue back to the ${name} queue\n`);
}
