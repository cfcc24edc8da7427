// A household's purge left undone is finished by the sweeper: the deleting request died right after its tombstone
// committed (the tombstone and its outbox entry written, nothing purged), or a purge step kept failing (S3 down). The
// sweeper runs with a clock the test moves, so nothing here waits for real time to pass.
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials, localRegion } from '../../infra/local/provision.ts';
import { recorded, staffActor } from '../../lib/domain/audit.ts';
import { deleteHousehold, purgeGraceMs } from '../../lib/domain/household-deletion.ts';
import { newFirm, opsToken, tokenFor } from '../support/api.ts';
import { eventually, linkIn, uniqueEmail, waitForMail } from '../support/mail.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';

let own: OwnStack;
let firmId: string;
let advisor: string;
let s3: S3Client;
const bucket = 'portal-documents';

beforeAll(async () => {
  own = await startOwnStack();
  firmId = newFirm();
  advisor = await tokenFor('advisor', firmId, { sub: 'advisor-purge' });
  s3 = new S3Client({ endpoint: own.stack.documentsUrl, region: localRegion, credentials: localCredentials, forcePathStyle: true });
}, 120_000);
afterAll(async () => {
  s3?.destroy();
  await own?.stop();
});

// Imported once the stack has set the environment the adapters read.
const adapters = async () => ({
  ...(await import('../../lib/adapters/dynamodb/client.ts')),
  ...(await import('../../lib/adapters/dynamodb/household-deletion.ts')),
  ...(await import('../../lib/adapters/dynamodb/invitations.ts')),
  ...(await import('../../lib/adapters/dynamodb/outbox.ts')),
  ...(await import('../../lib/adapters/dynamodb/tickets.ts')),
  ...(await import('../../lib/adapters/s3-documents.ts')),
  ...(await import('../../lib/adapters/sqs.ts')),
  ...(await import('../../lib/use-cases/purge-household.ts')),
  ...(await import('../../lib/use-cases/sweep-outbox.ts')),
});

/** A sweep as the scheduled function runs it, at the time the test chooses; `files` stands in for the bucket when given. */
const sweepAt = async (at: Date, files?: { removeAll(prefix: string): Promise<void> }) => {
  const a = await adapters();
  const purgeDeps = { householdDeletion: a.dynamoHouseholdDeletion, invitations: a.dynamoInvitations, documentFiles: files ?? a.s3DocumentFiles, now: () => at, requestId: 'sweep-run' };
  return a.sweepOutbox({
    outbox: a.dynamoOutbox,
    ticketQueue: a.sqsTicketQueue,
    tickets: a.dynamoTickets,
    now: () => at,
    requestId: 'sweep-run',
    retry: () => ({ maxAttempts: 3, firstDelayMs: 1_000, maxDelayMs: 10_000 }),
    purgeHousehold: (household) => a.purgeOwed(purgeDeps, household),
  });
};

const stored = async (key: string) =>
  s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
    () => true,
    (error: unknown) => (error instanceof Error && error.name === 'NotFound' ? false : Promise.reject(error)),
  );

const partition = async (householdId: string) => {
  const { documents } = await adapters();
  const result = await documents.send(
    new QueryCommand({ TableName: own.stack.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `FIRM#${firmId}#HH#${householdId}` } }),
  );
  return (result.Items ?? []).map((item) => item.sk as string).filter((sk) => sk !== 'HOUSEHOLD' && !sk.startsWith('EVENT#'));
};

/**
 * A prospect with a live invitation (its ticket open), a checklist item and a file under its prefix, deleted by a
 * request that died right after its tombstone committed: the household as the request read it, and the moment.
 */
