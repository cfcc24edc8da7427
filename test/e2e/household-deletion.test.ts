// Issue #15 item 7, "documents are deleted with their household": an advisor deletes a household that has a live
// invitation with an open ticket and an accepted client signed in with an uploaded file; everything it held goes (the
// link, the ticket's client details, the portal, the checklist, the file in the local S3 server), its trail stays. The
// client's sessions and sign-in links, which no deletion can find, never held their email.
// And deletion racing new invitations and document requests leaves nothing behind.
import { randomUUID } from 'node:crypto';
import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { localCredentials, localRegion } from '../../infra/local/provision.ts';
import { householdKey } from '../../lib/adapters/dynamodb/keys.ts';
import { clientKeyOf } from '../../lib/domain/portal-access.ts';
import { apiUrl, call, newFirm, opsToken, tokenFor } from '../support/api.ts';
import { eventually, linkIn, uniqueEmail, waitForMail, type StoredMail } from '../support/mail.ts';

type Form = { url: string; fields: Record<string, string> };

const pdf = '%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n';
const accountNumber = '7700-1234-5678';

const table = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: localRegion, credentials: localCredentials, endpoint: inject('dynamoUrl') }),
);

/** What is left in the household's partition, by sort key. */
const partitionOf = async (firmId: string, householdId: string): Promise<string[]> => {
  const result = await table.send(
    new QueryCommand({ TableName: inject('tableName'), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': householdKey(firmId, householdId).pk } }),
  );
  return (result.Items ?? []).map((item) => item.sk as string);
};

/** Every item of the whole table filed for a client by their key: no index finds them, so a test scans. */
const itemsOfClient = async (clientKey: string): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.send(
      new ScanCommand({ TableName: inject('tableName'), FilterExpression: 'clientKey = :key', ExpressionAttributeValues: { ':key': clientKey }, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};

const signInTokensIn = (mails: StoredMail[]) => mails.flatMap((mail) => /\/portal\/sign-in\/([A-Za-z0-9_-]{43})/.exec(mail.body.text ?? '')?.slice(1) ?? []);

/** The local S3 server and bucket a form posts to (path style). */
const bucketOf = (form: Form) => {
  const url = new URL(form.url);
  return { s3: new S3Client({ endpoint: url.origin, region: localRegion, credentials: localCredentials, forcePathStyle: true }), bucket: url.pathname.replace(/^\/|\/$/g, '') };
};

const invite = (token: string, householdId: string, email = uniqueEmail('deleted')) =>
  call('POST', `/households/${householdId}/invitations`, { token, body: { firstName: 'Del', lastName: 'Eted', email } });

describe('deleting a household', () => {
  const firmId = newFirm();
  let advisor: string;
  let householdId: string;
  let prospectLink: string;
  let ticketId: string;
  let decidedTicketId: string;
  let session: Record<string, string>;
  let clientEmail: string;
  let linkCookie: string;
  let requestId: string;
  let form: Form;

  beforeAll(async () => {
    advisor = await tokenFor('advisor', firmId);
    householdId = (await call('POST', '/households', { token: advisor, body: { name: 'Doomed Household' } })).body.household.householdId;
    // A prospect's invitation: live, with a verification ticket open at the ops desk.
    const prospectEmail = uniqueEmail('prospect');
    const prospect = await invite(advisor, householdId, prospectEmail);
    ticketId = prospect.body.invitation.verification.ticketId;
    prospectLink = linkIn((await waitForMail(prospectEmail, 1))[0]).token;
    const ops = await opsToken();
    await eventually(async () => ((await call('GET', `/ops/tickets/${ticketId}`, { token: ops })).body.ticket?.status === 'open' ? true : undefined));
    // A second prospect ops approved, writing down how (words that name the client).
    const decided = await invite(advisor, householdId, uniqueEmail('approved'));
    decidedTicketId = decided.body.invitation.verification.ticketId;
    await eventually(async () => ((await call('GET', `/ops/tickets/${decidedTicketId}`, { token: ops })).body.ticket?.status === 'open' ? true : undefined));
    const approval = { note: 'Doomed client confirmed her birthday', evidence: { method: 'phone', reference: 'Called the Doomed client on 555-0100' } };
    expect((await call('POST', `/ops/tickets/${decidedTicketId}/approve`, { token: ops, body: approval })).status).toBe(200);
    // An account makes it a client; a second member verifies with it, accepts and is signed in to the portal.
    expect((await call('POST', `/households/${householdId}/accounts`, { token: advisor, body: { accountNumber } })).status).toBe(201);
    clientEmail = uniqueEmail('client');
    await invite(advisor, householdId, clientEmail);
    const link = linkIn((await waitForMail(clientEmail, 1))[0]).token;
    expect((await call('POST', `/portal/invitations/${link}/verify`, { body: { accountNumber } })).status).toBe(200);
    const accepted = await call('POST', `/portal/invitations/${link}/accept`, { headers: { origin: apiUrl(), 'sec-fetch-site': 'same-origin' } });
    const cookie = /^(__Host-portal_session=[^;]+)/.exec(accepted.headers.getSetCookie()[0] ?? '')![1]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec((await call('GET', '/portal', { headers: { cookie } })).text)![1]!;
    session = { cookie, origin: apiUrl(), 'sec-fetch-site': 'same-origin', 'x-csrf-token': csrf };
    // They also ask for two sign-in links and use one: a second session, and a link left unused.
    for (let n = 0; n < 2; n += 1) expect((await call('POST', '/portal/sign-in', { body: { email: clientEmail } })).status).toBe(202);
    const [used] = signInTokensIn(await waitForMail(clientEmail, 3));
    const signedIn = await fetch(`${apiUrl()}/portal/sign-in/${used}`, { method: 'POST', redirect: 'manual', headers: { origin: apiUrl(), 'sec-fetch-site': 'same-origin' } });
    linkCookie = /^(__Host-portal_session=[^;]+)/.exec(signedIn.headers.getSetCookie()[0] ?? '')![1]!;
    expect((await call('GET', '/portal', { headers: { cookie: linkCookie } })).text).toContain(`You are signed in as ${clientEmail}.`);
    // The client uploads the file asked for; it is scanned and received.
    const added = await call('POST', `/households/${householdId}/document-requests`, { token: advisor, body: { items: [{ title: 'Passport' }] } });
    requestId = added.body.items[0].requestId;
    form = (await call('POST', `/portal/document-requests/${requestId}/upload`, { headers: session, body: { name: 'passport.pdf', contentType: 'application/pdf' } })).body;
    const body = new FormData();
    for (const [field, value] of Object.entries(form.fields)) body.append(field, value);
    body.append('file', new Blob([pdf], { type: 'application/pdf' }), 'upload');
    expect((await fetch(form.url, { method: 'POST', body })).ok).toBe(true);
    await eventually(async () => {
      const items = (await call('GET', `/households/${householdId}/document-requests`, { token: advisor })).body.items;
      return items[0].status === 'received' ? true : undefined;
    }, 30_000);
  }, 120_000);

  it("answers the tombstone, with the same answer to a repeat; another firm's advisor gets 404", async () => {
    const other = await call('DELETE', `/households/${householdId}`, { token: await tokenFor('advisor', newFirm()) });
    expect(other.status).toBe(404);
    const key = randomUUID();
    const deleted = await call('DELETE', `/households/${householdId}`, { token: advisor, headers: { 'idempotency-key': key } });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ household: { householdId, status: 'deleted', deletedAt: expect.any(String) } });
    const replayed = await call('DELETE', `/households/${householdId}`, { token: advisor, headers: { 'idempotency-key': key } });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body).toEqual(deleted.body);
    const again = await call('DELETE', `/households/${householdId}`, { token: advisor });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(deleted.body);
  });

  it('answers 404 to every read of it but its trail, and lists it no more', async () => {
    for (const path of ['', '/invitations', '/document-requests', `/document-requests/${requestId}/download`]) {
      expect((await call('GET', `/households/${householdId}${path}`, { token: advisor })).status, path).toBe(404);
    }
    // Nothing new is filed under it either.
    const writes = [
      call('POST', `/households/${householdId}/accounts`, { token: advisor, body: { accountNumber: '99887766' } }),
      invite(advisor, householdId),
      call('POST', `/households/${householdId}/document-requests`, { token: advisor, body: { items: [{ title: 'Late' }] } }),
    ];
    for (const answer of await Promise.all(writes)) expect(answer.body.error).toMatchObject({ code: 'not_found', message: expect.stringMatching(/household/i) });
    const listed = await call('GET', '/households', { token: advisor });
    expect(listed.body.items.map((household: { householdId: string }) => household.householdId)).not.toContain(householdId);
    expect((await call('GET', '/households?status=client', { token: advisor })).body.items).toEqual([]);
    const events = (await call('GET', `/households/${householdId}/events?limit=100`, { token: advisor })).body.items;
    const actions = events.map((event: { action: string }) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['household.created', 'invitation.accepted', 'document.received', 'household.deleted', 'household.purged']));
    expect(events.find((event: { action: string }) => event.action === 'household.deleted')).toMatchObject({ from: 'client', to: 'deleted', actor: { role: 'advisor' } });
  });

  it("kills the prospect's link and cancels its ticket, whose client details are gone", async () => {
    expect((await call('GET', `/portal/invitations/${prospectLink}`)).status).toBe(404);
    const ticket = (await call('GET', `/ops/tickets/${ticketId}`, { token: await opsToken() })).body.ticket;
    expect(ticket).toMatchObject({ status: 'cancelled', note: 'household deleted', householdName: '(deleted household)' });
    expect(JSON.stringify(ticket)).not.toMatch(/Doomed|client\.test/);
  });

  it("scrubs ops' own words from a ticket decided before: the note and the evidence's reference, keeping how they checked", async () => {
    const ticket = (await call('GET', `/ops/tickets/${decidedTicketId}`, { token: await opsToken() })).body.ticket;
    expect(ticket).toMatchObject({ status: 'approved', note: '(deleted with the household)', evidence: { method: 'phone' }, client: { email: '(deleted)' } });
    expect(ticket.evidence).not.toHaveProperty('reference');
    expect(JSON.stringify(ticket)).not.toMatch(/Doomed|555-0100|client\.test/);
  });

  it("closes the client's portal: the session shows the sign-in form and starts no upload", async () => {
    const page = await call('GET', '/portal', { headers: { cookie: session.cookie! } });
    expect(page.text).not.toContain('Doomed Household');
    expect(page.text).not.toContain('name="csrf"');
    const upload = await call('POST', `/portal/document-requests/${requestId}/upload`, { headers: session, body: { name: 'again.pdf', contentType: 'application/pdf' } });
    expect([401, 404]).toContain(upload.status);
    expect((await call('GET', '/portal', { headers: { cookie: linkCookie } })).text).toContain('<form method="post" action="/portal/sign-in">');
  });

  it("leaves the client's email in none of their sessions or sign-in links, which outlive it until they expire", async () => {
    const left = await itemsOfClient(clientKeyOf(clientEmail));
    const kinds = left.map((item) => String(item.pk).split('#')[0]).sort();
    // Both sessions (accepting's, the link's) and the unused link are still there: the check below reads real items.
    expect(kinds).toEqual(['PORTAL_LINK', 'PORTAL_SESSION', 'PORTAL_SESSION']);
    for (const item of left) expect(JSON.stringify(item).toLowerCase()).not.toContain(clientEmail.toLowerCase());
  });

  it('leaves no object under the household in the bucket, and only its tombstone and trail in the table', async () => {
    const { s3, bucket } = bucketOf(form);
    try {
      await expect(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: form.fields.key }))).rejects.toMatchObject({ name: 'NotFound' });
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `households/${firmId}/${householdId}/` }));
      expect(listed.KeyCount ?? 0).toBe(0);
    } finally {
      s3.destroy();
    }
    const left = await partitionOf(firmId, householdId);
    expect(left.filter((sk) => sk !== 'HOUSEHOLD' && !sk.startsWith('EVENT#'))).toEqual([]);
    expect(left).toContain('HOUSEHOLD');
  });
});

