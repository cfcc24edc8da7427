// Issue #13 item 7: the ops desk's SLA. The sweeper measures the age of the oldest open ticket on every run, through
// the ticket store's port; the deploy setting that sets the alarm's threshold; the ops email's console link.
import { App } from 'aws-cdk-lib';
import { describe, expect, it, vi } from 'vitest';
import { readSettings } from '../../infra/cdk/settings.ts';
import { ticketRequestFor } from '../../lib/domain/invitation.ts';
import type { Outbox, OutboxEntry, TicketQueue } from '../../lib/domain/ports.ts';
import { ticketFrom } from '../../lib/domain/ticket.ts';
import { opsTicketEmail } from '../../lib/email/messages.ts';
import { metrics, outboxMetrics, ticketSlaMetrics } from '../../lib/metrics.ts';
import { sweepOutbox } from '../../lib/use-cases/sweep-outbox.ts';
import { sent, start } from '../support/memory/fixtures.ts';

/** The EMF lines written while `work` runs, flushed as the function's observability would at its end. */
const emitted = async (work: () => Promise<unknown>) => {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => lines.push(String(chunk)) > 0);
  try {
    await work();
  } finally {
    metrics.publishStoredMetrics();
    vi.restoreAllMocks();
  }
  return lines.flatMap((chunk) => chunk.split('\n')).filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line));
};
const metricNames = (line: { _aws: { CloudWatchMetrics: { Metrics: { Name: string; Unit: string }[] }[] } }) =>
  line._aws.CloudWatchMetrics[0]!.Metrics;

const now = new Date('2026-03-01T12:00:00.000Z');
/** An outbox with these entries due, recording which emails the sweep marked. */
const outboxOf = (due: OutboxEntry[] = []) => {
  const marked: unknown[] = [];
  const outbox = {
    due: async () => due,
    countStuck: async () => 0,
    markEmailUnanswered: async (change: unknown) => void marked.push(change),
    retryLater: async () => undefined,
    setAside: async () => undefined,
  } as unknown as Outbox;
  return { outbox, marked };
};
/** An invitation email SES never answered for, owed for 10 minutes: the sweep marks it send_failed. */
const unansweredEmail: OutboxEntry = {
  kind: 'invitation_email',
  firmId: 'firm-a',
  householdId: 'household-1',
  invitationId: 'invitation-1',
  tokenHash: 'hash-1',
  dueAt: '2026-03-01T11:50:00.000Z',
  attempts: 0,
  itemKey: { pk: 'FIRM#firm-a#HH#household-1', sk: 'INV#invitation-1' },
  sortKey: '2026-03-01T11:50:00.000Z#invitation-1',
};
const sweepDeps = (oldestOpen: () => Promise<string | undefined>, outbox = outboxOf().outbox) => ({
  outbox,
  ticketQueue: { send: async () => undefined } as unknown as TicketQueue,
  tickets: { oldestOpen },
  now: () => now,
  retry: () => ({ maxAttempts: 3, firstDelayMs: 1_000, maxDelayMs: 10_000 }),
  requestId: 'sweep-run-1',
});

describe('the sweeper measures the oldest open ticket', () => {
  it('on a run with no outbox work at all, so the SLA alarm sees a value every minute', async () => {
    let result;
    const [line, ...more] = await emitted(async () => {
      result = await sweepOutbox(sweepDeps(async () => '2026-03-01T07:59:30.000Z'));
    });
    expect(more).toEqual([]);
    expect(metricNames(line)).toEqual([{ Name: ticketSlaMetrics.oldestOpenTicketAge, Unit: 'Seconds' }]);
    expect(line[ticketSlaMetrics.oldestOpenTicketAge]).toBe(4 * 3600 + 30);
    expect(result).toMatchObject({ oldestOpenTicketAgeSeconds: 4 * 3600 + 30 });
  });

  it('as 0 when no ticket is open, and never below 0 for a ticket stamped a little ahead of this clock', async () => {
    for (const oldest of [undefined, '2026-03-01T12:00:02.000Z']) {
      const [line] = await emitted(() => sweepOutbox(sweepDeps(async () => oldest)));
      expect(line[ticketSlaMetrics.oldestOpenTicketAge], String(oldest)).toBe(0);
    }
  });

  it('beside the outbox figures when there is outbox work', async () => {
    const [line] = await emitted(() => sweepOutbox(sweepDeps(async () => '2026-03-01T11:00:00.000Z', outboxOf([unansweredEmail]).outbox)));
    expect(line).toMatchObject({ [outboxMetrics.dueEntries]: 1, [outboxMetrics.oldestEntryAge]: 600, [ticketSlaMetrics.oldestOpenTicketAge]: 3600 });
  });

  it('fails the run when the tickets cannot be read, after the outbox work is done and reported', async () => {
    const { outbox, marked } = outboxOf([unansweredEmail]);
    let failure: unknown;
    const [line] = await emitted(() => sweepOutbox(sweepDeps(() => Promise.reject(new Error('table unreachable')), outbox)).catch((error) => (failure = error)));
    expect(failure).toMatchObject({ message: 'table unreachable' });
    expect(marked).toHaveLength(1);
    expect(line[outboxMetrics.repairedEntries]).toBe(1);
    expect(line).not.toHaveProperty(ticketSlaMetrics.oldestOpenTicketAge);
  });
});

describe('the SLA setting (CDK context ticketSlaHours)', () => {
  const base = { senderEmail: 'no-reply@example.com', opsEmail: 'ops@example.com', portalUrl: 'https://portal.example.com', inviteExpiryDays: 7 };
  const settingsWith = (context: Record<string, unknown>) => readSettings(new App({ context: { ...base, ...context } }));

  it('is 4 hours unless set, and takes whole or part hours from 1 to 168', () => {
    expect(settingsWith({}).ticketSlaHours).toBe(4);
    expect(settingsWith({ ticketSlaHours: '8' }).ticketSlaHours).toBe(8);
    expect(settingsWith({ ticketSlaHours: 1.5 }).ticketSlaHours).toBe(1.5);
    expect(settingsWith({ ticketSlaHours: 168 }).ticketSlaHours).toBe(168);
  });

  it('refuses anything else', () => {
    for (const value of [0, 0.5, 169, '', 'four', '4h']) {
      expect(() => settingsWith({ ticketSlaHours: value }), String(value)).toThrow(/ticketSlaHours must be a number of hours from 1 to 168/);
    }
  });
});

describe('the ops email', () => {
  const ticket = ticketFrom(ticketRequestFor(sent({ prospect: true }).next, 'no_account', start), 'open', start.toISOString());
  const email = opsTicketEmail(ticket, 'ops@platform.test', 'https://portal.example.com');
  const page = `https://portal.example.com/ops/console/tickets/${ticket.ticketId}`;

  it('leads to the ticket\'s page in the ops console, as an absolute link', () => {
    expect(email.html).toContain(`href="${page}"`);
    expect(email.text).toContain(`Open the ticket in the ops console: ${page}`);
  });

  it('still names the client, the household, the firm and the ticket, with its API path', () => {
    for (const fact of [ticket.client.email, ticket.householdName, ticket.householdId, ticket.firmId, `/ops/tickets/${ticket.ticketId}`]) {
      expect(email.text, fact).toContain(fact);
    }
  });
});
