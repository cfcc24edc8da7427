// The DynamoDB translation of every ticket change, checked without a table: the items are named, each expression
// declares exactly the names and values it uses (DynamoDB refuses an unused one), and the conditions are the decider's.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '../../lib/domain/ticket.ts';
import type { TicketChange } from '../../lib/domain/ticket-change.ts';
import { claim, release } from '../../lib/domain/ticket-claim.ts';
import { approve, reject } from '../../lib/domain/ticket-decision.ts';
import { cancelledFromRequest } from '../../lib/domain/ticket.ts';
import { markNotified, raise, releaseNotification } from '../../lib/domain/ticket-lifecycle.ts';
import { newToken } from '../../lib/domain/token.ts';
import { ticketShard, ticketShards } from '../../lib/adapters/dynamodb/keys.ts';
import type { TransactItem } from '../../lib/adapters/dynamodb/transact.ts';
import type { TicketRequest } from '../../lib/schemas/invitations.ts';
import { minutesAfter, sent, start } from '../support/memory/fixtures.ts';

let ticketChangeItems: typeof import('../../lib/adapters/dynamodb/tickets.ts').ticketChangeItems;

beforeAll(async () => {
  process.env.TABLE_NAME ??= 'unit-table';
  ({ ticketChangeItems } = await import('../../lib/adapters/dynamodb/tickets.ts'));
});

const invited = sent({ prospect: true });
const invitation = invited.next;
const request = (invited.change.ticketRequest as { owe: TicketRequest }).owe;
const now = minutesAfter(start, 1);
const filed = raise(request, { ticket: undefined, invitation }, now, 60_000).transition!.next;
const open: Ticket = markNotified(filed, now).next;
const later = minutesAfter(start, 3);
const decision = { by: 'ops-1', at: later };
const evidence = { method: 'video' as const, reference: 'call 7' };
const claimed = claim(open, 'ops-1', now)!.next;

const changes: [string, TicketChange][] = [
  ['raise', raise(request, { ticket: undefined, invitation }, now, 60_000).transition!.change],
  ['claim the email lease', raise(request, { ticket: filed, invitation }, later, 60_000).transition!.change],
  ['cancel an open ticket', raise(request, { ticket: open, invitation: { ...invitation, state: 'revoked' } }, later, 60_000).transition!.change],
  ['file a cancelled ticket unread', { key: filed, write: { file: cancelledFromRequest(request, 'advisor-2', 'invitation revoked', later) }, clearRequest: true }],
  ['record the email', markNotified(filed, later).change],
  ['release the lease', releaseNotification(filed)!.change],
  ['approve', approve(open, invitation, { ...decision, evidence, link: { token: newToken(), expiresInDays: 7 } }).change],
  ['reject', reject(open, invitation, { ...decision, reason: 'no answer' }).change],
  ['claim', claim(open, 'ops-1', later)!.change],
  ['release', release(claimed, 'ops-1', later)!.change],
  ['approve a claimed ticket', approve(claimed, invitation, { ...decision, evidence, link: { token: newToken(), expiresInDays: 7 } }).change],
  ['reject a claimed ticket with evidence', reject(claimed, invitation, { ...decision, reason: 'no answer', evidence }).change],
];
const changeNamed = (name: string) => changes.find(([named]) => named === name)![1];
const ticketUpdate = (name: string) => ticketChangeItems(changeNamed(name)).ticket!.Update!;
/** The value an expression gives the attribute `name` in a SET clause. */
const setValue = (update: { UpdateExpression?: string; ExpressionAttributeValues?: Record<string, unknown> }, name: string) => {
  const placeholder = update.UpdateExpression?.match(new RegExp(`#${name} = (:v\\d+)`))?.[1];
  return placeholder === undefined ? undefined : update.ExpressionAttributeValues?.[placeholder];
};

const partsOf = (item: TransactItem) => (item.Put ?? item.Update ?? item.Delete)!;
const used = (pattern: RegExp, ...texts: (string | undefined)[]) => new Set(texts.join(' ').match(pattern) ?? []);
const namesOf = (change: TicketChange) =>
  Object.entries(ticketChangeItems(change))
    .filter(([, item]) => item !== undefined)
    .map(([name]) => name)
    .sort();