const crashedDeletion = async () => {
  const householdId = (await own.api('POST', '/households', { token: advisor, body: { name: 'Crashed Deletion' } })).body.household.householdId as string;
  const email = uniqueEmail('purge');
  const invited = await own.api('POST', `/households/${householdId}/invitations`, { token: advisor, body: { firstName: 'Pu', lastName: 'Rge', email } });
  const ticketId = invited.body.invitation.verification.ticketId as string;
  const ops = await opsToken();
  await eventually(async () => ((await own.api('GET', `/ops/tickets/${ticketId}`, { token: ops })).status === 200 ? true : undefined));
  await own.api('POST', `/households/${householdId}/document-requests`, { token: advisor, body: { items: [{ title: 'Statement' }] } });
  // A key the uploads consumer leaves alone (not an upload's shape), so only the purge can delete it.
  const key = `households/${firmId}/${householdId}/kept/by/nothing.pdf`;
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: '%PDF-1.4\n', ContentType: 'application/pdf' }));
  const { dynamoHouseholdDeletion } = await adapters();
  const household = (await dynamoHouseholdDeletion.find(firmId, householdId))!;
  const now = new Date();
  const deletion = recorded(deleteHousehold(household as never, 'advisor-purge', now), staffActor({ sub: 'advisor-purge' }, 'advisor'), 'died-request');
  expect(await dynamoHouseholdDeletion.remove(deletion)).toBe(true);
  return { householdId, ticketId, key, link: linkIn((await waitForMail(email, 1, own.stack.mailUrl))[0]).token, now };
};

describe('a purge the deleting request never did', () => {
  it('is left to the request within its grace period, then finished by the sweeper', async () => {
    const { householdId, ticketId, key, link, now } = await crashedDeletion();
    expect((await own.api('GET', `/households/${householdId}`, { token: advisor })).status).toBe(404);
    expect(await partition(householdId)).not.toEqual([]);
    expect(await stored(key)).toBe(true);

    expect((await sweepAt(now)).purged).toBe(0);
    expect(await stored(key)).toBe(true);

    const swept = await sweepAt(new Date(now.getTime() + purgeGraceMs + 1_000));
    expect(swept).toMatchObject({ purged: 1, failed: 0 });
    expect(await partition(householdId)).toEqual([]);
    expect(await stored(key)).toBe(false);
    expect((await own.api('GET', `/portal/invitations/${link}`)).status).toBe(404);
    const ticket = (await own.api('GET', `/ops/tickets/${ticketId}`, { token: await opsToken() })).body.ticket;
    expect(ticket).toMatchObject({ status: 'cancelled', note: 'household deleted', client: { email: '(deleted)' } });
    const events = (await own.api('GET', `/households/${householdId}/events?limit=100`, { token: advisor })).body.items;
    expect(events.filter((event: { action: string }) => event.action === 'household.purged')).toEqual([
      expect.objectContaining({ actor: { sub: 'portal-onboarding', role: 'system' }, requestId: 'sweep-run' }),
    ]);
    // Done once: the entry is out of the outbox, and a later sweep finds nothing to purge.
    expect((await sweepAt(new Date(now.getTime() + 2 * purgeGraceMs))).purged).toBe(0);
  }, 60_000);

  it('is retried with backoff while a step fails (S3 down), and finished once it works again', async () => {
    const { householdId, key, now } = await crashedDeletion();
    const down = { removeAll: async () => Promise.reject(Object.assign(new Error('S3 is down'), { name: 'ServiceUnavailable' })) };
    const due = new Date(now.getTime() + purgeGraceMs + 1_000);
    expect(await sweepAt(due, down)).toMatchObject({ purged: 0, failed: 1 });
    // The items went before the files; the files wait for the next try, which is not due at once.
    expect(await partition(householdId)).toEqual([]);
    expect(await stored(key)).toBe(true);
    expect((await sweepAt(new Date(due.getTime() + 1))).failed).toBe(0);
    const retried = await sweepAt(new Date(due.getTime() + 60_000));
    expect(retried).toMatchObject({ purged: 1, failed: 0 });
    expect(await stored(key)).toBe(false);
  }, 60_000);
});
