// The DynamoDB translation of every ticket change, checked without a table: the items are named, each expression
// declares exactly the names and values it uses (DynamoDB refuses an unused one), and the conditions are the decider's.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '../../lib/domain/ticket.ts';
import type { TicketChange } from '../../lib/domain/ticket-change.ts';
import { approve, reject } from '../../lib/domain/ticket-decision.ts';
import { cancelledFromRequest } from '../../lib/domain/ticket.ts';
import { markNotified, raise, releaseNotification } from '../../lib/domain/ticket-lifecycle.ts';
import { newToken } from '../../lib/domain/token.ts';
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

const changes: [string, TicketChange][] = [
  ['raise', raise(request, { ticket: undefined, invitation }, now, 60_000).transition!.change],
  ['claim the email lease', raise(request, { ticket: filed, invitation }, later, 60_000).transition!.change],
  ['cancel an open ticket', raise(request, { ticket: open, invitation: { ...invitation, state: 'revoked' } }, later, 60_000).transition!.change],
  ['file a cancelled ticket unread', { key: filed, write: { file: cancelledFromRequest(request, 'advisor-2', 'invitation revoked', later) }, clearRequest: true }],
  ['record the email', markNotified(filed, later).change],
  ['release the lease', releaseNotification(filed)!.change],
  ['approve', approve(open, invitation, { ...decision, link: { token: newToken(), expiresInDays: 7 } }).change],
  ['reject', reject(open, invitation, { ...decision, reason: 'no answer' }).change],
];

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

  it('decides only an open ticket, moves it to its status list and appends to its history', () => {
    const update = ticketChangeItems(changes[6]![1]).ticket!.Update!;
    expect(update.ConditionExpression).toMatch(/^attribute_exists\(pk\) AND #status = :v\d+$/);
    expect(Object.values(update.ExpressionAttributeValues!)).toContain('open');
    expect(Object.values(update.ExpressionAttributeValues!)).toContain(`FIRM#${open.firmId}#TICKETS#approved`);
    expect(update.UpdateExpression).toMatch(/#history = list_append\(if_not_exists\(#history, :v\d+\), :v\d+\)/);
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
