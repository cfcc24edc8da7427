import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../infra/local/lambda-context.ts';
import { newHousehold } from '../../lib/domain/household.ts';
import { newInvitation, ticketRequestFor, type Invitation } from '../../lib/domain/invitation.ts';
import type { AccountHasher, HouseholdStore, InvitationStore, TicketQueue, TicketStore } from '../../lib/domain/ports.ts';
import type { InvitationChange } from '../../lib/domain/invitation-change.ts';
import { newId } from '../../lib/domain/ids.ts';
import { ticketFrom, type Ticket } from '../../lib/domain/ticket.ts';
import { hashToken, newToken } from '../../lib/domain/token.ts';
import { businessMetrics, emitMetrics, metrics, metricsNamespace, outboxMetrics } from '../../lib/metrics.ts';
import { observability } from '../../lib/observability.ts';
import { approveVerification } from '../../lib/use-cases/decide-ticket.ts';
import { deliverInvitationEmail } from '../../lib/use-cases/deliver-invitation-email.ts';
import { verifyIdentity } from '../../lib/use-cases/verify-identity.ts';

/** Every line the process writes, stdout and stderr, parsed. */
const captured = () => {
  const lines: string[] = [];
  const keep = (chunk: unknown) => lines.push(...String(chunk).split('\n').filter((line) => line !== '')) > 0;
  vi.spyOn(process.stdout, 'write').mockImplementation(keep);
  vi.spyOn(process.stderr, 'write').mockImplementation(keep);
  return lines;
};
const metricLines = (lines: string[]) => lines.map((line) => JSON.parse(line)).filter((line) => line._aws !== undefined);

/** A Lambda function of one use-case call, with the observability every function runs. */
const invoke = <R,>(work: () => Promise<R>, requestId = 'request-1') =>
  middy(work).use(observability())({}, lambdaContext('metrics-test', requestId) as Context);

