// Runs the local stack in its own process, so the bench's CPU figures hold only handler and SDK work,
// not the in-process SQS and SES stand-ins answering them. Prints one JSON line, stops when stdin closes.
import { envNames } from '../lib/config.ts';
import { startOnFreePorts } from '../infra/local/stack.ts';

process.env.LOG_LEVEL ??= 'WARN';
const stack = await startOnFreePorts({
  // No dataDir: an in-memory table is as private as a temp folder, and a disk-backed DynamoDB Local
  // syncs every write to disk, which would swamp the AWS-wait column and triple the bench's runtime.
  // The sweeper must not repair what the bench is still measuring; the bench has no dead links to throttle.
  outboxGraceSeconds: 3_600,
  scheduleEveryMs: 3_600_000,
  throttle: { deadLinks: 1_000_000_000, wrongNumbers: 1_000_000_000 },
});

const shared = ['AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_SQS', 'AWS_ENDPOINT_URL_SES', 'AWS_ENDPOINT_URL_SNS', 'AWS_ENDPOINT_URL_S3', ...Object.values(envNames)];
const env = Object.fromEntries(shared.flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]]])));
process.stdout.write(`${JSON.stringify({ env, mailUrl: stack.mailUrl, sqsUrl: stack.sqsUrl })}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await stack.stop().catch(() => undefined);
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
