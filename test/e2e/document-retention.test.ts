// A document's retention as the API says it, on a stack of its own whose functions are given DOCUMENT_RETENTION_DAYS
// as the CDK stack gives them its documentRetentionDays: a received file says until when it is kept, and once that
// time has passed (the clock is faked) a download answers 410 in the error envelope, since S3 has deleted it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envNames } from '../../lib/config.ts';
import { tokenFor } from '../support/api.ts';
import { invitedClient } from '../support/invited-client.ts';
import { eventually } from '../support/mail.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';
import { atTime } from '../support/clock.ts';

const retentionDays = 3;
let own: OwnStack;

beforeAll(async () => {
  // Read by every handler of this process's stack, as Lambda reads its environment.
  process.env[envNames.documentRetentionDays] = String(retentionDays);
  own = await startOwnStack();
}, 120_000);
afterAll(async () => {
  delete process.env[envNames.documentRetentionDays];
  await own?.stop();
});

const pdf = '%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n';


describe("a document's retention", () => {
  it('shows when the file is deleted, and answers 410 for a download from then on', async () => {
    const { firm, advisor, householdId, token } = await invitedClient(own, '7700-1234-5678');
    const samePage = { origin: own.stack.apiUrl, 'sec-fetch-site': 'same-origin' };
    expect((await own.api('POST', `/portal/invitations/${token}/verify`, { body: { accountNumber: '7700-1234-5678' } })).status).toBe(200);
    const accepted = await own.api('POST', `/portal/invitations/${token}/accept`, { headers: samePage });
    const cookie = /^(__Host-portal_session=[^;]+)/.exec(accepted.headers.getSetCookie()[0] ?? '')![1]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec((await own.api('GET', '/portal', { headers: { cookie } })).text)![1]!;

    const path = `/households/${householdId}/document-requests`;
    const requestId = (await own.api('POST', path, { token: advisor, body: { items: [{ title: 'Passport' }] } })).body.items[0].requestId as string;
    const form = await own.api('POST', `/portal/document-requests/${requestId}/upload`, {
      headers: { ...samePage, cookie, 'x-csrf-token': csrf },
      body: { name: 'passport.pdf', contentType: 'application/pdf' },
    });
    const body = new FormData();
    for (const [field, value] of Object.entries(form.body.fields as Record<string, string>)) body.append(field, value);
    body.append('file', new Blob([pdf], { type: 'application/pdf' }), 'upload');
    expect((await fetch(form.body.url, { method: 'POST', body })).ok).toBe(true);
    const { file } = await eventually(async () => {
      const item = (await own.api('GET', path, { token: advisor })).body.items[0];
      return item.status === 'received' ? item : undefined;
    });
    const retainUntil = new Date(Date.parse(file.receivedAt) + retentionDays * 86_400_000);
    expect(file.retainUntil).toBe(retainUntil.toISOString());

    const download = async (when: Date) =>
      atTime(when, async () => own.api('GET', `${path}/${requestId}/download`, { token: await tokenFor('advisor', firm) }));
    expect((await download(new Date(retainUntil.getTime() - 60_000))).status).toBe(200);
    const gone = await download(retainUntil);
    expect(gone.status).toBe(410);
    expect(gone.body).toEqual({ error: { code: 'gone', message: 'The file was deleted after its retention period', details: [] } });
  }, 60_000);
});
