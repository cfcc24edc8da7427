import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/local/keys.ts';
import type { LedgerEntry } from '../../scripts/load/mix.ts';
import { reconcile, type Observed } from '../../scripts/load/reconcile.ts';
import type { Report } from '../../scripts/load/report.ts';

/** One prospect household, its invitation and ticket, and the two emails they owe: all consistent. */
const consistent = (): Observed => {
  const ledger: LedgerEntry[] = [
    { key: 'k-1', intent: { op: 'createHousehold', name: 'Load k-1', withAccounts: false }, answers: [{ status: 201, id: 'h1', replayed: false }] },
    {
      key: 'k-2',
      intent: { op: 'invite', householdId: 'h1', email: 'casey@load.test', prospect: true },
      answers: [{ status: 201, id: 'i1', replayed: false }],
    },
  ];
  return {
    ledger,
    items: [
      { entity: 'household', householdId: 'h1', name: 'Load k-1' },
      {
        entity: 'invitation',
        invitationId: 'i1',
        householdId: 'h1',
        email: 'casey@load.test',
        state: 'live',
        delivery: 'sent',
        verification: { method: 'manual', status: 'pending_review', ticketId: 't1' },
      },
      { entity: 'ticket', ticketId: 't1', invitationId: 'i1', status: 'open', client: { email: 'casey@load.test' } },
    ],
    mails: [
      { subject: 'Your client portal invitation from Load Wealth', destination: { to: ['casey@load.test'] } },
      { subject: 'Verification needed: ticket t1', destination: { to: ['ops@advisor-platform.test'] } },
    ],
    queue: { messages: 0, deadLetters: 0 },
  };
};

const failing = (observed: Observed) =>
  Object.fromEntries(reconcile(observed).filter((c) => c.mustBeZero && c.count > 0).map((c) => [c.name, c.count]));

describe('reconciliation', () => {
  it('finds nothing wrong when the table and the mail match every answer', () => {
    expect(failing(consistent())).toEqual({});
  });

  it('counts a household answered 201 but missing from the table as lost', () => {
    const observed = consistent();
    observed.items = observed.items.filter((i) => i.entity !== 'household');
    expect(failing(observed)).toEqual({ 'lost records': 1 });
  });

  it('counts a second household for one idempotency key as a duplicate', () => {
    const observed = consistent();
    observed.items.push({ entity: 'household', householdId: 'h2', name: 'Load k-1' });
    expect(failing(observed)).toEqual({ 'duplicate records': 1 });
  });

  it('counts a doubled ops email and a missing invitation email', () => {
    const observed = consistent();
    observed.mails = [observed.mails[1]!, observed.mails[1]!];
    expect(failing(observed)).toEqual({ 'duplicate emails': 1, 'missing emails': 1 });
  });

  it('counts a prospect invitation without its ticket as a missing ticket', () => {
    const observed = consistent();
    observed.items = observed.items.filter((i) => i.entity !== 'ticket');
    observed.mails = observed.mails.slice(0, 1);
    expect(failing(observed)).toEqual({ 'missing tickets': 1 });
  });

  it('expects no email for an invitation answered 502 email_send_failed, and counts it as accounted for', () => {
    const observed = consistent();
    observed.ledger[1]!.answers = [{ status: 502, code: 'email_send_failed', id: 'i1', replayed: false }];
    observed.mails = observed.mails.slice(1);
    const checks = reconcile(observed);
    expect(failing(observed)).toEqual({});
    expect(checks.find((c) => c.name.startsWith('send_failed'))?.count).toBe(1);
  });

  it('counts work still in the outbox (due or stuck) or on the queue as unsettled', () => {
    const observed = consistent();
    observed.items.push({ entity: 'ticket-request', sk: 'OUTBOX#TICKET#t9', gsi3pk: 'OUTBOX' });
    observed.items.push({ entity: 'ticket-request', sk: 'OUTBOX#TICKET#t8', gsi3pk: 'OUTBOX#STUCK' });
    observed.queue.messages = 2;
    expect(failing(observed)).toEqual({ 'unsettled work': 4 });
  });

  it("does not count a live link waiting in the expiry schedule as unsettled: it is due at the invitation's expiry", () => {
    const observed = consistent();
    observed.items.push({ entity: 'token', sk: 'TOKEN', gsi3pk: 'EXPIRING', gsi3sk: '2099-01-01T00:00:00.000Z#i1' });
    expect(failing(observed)).toEqual({});
  });
});

describe('npm run load -- --quick', () => {
  it('runs the mix against a stack of its own and finds every must-be-zero count at zero', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'load-smoke-'));
    const out = join(dir, 'load-results.json');
    try {
      const run = await promisify(execFile)(join(projectRoot, 'node_modules/.bin/tsx'), ['scripts/load/run.ts', '--quick', '--out', out], {
        cwd: projectRoot,
        timeout: 80_000,
      }).catch((error: { code?: number; stdout?: string; stderr?: string }) => error);
      const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
      expect(report.failed, run.stdout).toEqual([]);
      expect(report.total.requests).toBeGreaterThanOrEqual(100);
      expect(report.checks.filter((c) => c.mustBeZero).every((c) => c.count === 0)).toBe(true);
      expect(run.stdout).toContain('PASS: every must-be-zero count is zero');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