describe('deleting a household while invitations and document requests are being added', () => {
  it('leaves no live invitation, link or checklist item once the deletion answered', async () => {
    const firmId = newFirm();
    const advisor = await tokenFor('advisor', firmId);
    for (let round = 0; round < 3; round += 1) {
      const householdId = (await call('POST', '/households', { token: advisor, body: { name: `Race ${round}` } })).body.household.householdId;
      const emails = Array.from({ length: 6 }, () => uniqueEmail('race'));
      const [deleted, ...answers] = await Promise.all([
        call('DELETE', `/households/${householdId}`, { token: advisor }),
        ...emails.map((email) => invite(advisor, householdId, email)),
        ...Array.from({ length: 4 }, (_, n) =>
          call('POST', `/households/${householdId}/document-requests`, { token: advisor, body: { items: [{ title: `Doc ${n}` }] } }),
        ),
        // A full transaction (50 items and their events) has no room for the check: it checks after its commit.
        call('POST', `/households/${householdId}/document-requests`, {
          token: advisor,
          body: { items: Array.from({ length: 50 }, (_, n) => ({ title: `Bulk ${n}` })) },
        }),
        call('POST', '/invitations/batch', {
          token: advisor,
          body: { items: [{ householdId, firstName: 'Bat', lastName: 'Ch', email: uniqueEmail('race-batch') }] },
        }),
      ]);
      expect(deleted!.status).toBe(200);
      expect(answers.filter((answer) => answer.status >= 500)).toEqual([]);
      for (const answer of answers) expect([200, 201, 404]).toContain(answer.status);
      const left = await partitionOf(firmId, householdId);
      expect(left.filter((sk) => sk !== 'HOUSEHOLD' && !sk.startsWith('EVENT#')), `round ${round}`).toEqual([]);
      // Every invitation saved before the deletion was emailed a link that is dead now.
      for (const [index, email] of emails.entries()) {
        if (answers[index]!.status !== 201) continue;
        const mail = await waitForMail(email, 1);
        expect((await call('GET', `/portal/invitations/${linkIn(mail[0]).token}`)).status).toBe(404);
      }
    }
  }, 120_000);
});
