// Issue #10 "hostile cases": a concurrent burst on every POST route (the newer ones in bursts-new-routes.test.ts).
// No 5xx, every answer an error envelope or the route's success shape, and the records it leaves are not duplicated.
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { routes } from '../../infra/routes.ts';
import { call, newFirm, tokenFor, type Answer, type CallOptions } from '../support/api.ts';
import { eventually, linkIn, mailTo, uniqueEmail, waitForMail } from '../support/mail.ts';
import { answerProblem, systemReader, tokenHashOf } from './system.ts';

const size = 20;
const accountNumber = '55554444';
const reader = systemReader({
  apiUrl: inject('apiUrl'),
  mailUrl: inject('mailUrl'),
  dynamoUrl: inject('dynamoUrl'),
  sqsUrl: inject('sqsUrl'),
  tableName: inject('tableName'),
  queueUrl: inject('queueUrl'),
});
afterAll(() => reader.close());

const firm = newFirm();
const advisor = await tokenFor('advisor', firm, { sub: 'advisor-burst', email: 'advisor.burst@firm.test', firmName: 'Burst Wealth' });
const ops = await tokenFor('ops', firm, { sub: 'ops-burst' });

/** Fires `size` copies of one request at once; fails on any 5xx or an answer of neither shape. */
const burst = async (method: string, path: string, options: CallOptions, successKey?: string, count = size): Promise<Answer[]> => {
  const answers = await Promise.all(Array.from({ length: count }, () => call(method, path, options)));
  for (const answer of answers) {
    expect(answerProblem(`${method} ${path}`, answer)).toBeUndefined();
    if (successKey && answer.status < 300) expect(answer.body, `${method} ${path} ${answer.status}`).toHaveProperty(successKey);
  }
  return answers;
};

const statuses = (answers: Answer[]) => answers.map((a) => a.status).sort();
const withKey = (options: CallOptions): CallOptions => ({ ...options, headers: { ...options.headers, 'idempotency-key': randomUUID() } });

const newHousehold = async (accounts: { accountNumber: string }[] = []) =>
  (await call('POST', '/households', { token: advisor, body: { name: 'Burst Family', accounts } })).body.household.householdId as string;

const invited = async (householdId: string) => {
  const email = uniqueEmail('burst');
  const answer = await call('POST', `/households/${householdId}/invitations`, { token: advisor, body: { firstName: 'Bo', lastName: 'Burst', email } });
  expect(answer.status).toBe(201);
  return { householdId, email, invitationId: answer.body.invitation.invitationId as string, ticketId: answer.body.invitation.verification.ticketId as string | undefined, token: linkIn((await waitForMail(email))[0]).token };
};

const openTicket = async () => {
  const invitation = await invited(await newHousehold());
  await eventually(async () => ((await call('GET', `/ops/tickets/${invitation.ticketId}`, { token: ops })).status === 200 ? true : undefined));
  return invitation;
};

const liveInvitations = async (householdId: string) => (await reader.invitationsOf(firm, householdId)).filter((i) => i.state === 'live');
const ticketsFor = async (invitationId: string) => (await reader.ticketsOf(firm)).filter((t) => t.invitationId === invitationId);

/** Marks the route a burst covers: the coverage check reads these calls here and in bursts-new-routes.test.ts. */
const route = (path: string) => path;

