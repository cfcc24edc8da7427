// npm start: the whole system on this machine, until Ctrl-C.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signLocalToken } from './jwt.ts';
import { localDir } from './keys.ts';
import { startLocalStack, StartupError } from './stack.ts';

const port = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  return Number.isInteger(value) && value > 0 && value < 65_536 ? value : fallback;
};

const started = performance.now();
try {
  const stack = await startLocalStack({
    apiPort: port('API_PORT', 3000),
    dynamoPort: port('DYNAMODB_PORT', 8000),
    sqsPort: port('SQS_PORT', 9324),
    sesPort: port('SES_PORT', 8005),
    s3Port: port('S3_PORT', 4568),
    dataDir: join(localDir, 'dynamodb'),
  });
  const advisor = await signLocalToken({ role: 'advisor', firmId: 'firm-demo', sub: 'advisor-demo', email: 'advisor@firm-demo.test', firmName: 'Demo Wealth' });
  const ops = await signLocalToken({ role: 'ops', sub: 'ops-demo', email: 'ops.demo@advisor-platform.test' });
  // Where the ops scripts (npm run redrive-dlq) find this stack.
  writeFileSync(
    join(localDir, 'endpoints.json'),
    JSON.stringify(
      {
        apiUrl: stack.apiUrl,
        mailUrl: stack.mailUrl,
        sqsUrl: stack.sqsUrl,
        queueUrl: stack.queues.queueUrl,
        deadLetterQueueUrl: stack.queues.deadLetterQueueUrl,
        emailEventsQueueUrl: stack.emailEvents.queueUrl,
        emailEventsDeadLetterQueueUrl: stack.emailEvents.deadLetterQueueUrl,
        documentUploadsQueueUrl: stack.documentUploads.queueUrl,
        documentUploadsDeadLetterQueueUrl: stack.documentUploads.deadLetterQueueUrl,
      },
      null,
      2,
    ),
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    [
      `portal-onboarding is running (started in ${seconds} s)`,
      `  API          ${stack.apiUrl}   (OpenAPI: ${stack.apiUrl}/openapi.json)`,
      `  ops console  ${stack.apiUrl}/ops/console   (local sign-in as a development ops user)`,
      `  mail viewer  ${stack.mailUrl}   (sent mail as JSON: ${stack.mailUrl}/store)`,
      `  DynamoDB     ${stack.dynamoUrl}   table ${stack.tableName}, data in .local/dynamodb`,
      `  SQS          ${stack.sqsUrl}   queue ${stack.queues.queueUrl}`,
      `  documents    ${stack.documentsUrl}   bucket ${stack.documentBucket} (clients' uploads; local S3 server s3rver)`,
      `  SES events   invite bounce@, complaint@ or success@simulator.amazonses.com: SNS ${stack.emailEvents.topicArn} to ${stack.emailEvents.queueUrl}`,
      '',
      'An advisor token for firm "firm-demo" and an ops token for every firm (valid 12 h; more with npm run --silent token -- --help):',
      `  export ADVISOR_TOKEN=${advisor}`,
      `  export OPS_TOKEN=${ops}`,
      '',
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping...\n');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  process.stderr.write(`npm start: ${error instanceof StartupError ? error.message : (error as Error).stack}\n`);
  process.exit(1);
}
