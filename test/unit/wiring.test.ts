// A function runs on what its route-table needs grant and nothing else: the types refuse any other grant (the
// `@ts-expect-error` lines fail `npx tsc --noEmit` the day they are allowed), and no function reaches an adapter
// except through lib/wiring.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { functions, type FunctionName } from '../../infra/routes.ts';
import { dynamoHouseholdReads } from '../../lib/adapters/dynamodb/households.ts';
import { dynamoTicketChanges, dynamoTicketDecisions, dynamoTickets } from '../../lib/adapters/dynamodb/tickets.ts';
import { sesMailer } from '../../lib/adapters/ses.ts';
import { now } from '../../lib/clock.ts';
import {
  accountHasher,
  householdReads,
  idempotency,
  invitationReads,
  mail,
  restamp,
  ticketChanges,
  ticketDecisions,
  ticketQueue,
  ticketReads,
  wire,
} from '../../lib/wiring.ts';

const names = Object.keys(functions) as FunctionName[];
const sourceOf = (name: FunctionName) => readFileSync(`functions/${functions[name].entry}`, 'utf8');

describe('wiring a function from its needs', () => {
  it('gives the adapters of the grants named, with the one clock', () => {
    const deps = wire('approve-verification', ticketReads, invitationReads, mail);
    expect(deps.mailer).toBe(sesMailer);
    expect(deps.now).toBe(now);
    expect(wire('get-household', householdReads)).toMatchObject({ households: dynamoHouseholdReads, now });
  });

  it('joins the parts of one store, granted apart, into one dependency with the methods of each', () => {
    const { tickets } = wire('claim-ticket', ticketReads, ticketChanges);
    expect(tickets).toEqual({ get: dynamoTickets.get, apply: dynamoTicketChanges.apply });
    expect(wire('get-ticket', ticketReads).tickets).not.toHaveProperty('apply');
    expect(wire('approve-verification', ticketReads, ticketDecisions).tickets.apply).toBe(dynamoTicketDecisions.apply);
  });

  it('refuses a decision through the grant for claims, which bundles no code that writes invitations', async () => {
    const key = { firmId: 'f1', householdId: 'h1', ticketId: 't1' };
    const invitation = { key: { firmId: 'f1', householdId: 'h1', invitationId: 'i1' }, at: '2026-01-01T00:00:00.000Z', write: { set: {}, when: { tokenHash: 'x' } } };
    await expect(dynamoTicketChanges.apply({ key, events: [], invitation } as never)).rejects.toThrow(/ticketDecisions/);
  });

  it('refuses, by type, a grant whose need the function does not declare', () => {
    // @ts-expect-error get-household declares no email need: it has no mailer to reach.
    expect(wire('get-household', householdReads).mailer).toBeUndefined();
    // @ts-expect-error list-households declares no email need.
    wire('list-households', householdReads, mail);
    // @ts-expect-error approve-verification declares no ticket queue.
    wire('approve-verification', ticketReads, ticketQueue);
    // @ts-expect-error get-ticket declares no account key.
    wire('get-ticket', ticketReads, accountHasher);
    // @ts-expect-error openapi declares no table.
    wire('openapi', householdReads);
  });

  it('refuses, by type, a link route a write its route-table entry does not list', () => {
    // @ts-expect-error view-invitation writes only the throttle counters, never an Idempotency-Key claim.
    wire('view-invitation', invitationReads, idempotency);
    // @ts-expect-error accept-invitation does not verify, so it may not restamp a household.
    wire('accept-invitation', invitationReads, restamp);
    expect(wire('verify-identity', invitationReads, idempotency, restamp)).toHaveProperty('restamp');
  });

  it('is how every function reaches an adapter, under its own name, and none reads the time but through it', () => {
    for (const name of names) {
      const source = sourceOf(name);
      expect(source, name).not.toMatch(/#lib\/adapters\//);
      expect(source, name).not.toContain('new Date()');
      const wired = [...source.matchAll(/\bwire\('([\w-]+)'/g)].map((match) => match[1]);
      expect(wired, name).toEqual(name === 'openapi' ? [] : [name]);
    }
  });
});