describe('a concurrent burst on every POST route', () => {
  it('POST /households: 20 without a key make 20 households, 20 with one key make one', async () => {
    route('/households');
    const before = (await reader.api('GET', '/households?limit=100', { token: advisor })).body.items.length as number;
    const plain = await burst('POST', '/households', { token: advisor, body: { name: 'Plain' } }, 'household');
    expect(new Set(plain.map((a) => a.body.household.householdId)).size).toBe(size);
    const keyed = await burst('POST', '/households', withKey({ token: advisor, body: { name: 'Keyed' } }), 'household');
    expect(keyed.filter((a) => a.status === 201).length).toBeGreaterThan(0);
    expect(new Set(keyed.filter((a) => a.status === 201).map((a) => a.body.household.householdId)).size).toBe(1);
    const after = (await reader.api('GET', '/households?limit=100', { token: advisor })).body.items.length as number;
    expect(after - before).toBe(size + 1);
  });

  it('POST /households/{id}/accounts: one number linked 20 times at once is linked once; 20 numbers are all linked', async () => {
    const householdId = await newHousehold();
    const path = route('/households/{householdId}/accounts').replace('{householdId}', householdId);
    const same = await burst('POST', path, { token: advisor, body: { accountNumber } }, 'household');
    expect(same.filter((a) => a.status === 201)).toHaveLength(1);
    const distinct = await Promise.all(Array.from({ length: size }, (_, i) => call('POST', path, { token: advisor, body: { accountNumber: `7000${1000 + i}` } })));
    distinct.forEach((a) => expect(answerProblem('link', a)).toBeUndefined());
    const household = (await call('GET', `/households/${householdId}`, { token: advisor })).body.household;
    expect(household.accounts).toHaveLength(1 + distinct.filter((a) => a.status === 201).length);
    expect(household.status).toBe('client');
  });

  it('POST /households/{id}/invitations: 20 invites of one email leave one live invitation and one ticket', async () => {
    const householdId = await newHousehold();
    const path = route('/households/{householdId}/invitations').replace('{householdId}', householdId);
    const body = { firstName: 'Ivy', lastName: 'Once', email: uniqueEmail('once') };
    const plain = await burst('POST', path, { token: advisor, body }, 'invitation');
    expect(plain.filter((a) => a.status === 201)).toHaveLength(1);
    expect(statuses(plain).filter((s) => s !== 201 && s !== 409)).toEqual([]);
    const keyedBody = { ...body, email: uniqueEmail('keyed') };
    const keyed = await burst('POST', path, withKey({ token: advisor, body: keyedBody }), 'invitation');
    expect(new Set(keyed.filter((a) => a.status === 201).map((a) => a.body.invitation.invitationId)).size).toBe(1);
    const live = await liveInvitations(householdId);
    expect(live).toHaveLength(2);
    for (const invitation of live) {
      await eventually(async () => ((await ticketsFor(invitation.invitationId)).length > 0 ? true : undefined));
      expect(await ticketsFor(invitation.invitationId)).toHaveLength(1);
      expect(await mailTo(invitation.email)).toHaveLength(1);
    }
  });

  it('POST .../resend: 20 at once stay within the daily limit and the newest email carries the one live link', async () => {
    const householdId = await newHousehold([{ accountNumber }]);
    const invitation = await invited(householdId);
    const path = route('/households/{householdId}/invitations/{invitationId}/resend')
      .replace('{householdId}', householdId)
      .replace('{invitationId}', invitation.invitationId);
    const answers = await burst('POST', path, { token: advisor }, 'invitation');
    expect(answers.filter((a) => a.status === 200).length).toBeLessThanOrEqual(4);
    const mails = await mailTo(invitation.email);
    expect(mails.length).toBeLessThanOrEqual(5);
    const [stored] = await liveInvitations(householdId);
    expect(tokenHashOf(linkIn(mails.at(-1)).token)).toBe(stored?.tokenHash);
    const working = await Promise.all(mails.map(async (m) => (await call('GET', `/portal/invitations/${linkIn(m).token}`)).status));
    expect(working.filter((s) => s === 200)).toHaveLength(1);
  });

  it('POST .../revoke: 20 at once revoke once, kill the link and cancel the ticket', async () => {
    const invitation = await openTicket();
    const { householdId } = invitation;
    const path = route('/households/{householdId}/invitations/{invitationId}/revoke')
      .replace('{householdId}', householdId)
      .replace('{invitationId}', invitation.invitationId);
    const answers = await burst('POST', path, { token: advisor }, 'invitation');
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses(answers).filter((s) => s !== 200 && s !== 409)).toEqual([]);
    expect(await liveInvitations(householdId)).toHaveLength(0);
    expect((await call('GET', `/portal/invitations/${invitation.token}`)).status).toBe(404);
    expect((await ticketsFor(invitation.invitationId)).map((t) => t.status)).toEqual(['cancelled']);
  });

  it('POST /portal/invitations/{token}/verify: 20 wrong numbers at once lock the link against the right one', async () => {
    const invitation = await invited(await newHousehold([{ accountNumber }]));
    const path = route('/portal/invitations/{token}/verify').replace('{token}', invitation.token);
    const wrong = await burst('POST', path, { body: { accountNumber: '11112222' } });
    expect(statuses(wrong).filter((s) => ![409, 422, 423].includes(s))).toEqual([]);
    const right = await call('POST', path, { body: { accountNumber } });
    expect(right.status).toBe(423);
    await eventually(async () => ((await ticketsFor(invitation.invitationId)).length > 0 ? true : undefined));
    expect((await ticketsFor(invitation.invitationId)).map((t) => t.reason)).toEqual(['verification_locked']);
  });

  it('POST /portal/invitations/{token}/verify: 20 right numbers at once all verify', async () => {
    const invitation = await invited(await newHousehold([{ accountNumber }]));
    const answers = await burst('POST', `/portal/invitations/${invitation.token}/verify`, { body: { accountNumber } }, 'invitation');
    expect(statuses(answers)).toEqual(Array(size).fill(200));
  });

  it('POST /portal/invitations/{token}/accept: 20 at once accept once', async () => {
    const invitation = await invited(await newHousehold([{ accountNumber }]));
    await call('POST', `/portal/invitations/${invitation.token}/verify`, { body: { accountNumber } });
    const path = route('/portal/invitations/{token}/accept').replace('{token}', invitation.token);
    const answers = await burst('POST', path, {}, 'portalAccess');
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(statuses(answers).filter((s) => s !== 200 && s !== 409)).toEqual([]);
  });

  it('POST /ops/tickets/{id}/approve and /reject: 20 at once decide once, and the client gets one fresh link', async () => {
    const paths = { approve: route('/ops/tickets/{ticketId}/approve'), reject: route('/ops/tickets/{ticketId}/reject') };
    for (const decision of ['approve', 'reject'] as const) {
      const invitation = await openTicket();
      const path = paths[decision].replace('{ticketId}', invitation.ticketId!);
      const body = decision === 'approve' ? { note: 'burst', evidence: { method: 'phone' } } : { reason: 'burst' };
      const answers = await burst('POST', path, { token: ops, body }, 'ticket');
      expect(answers.filter((a) => a.status === 200), decision).toHaveLength(1);
      expect(statuses(answers).filter((s) => s !== 200 && s !== 409)).toEqual([]);
      const tickets = await ticketsFor(invitation.invitationId);
      expect(tickets.map((t) => t.status)).toEqual([decision === 'approve' ? 'approved' : 'rejected']);
      if (decision === 'approve') {
        const mails = await waitForMail(invitation.email, 2);
        expect(mails).toHaveLength(2);
        expect((await call('GET', `/portal/invitations/${linkIn(mails[1]).token}`)).body.invitation.verification.status).toBe('verified');
      }
    }
  });

  it('POST /ops/tickets/{id}/claim and /release: 20 ops users claim at once and one holds it, who alone decides it and releases it once', async () => {
    const paths = { claim: route('/ops/tickets/{ticketId}/claim'), release: route('/ops/tickets/{ticketId}/release') };
    const { ticketId, invitationId } = await openTicket();
    const on = (path: string) => path.replace('{ticketId}', ticketId!);
    const [claimPath, releasePath, approvePath] = [on(paths.claim), on(paths.release), on('/ops/tickets/{ticketId}/approve')];
    const team = await Promise.all(Array.from({ length: size }, (_, i) => tokenFor('ops', firm, { sub: `ops-claimer-${i}` })));
    const everyone = async (tokens: string[], path: string, body?: unknown) => {
      const answers = await Promise.all(tokens.map((token) => call('POST', path, { token, body })));
      for (const answer of answers) expect(answerProblem(`POST ${path}`, answer)).toBeUndefined();
      return answers;
    };

    const claims = await everyone(team, claimPath);
    const won = claims.filter((a) => a.status === 200);
    expect(won).toHaveLength(1);
    expect(statuses(claims).filter((s) => s !== 200 && s !== 409)).toEqual([]);
    const holder = team[claims.indexOf(won[0]!)]!;
    const others = team.filter((token) => token !== holder);
    expect(won[0]!.body.ticket.assignee).toBe(`ops-claimer-${team.indexOf(holder)}`);

    // Claiming again is the holder's no-op; nobody else may release or decide the ticket they hold.
    expect(statuses(await burst('POST', claimPath, { token: holder }, 'ticket'))).toEqual(Array(size).fill(200));
    expect(statuses(await everyone(others, releasePath))).toEqual(Array(size - 1).fill(409));
    expect(statuses(await everyone(others, approvePath, { evidence: { method: 'phone' } }))).toEqual(Array(size - 1).fill(409));
    expect((await ticketsFor(invitationId)).map((t) => t.status)).toEqual(['open']);

    expect(statuses(await burst('POST', releasePath, { token: holder }, 'ticket'))).toEqual(Array(size).fill(200));
    const { ticket } = (await call('GET', `/ops/tickets/${ticketId}`, { token: ops })).body;
    expect(ticket.assignee).toBeUndefined();
    expect(ticket.history.map((event: { action: string }) => event.action)).toEqual(['raised', 'claimed', 'released']);
  });

  it('POST /invite/{token}/verify and /accept (the page forms): 20 at once, no 5xx, locked once, accepted once', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const [verifyPath, acceptPath] = [route('/invite/{token}/verify'), route('/invite/{token}/accept')];
    const locked = await invited(await newHousehold([{ accountNumber }]));
    const wrong = await Promise.all(
      Array.from({ length: size }, () => call('POST', verifyPath.replace('{token}', locked.token), { rawBody: 'accountNumber=11112222', headers: form })),
    );
    expect(wrong.filter((a) => a.status >= 500)).toEqual([]);
    expect((await call('POST', `/portal/invitations/${locked.token}/verify`, { body: { accountNumber } })).status).toBe(423);

    const accepting = await invited(await newHousehold([{ accountNumber }]));
    await call('POST', `/invite/${accepting.token}/verify`, { rawBody: `accountNumber=${accountNumber}`, headers: form });
    const accepts = await Promise.all(
      Array.from({ length: size }, () => call('POST', acceptPath.replace('{token}', accepting.token), { rawBody: '', headers: form })),
    );
    expect(accepts.filter((a) => a.status >= 500)).toEqual([]);
    const stored = (await reader.invitationsOf(firm, accepting.householdId)).find((i) => i.invitationId === accepting.invitationId);
    expect(stored?.state).toBe('accepted');
  });

  it('covers every POST route in infra/routes.ts, here or in bursts-new-routes.test.ts', () => {
    // Each test file runs in a worker of its own, so the routes are read from both files' route('...') calls.
    const sources = ['bursts.test.ts', 'bursts-new-routes.test.ts'].map((file) => readFileSync(join(import.meta.dirname, file), 'utf8'));
    const covered = new Set(sources.flatMap((source) => [...source.matchAll(/\broute\('([^']+)'\)/g)].map((match) => `POST ${match[1]}`)));
    // The ops console's forms are burst-tested with a session of their own (test/browser/ops-console-http.test.ts).
    const posts = routes.filter((r) => r.method === 'POST' && !r.path.startsWith('/ops/console/')).map((r) => `POST ${r.path}`);
    expect(posts.filter((p) => !covered.has(p))).toEqual([]);
  });
});
