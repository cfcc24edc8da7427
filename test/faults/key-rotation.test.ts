import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoHouseholds } from '../../lib/adapters/dynamodb/households.ts';
import { keyringPath, readLocalKeyring, writeLocalKeyring } from '../../infra/local/account-keyring.ts';
import { finished, keyringFromSecret, rotated } from '../../infra/ops/rotate-account-key.ts';
import { newFirm, tokenFor } from '../support/api.ts';
import { linkIn, uniqueEmail, waitForMail } from '../support/mail.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';

// The handlers run in this process and read the keyring from its env on each call, as `npm start` does after a restart.
let own: OwnStack;

beforeAll(async () => {
  own = await startOwnStack({ throttle: { deadLinks: 1_000_000, wrongNumbers: 1_000_000 } });
}, 120_000);

afterAll(async () => {
  delete process.env.ACCOUNT_KEYRING;
  await own?.stop();
});

const firm = newFirm();
let advisor: string;

const invite = async (householdId: string) => {
  const email = uniqueEmail('rotation');
  await own.api('POST', `/households/${householdId}/invitations`, { token: advisor, body: { firstName: 'Ro', lastName: 'Tate', email } });
  return linkIn((await waitForMail(email, 1, own.stack.mailUrl))[0]).token;
};

const verify = (token: string, accountNumber: string) => own.api('POST', `/portal/invitations/${token}/verify`, { body: { accountNumber } });

const storedHashes = async (householdId: string) => (await dynamoHouseholds.get(firm, householdId))!.accounts.map((a) => a.numberHash);

describe('rotating the account-number key', () => {
  it('keeps verifying through a rotation, hashes new accounts with the new key, and re-stamps on verify', async () => {
    advisor = await tokenFor('advisor', firm);
    const keyA = process.env.ACCOUNT_KEY!;
    const create = (accountNumber: string) =>
      own.api('POST', '/households', { token: advisor, body: { name: 'Rotating', accounts: [{ accountNumber }] } });
    const verifiedLater = (await create('111222333')).body.household.householdId as string;
    const neverSeen = (await create('444555666')).body.household.householdId as string;
    expect((await storedHashes(verifiedLater))[0]).not.toContain(':');

    // Rotate to B, with A (the key from before rotation, id "default") still accepted.
    const ring = rotated(keyringFromSecret(keyA), { id: 'kB', key: 'b'.repeat(64) });
    process.env.ACCOUNT_KEYRING = JSON.stringify(ring);
    expect((await verify(await invite(verifiedLater), '111-222-333')).status).toBe(200);
    expect((await storedHashes(verifiedLater))[0]).toMatch(/^kB:/);

    const linked = await own.api('POST', `/households/${neverSeen}/accounts`, { token: advisor, body: { accountNumber: '777888999' } });
    expect(linked.status).toBe(201);
    expect((await storedHashes(neverSeen))[1]).toMatch(/^kB:/);
    // A number stored under A is still the same number: linking it again is refused, not stored a second time.
    const again = await own.api('POST', `/households/${neverSeen}/accounts`, { token: advisor, body: { accountNumber: '444-555-666' } });
    expect(again.status).toBe(409);
    expect(await storedHashes(neverSeen)).toHaveLength(2);

    // Drop A: re-stamped and new accounts still verify; one nobody verified during the rotation no longer does.
    process.env.ACCOUNT_KEYRING = JSON.stringify(finished(ring));
    expect((await verify(await invite(verifiedLater), '111222333')).status).toBe(200);
    expect((await verify(await invite(neverSeen), '777888999')).status).toBe(200);
    expect((await verify(await invite(neverSeen), '444555666')).status).toBe(422);
  });

  it('refuses to start a rotation while one is unfinished, and keeps the local keyring file readable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyring-'));
    try {
      const path = keyringPath(dir);
      const first = rotated({ current: { id: 'default', key: 'a'.repeat(64) } }, { id: 'k1', key: 'c'.repeat(64) });
      writeLocalKeyring(first, path);
      expect(readLocalKeyring(path)).toEqual({ current: { id: 'k1', key: 'c'.repeat(64) }, previous: { id: 'default', key: 'a'.repeat(64) } });
      expect(() => rotated(first, { id: 'k2', key: 'd'.repeat(64) })).toThrow(/--finish/);
      expect(rotated(finished(first), { id: 'k2', key: 'd'.repeat(64) }).previous?.id).toBe('k1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