describe('each ticket change as DynamoDB items', () => {
  it.each(changes)('%s declares exactly the names and values its expressions use', (_name, change) => {
    for (const item of Object.values(ticketChangeItems(change)).filter((value) => value !== undefined)) {
      const part = partsOf(item) as { UpdateExpression?: string; ConditionExpression?: string; ExpressionAttributeNames?: object; ExpressionAttributeValues?: object };
      const texts = [part.UpdateExpression, part.ConditionExpression];
      expect(used(/#\w+/g, ...texts)).toEqual(new Set(Object.keys(part.ExpressionAttributeNames ?? {})));
      expect(used(/:\w+/g, ...texts)).toEqual(new Set(Object.keys(part.ExpressionAttributeValues ?? {})));
    }
  });

  it('writes an approval as one transaction of named parts: the ticket, its request, the invitation, both links and the lock', () => {
    expect(namesOf(changes[6]![1])).toEqual(['invitation', 'lock', 'newLink', 'oldLink', 'ticket', 'ticketRequest']);
    expect(namesOf(changes[7]![1])).toEqual(['invitation', 'ticket', 'ticketRequest']);
    expect(namesOf(changes[1]![1])).toEqual(['ticket']);
  });

  it('decides only an open, unclaimed ticket, moves it to its status lists and appends to its history', () => {
    const update = ticketUpdate('approve');
    expect(update.Key).toEqual({ pk: `TICKET#${open.ticketId}`, sk: 'TICKET' });
    expect(update.ConditionExpression).toMatch(/^attribute_exists\(pk\) AND #status = :v\d+ AND attribute_not_exists\(#assignee\)$/);
    expect(Object.values(update.ExpressionAttributeValues!)).toContain('open');
    expect(setValue(update, 'gsi1pk')).toBe(`FIRM#${open.firmId}#TICKETS#approved`);
    expect(setValue(update, 'gsi2pk')).toBe(`TICKETS#approved#${ticketShard(open.ticketId)}`);
    expect(setValue(update, 'evidence')).toEqual(evidence);
    expect(update.UpdateExpression).toMatch(/#history = list_append\(if_not_exists\(#history, :v\d+\), :v\d+\)/);
  });

  it("keeps a ticket in its own shard of the cross-firm list whatever its status, one of the shards there are", () => {
    const shard = ticketShard(open.ticketId);
    expect(shard).toBeGreaterThanOrEqual(0);
    expect(shard).toBeLessThan(ticketShards);
    expect(setValue(ticketUpdate('reject'), 'gsi2pk')).toBe(`TICKETS#rejected#${shard}`);
    expect(setValue(ticketUpdate('reject'), 'gsi1pk')).toBe(`FIRM#${open.firmId}#TICKETS#rejected`);
    expect(setValue(ticketUpdate('cancel an open ticket'), 'gsi2pk')).toBe(`TICKETS#cancelled#${shard}`);
    expect(setValue(ticketUpdate('cancel an open ticket'), 'gsi1pk')).toBe(`FIRM#${open.firmId}#TICKETS#cancelled`);
  });

  it('decides a claimed ticket only while its assignee still holds it, and stores the evidence given with a rejection', () => {
    for (const name of ['approve a claimed ticket', 'reject a claimed ticket with evidence']) {
      const update = ticketUpdate(name);
      expect(update.ConditionExpression).toMatch(/^attribute_exists\(pk\) AND #status = :v\d+ AND #assignee = (:v\d+)$/);
      const placeholder = update.ConditionExpression!.match(/#assignee = (:v\d+)$/)![1]!;
      expect(update.ExpressionAttributeValues![placeholder]).toBe('ops-1');
      expect(setValue(update, 'evidence')).toEqual(evidence);
    }
    expect(ticketUpdate('reject').UpdateExpression).not.toContain('#evidence');
  });

  it('claims only an open ticket nobody holds, without moving it from its lists', () => {
    const update = ticketUpdate('claim');
    expect(update.Key).toEqual({ pk: `TICKET#${open.ticketId}`, sk: 'TICKET' });
    expect(update.ConditionExpression).toMatch(/^attribute_exists\(pk\) AND #status = :v\d+ AND attribute_not_exists\(#assignee\)$/);
    expect(setValue(update, 'assignee')).toBe('ops-1');
    expect(setValue(update, 'assignedAt')).toBe(later.toISOString());
    expect(update.UpdateExpression).not.toMatch(/#gsi\dpk/);
    expect(Object.values(update.ExpressionAttributeValues!)).toContainEqual([{ action: 'claimed', by: 'ops-1', at: later.toISOString() }]);
    expect(namesOf(changeNamed('claim'))).toEqual(['ticket']);
  });

  it('releases only while the releaser holds the ticket, clearing its assignee', () => {
    const update = ticketUpdate('release');
    expect(update.ConditionExpression).toMatch(/^attribute_exists\(pk\) AND #status = :v\d+ AND #assignee = :v\d+$/);
    expect(Object.values(update.ExpressionAttributeValues!)).toContain('ops-1');
    expect(update.UpdateExpression).toMatch(/ REMOVE #assignee, #assignedAt$/);
    expect(Object.values(update.ExpressionAttributeValues!)).toContainEqual([{ action: 'released', by: 'ops-1', at: later.toISOString() }]);
  });

  it('claims the email lease only while the ticket is open, unnotified and its lease as read', () => {
    const update = ticketChangeItems(changes[1]![1]).ticket!.Update!;
    expect(update.ConditionExpression).toMatch(/#status = :v\d+ AND attribute_not_exists\(#notifiedAt\) AND #notifyLeaseUntil = :v\d+/);
    expect(Object.values(update.ExpressionAttributeValues!)).toContain(filed.notifyLeaseUntil);
  });

  it('files a cancelled ticket over nothing or an open one, adding only the cancellation to a stored history', () => {
    const update = ticketChangeItems(changes[3]![1]).ticket!.Update!;
    expect(update.ConditionExpression).toMatch(/^attribute_not_exists\(pk\) OR #status = :v\d+$/);
    const [raised, cancelled] = cancelledFromRequest(request, 'advisor-2', 'invitation revoked', later).history!;
    expect(Object.values(update.ExpressionAttributeValues!)).toEqual(expect.arrayContaining([[raised], [cancelled]]));
  });

  it('creates a ticket only when none has its id, and clears a request without a condition', () => {
    expect(ticketChangeItems(changes[0]![1]).ticket!.Put!.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(ticketChangeItems(changes[4]![1]).ticketRequest!.Delete).not.toHaveProperty('ConditionExpression');
  });
});
