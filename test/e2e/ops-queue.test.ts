import { randomUUID } from 'node:crypto';
import { v7 } from 'uuid';
import { describe, expect, inject, it } from 'vitest';
import { call, newFirm, tokenFor } from '../support/api.ts';
import { eventually, mailTo, uniqueEmail } from '../support/mail.ts';
import { peekBodies, sendRaw } from '../support/queue.ts';

const opsInbox = 'ops@advisor-platform.test';

const request = (firmId: string, overrides: Record<string, unknown> = {}) => ({
  version: 1,
  ticketId: v7(),
  reason: 'no_account',
  firmId,
  householdId: v7(),
  householdName: 'Queue Household',
  invitationId: v7(),
  client: { firstName: 'Quinn', lastName: 'Ueue', email: uniqueEmail('queue') },
  requestedBy: 'advisor-q',
  requestedAt: new Date().toISOString(),
  ...overrides,
});

describe('the ops function drains ticket requests from the queue', () => {
  it('creates a ticket exactly once and emails ops once however often the request is delivered', async () => {
    const firm = newFirm();
    const ops = await tokenFor('ops', firm);
    const message = JSON.stringify(request(firm));
    const { ticketId } = JSON.parse(message) as { ticketId: string };
    await sendRaw([message, message, message]);
    await sendRaw([message]);

    await eventually(async () => ((await call('GET', `/ops/tickets/${ticketId}`, { token: ops })).status === 200 ? true : undefined));
    // Give the redeliveries time to be processed before counting.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const tickets = await call('GET', `/ops/tickets?firmId=${firm}`, { token: ops });
    expect(tickets.body.items.filter((t: { ticketId: string }) => t.ticketId === ticketId)).toHaveLength(1);
    const mails = (await mailTo(opsInbox)).filter((m) => m.body.text?.includes(ticketId));
    expect(mails).toHaveLength(1);
  });

  it('sends malformed and schema-invalid messages to the DLQ without holding up good ones', async () => {
    const firm = newFirm();
    const ops = await tokenFor('ops', firm);
    const marker = randomUUID();
    const good = request(firm);
    const poison = [
      `not json ${marker}`,
      JSON.stringify({ version: 2, marker }),
      JSON.stringify({ ...request(firm), client: { firstName: 'x', lastName: 'y', email: `bad-${marker}` } }),
      JSON.stringify({ ...request(firm), huge: marker + 'x'.repeat(200_000) }),
    ];
    await sendRaw([poison[0]!, JSON.stringify(good), poison[1]!]);
    await sendRaw([poison[2]!]);
    await sendRaw([poison[3]!]);

    // The good request in the same batch is turned into a ticket at once.
    const ticket = await eventually(async () => {
      const answer = await call('GET', `/ops/tickets/${good.ticketId}`, { token: ops });
      return answer.status === 200 ? answer.body.ticket : undefined;
    }, 5_000);
    expect(ticket.status).toBe('open');

    // Each poison message is received maxReceiveCount (5) times, 2 s apart locally, then redriven.
    const dead = await eventually(async () => {
      const bodies = (await peekBodies(inject('deadLetterQueueUrl'))).filter((b) => b.includes(marker));
      return bodies.length === poison.length ? bodies : undefined;
    }, 40_000);
    expect(dead).toHaveLength(4);
  }, 60_000);
});
