// npx tsx infra/ops/outbox-stuck.ts [--table NAME] [--retry]
// Lists the outbox entries the sweeper set aside after their try limit (the OutboxStuckEntries alarm), one JSON
// line each, ids and reasons only; --retry makes them due again with a fresh budget once the cause is fixed.
// Without --table it reads the local stack of `npm start`; with it, the AWS table (default AWS credentials).
import { parseArgs } from 'node:util';
import { localCredentials, localRegion } from '../local/provision.ts';

const { values } = parseArgs({
  options: { table: { type: 'string' }, retry: { type: 'boolean', default: false }, max: { type: 'string', default: '100' } },
});
if (values.table) {
  process.env.TABLE_NAME = values.table;
} else {
  Object.assign(process.env, {
    TABLE_NAME: 'portal-onboarding',
    AWS_ENDPOINT_URL_DYNAMODB: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`,
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
  });
}
// Imported after the environment is set: the table client reads its endpoint when it is created.
const { dynamoOutbox, returnToOutbox } = await import('../../lib/adapters/dynamodb/outbox.ts');

const stuck = await dynamoOutbox.stuck(Number(values.max));
for (const entry of stuck) {
  const line = {
    kind: entry.kind,
    firmId: entry.firmId,
    householdId: entry.householdId,
    invitationId: entry.invitationId,
    ticketId: entry.ticketRequest?.ticketId,
    attempts: entry.attempts,
    reason: entry.stuckReason,
    key: entry.itemKey,
    ...(values.retry ? { returned: await returnToOutbox(entry, new Date().toISOString()) } : {}),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
process.stderr.write(`${stuck.length} stuck outbox entr${stuck.length === 1 ? 'y' : 'ies'}${values.retry ? ', returned to the outbox' : ''}\n`);
