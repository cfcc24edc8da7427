// npm run redrive-dlq [-- --queue-url URL --dlq-url URL [--max N]]
// Without URLs it re-drives the local stack started by `npm start`; with them, real SQS (default AWS credentials).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SQSClient } from '@aws-sdk/client-sqs';
import { localDir } from '../local/keys.ts';
import { localCredentials, localRegion } from '../local/provision.ts';
import { redriveDeadLetters } from './redrive.ts';

const { values } = parseArgs({
  options: { 'queue-url': { type: 'string' }, 'dlq-url': { type: 'string' }, max: { type: 'string' } },
});
let sqs: SQSClient;
let queueUrl = values['queue-url'];
let deadLetterQueueUrl = values['dlq-url'];
if (queueUrl && deadLetterQueueUrl) {
  sqs = new SQSClient({});
} else {
  const local = JSON.parse(readFileSync(join(localDir, 'endpoints.json'), 'utf8')) as Record<string, string>;
  sqs = new SQSClient({ endpoint: local.sqsUrl, region: localRegion, credentials: localCredentials, useQueueUrlAsEndpoint: false });
  queueUrl = local.queueUrl;
  deadLetterQueueUrl = local.deadLetterQueueUrl;
}
const moved = await redriveDeadLetters({ sqs, queueUrl: queueUrl!, deadLetterQueueUrl: deadLetterQueueUrl!, max: Number(values.max ?? 1_000) });
process.stdout.write(`moved ${moved} message(s) from the dead-letter queue back to the ticket queue\n`);