const caller = { firmId: 'firm-a', sub: 'advisor-1' };
const createdAt = new Date('2026-03-01T12:00:00.000Z');
const prospect = newHousehold({ name: 'P', members: [] }, [], caller, createdAt.toISOString());
const invitation: Invitation = {
  ...newInvitation({
    household: prospect,
    caller,
    client: { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com' },
    ids: { invitationId: newId(), ticketId: newId() },
    tokenHash: hashToken(newToken()),
    expiresInDays: 7,
    now: createdAt,
  }),
  verification: { method: 'manual', status: 'pending_review', ticketId: 'ticket-1', wrongAttempts: 0 },
};
const recording = { apply: async () => ({ ok: true }) } as unknown as InvitationStore;
const delivery = (send: () => Promise<void>) => ({
  invitations: recording,
  mailer: { send },
  portalUrl: () => 'http://portal.test',
  now: () => createdAt,
  requestId: 'request-1',
});
const advisor = { sub: 'advisor-1', role: 'advisor' } as const;

afterEach(() => {
  vi.restoreAllMocks();
  metrics.publishStoredMetrics();
});

describe('business metrics', () => {
  it('counts an invitation email sent and one SES refused, in one EMF line of the invocation, with its request id', async () => {
    const lines = captured();
    await invoke(async () => {
      await deliverInvitationEmail(delivery(async () => undefined), invitation, newToken(), 'invitation', advisor);
      await deliverInvitationEmail(delivery(() => Promise.reject(new Error('refused'))), invitation, newToken(), 'invitation', advisor);
    });
    const [line, ...more] = metricLines(lines);
    expect(more).toEqual([]);
    expect(line).toMatchObject({ [businessMetrics.invitationsSent]: 1, [businessMetrics.invitationsFailed]: 1, function_request_id: 'request-1', service: 'portal-onboarding' });
    expect(line._aws.CloudWatchMetrics[0].Namespace).toBe(metricsNamespace);
  });

  it('records the time from a ticket to its decision, in seconds', async () => {
    const ticket: Ticket = ticketFrom(ticketRequestFor(invitation, 'no_account', createdAt), 'open', createdAt.toISOString());
    const decidedAt = new Date(createdAt.getTime() + 90 * 60_000);
    const tickets = { get: async () => ticket, apply: async () => ({ ok: true }) } as unknown as TicketStore;
    const deps = { ...delivery(async () => undefined), tickets, invitations: { ...recording, get: async () => invitation } as unknown as InvitationStore, expiryDays: () => 7, now: () => decidedAt };
    const lines = captured();
    await invoke(() => approveVerification(deps, { sub: 'ops-1', groups: ['ops'] }, ticket.ticketId, { evidence: { method: 'phone' } }));
    expect(metricLines(lines)[0]).toMatchObject({ [businessMetrics.ticketsApproved]: 1, [businessMetrics.ticketTimeToDecision]: 5400, [businessMetrics.invitationsSent]: 1 });
  });

  it('records each verification outcome: verified, wrong number, locked, throttled', async () => {
    const client = newHousehold({ name: 'C', members: [] }, [{ numberHash: 'hash-of-right', last4: '1234' }], caller, createdAt.toISOString());
    const selfService = newInvitation({ household: client, caller, client: { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com' }, ids: { invitationId: newId(), ticketId: newId() }, tokenHash: hashToken(newToken()), expiresInDays: 7, now: createdAt });
    const outcomeOf = async (number: string, { attempt = 1, sourceCount = 1 } = {}) => {
      const deps = {
        invitations: {
          findByToken: async () => selfService,
          apply: async (change: InvitationChange) => ('countAttempt' in change.write ? { ok: true, wrongAttempts: attempt } : { ok: true }),
        } as unknown as InvitationStore,
        households: { get: async () => client } as unknown as HouseholdStore,
        hasher: { hashesToMatch: async (_firm: string, given: string) => [`hash-of-${given}`] } as unknown as AccountHasher,
        ticketQueue: { send: async () => undefined } as unknown as TicketQueue,
        attempts: { hit: async () => sourceCount },
        now: () => createdAt,
        requestId: 'request-1',
      };
      const lines = captured();
      await invoke(() => verifyIdentity(deps, 'token', number, '203.0.113.9')).catch(() => undefined);
      vi.restoreAllMocks();
      return metricLines(lines).flatMap((line) => line._aws.CloudWatchMetrics[0].Metrics.map((metric: { Name: string }) => metric.Name));
    };
    expect(await outcomeOf('right')).toEqual([businessMetrics.identityVerified]);
    expect(await outcomeOf('wrong', { attempt: 1 })).toEqual([businessMetrics.identityWrongNumber]);
    expect(await outcomeOf('wrong', { attempt: 5 })).toEqual([businessMetrics.identityLocked]);
    expect(await outcomeOf('right', { sourceCount: 1_000 })).toEqual([businessMetrics.identityThrottled]);
  });

  it('writes nothing at all for an invocation that recorded nothing', async () => {
    const lines = captured();
    await invoke(async () => 'quiet');
    expect(lines).toEqual([]);
  });
});

describe('the sweeper metrics', () => {
  it('writes one line CloudWatch reads as data points', () => {
    const lines = captured();
    emitMetrics({ [outboxMetrics.stuckEntries]: { value: 2, unit: 'Count' }, [outboxMetrics.oldestEntryAge]: { value: 90, unit: 'Seconds' } });
    metrics.publishStoredMetrics();
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line._aws.CloudWatchMetrics).toMatchObject([
      {
        Namespace: metricsNamespace,
        Dimensions: [['service']],
        Metrics: [
          { Name: outboxMetrics.stuckEntries, Unit: 'Count' },
          { Name: outboxMetrics.oldestEntryAge, Unit: 'Seconds' },
        ],
      },
    ]);
    expect(line).toMatchObject({ service: 'portal-onboarding', [outboxMetrics.stuckEntries]: 2, [outboxMetrics.oldestEntryAge]: 90 });
    expect(Number.isInteger(line._aws.Timestamp)).toBe(true);
  });
});
