// The DynamoDB translation of every invitation change, checked without a table: each expression names exactly the
// attributes and values it declares (DynamoDB refuses an unused one), and the conditions say what the change rests on.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Invitation } from '../../lib/domain/invitation.ts';
import type { InvitationChange } from '../../lib/domain/invitation-change.ts';
import { accept, emailUnanswered, expire, recordDelivery, resend, revoke, takeOverDelivery } from '../../lib/domain/invitation-lifecycle.ts';
import { endForDeletion } from '../../lib/domain/household-deletion.ts';
import { keyOf } from '../../lib/domain/invitation-change.ts';
import { onEmailEvent } from '../../lib/domain/invitation-delivery-events.ts';
import { lock, reserveAttempt, verify } from '../../lib/domain/invitation-verification.ts';
import { newId } from '../../lib/domain/ids.ts';
import { newToken } from '../../lib/domain/token.ts';
import type { TransactItem } from '../../lib/adapters/dynamodb/transact.ts';
import { minutesAfter, sent, start } from '../support/memory/fixtures.ts';

let changeItems: typeof import('../../lib/adapters/dynamodb/invitation-changes.ts').changeItems;
let endingItems: typeof import('../../lib/adapters/dynamodb/invitation-changes.ts').endingItems;
let acceptanceItems: typeof import('../../lib/adapters/dynamodb/invitation-changes.ts').acceptanceItems;
let reissueItems: typeof import('../../lib/adapters/dynamodb/invitation-changes.ts').reissueItems;

beforeAll(async () => {
  process.env.TABLE_NAME ??= 'unit-table';
  ({ changeItems, endingItems, acceptanceItems, reissueItems } = await import('../../lib/adapters/dynamodb/invitation-changes.ts'));
});

const now = minutesAfter(start, 5);
const client = sent().next;
const prospect = sent({ prospect: true }).next;
const spent: Invitation = { ...client, verification: { ...client.verification, wrongAttempts: 5 } };
const verified: Invitation = { ...client, verification: { ...client.verification, status: 'verified' } };
const expiredAt = new Date(Date.parse(prospect.expiresAt) + 1);

const changes: [string, InvitationChange][] = [
  ['send', sent({ prospect: true }).change],
  ['resend', resend(client, { token: newToken(), expiresInDays: 7 }, now).change],
  ['take over delivery', takeOverDelivery(client, newToken(), now).change],
  ['record delivery', recordDelivery(client, 'sent', now).change],
  ['email unanswered', emailUnanswered({ ...client, tokenHash: client.tokenHash, sortKey: 'slot' }, now)],
  ['reserve attempt', reserveAttempt(client, now).change],
  ['verify', verify(client, 2, now).change],
  ['lock', lock(spent, newId(), now).change],
  ['revoke', revoke(prospect, 'advisor-2', now).change],
  ['accept', accept(verified, now).change],
  ['expire', expire(prospect, expiredAt).change],
];

const partsOf = (item: TransactItem) => (item.Put ?? item.Update ?? item.Delete ?? item.ConditionCheck)!;
const used = (pattern: RegExp, ...texts: (string | undefined)[]) => new Set(texts.join(' ').match(pattern) ?? []);

describe('each invitation change as DynamoDB items', () => {
  it.each(changes)('%s declares exactly the names and values its expressions use', (_name, change) => {
    const { items } = changeItems(change);
    for (const item of Object.values(items).filter((value) => value !== undefined)) {
      const part = partsOf(item) as { UpdateExpression?: string; ConditionExpression?: string; ExpressionAttributeNames?: object; ExpressionAttributeValues?: object };
      const texts = [part.UpdateExpression, part.ConditionExpression];
      expect(used(/#\w+/g, ...texts)).toEqual(new Set(Object.keys(part.ExpressionAttributeNames ?? {})));
      expect(used(/:\w+/g, ...texts)).toEqual(new Set(Object.keys(part.ExpressionAttributeValues ?? {})));
    }
  });

  it('reserves an attempt with one atomic increment, refused once five are taken', () => {
    const update = changeItems(reserveAttempt(client, now).change).items.invitation!.Update!;
    expect(update.UpdateExpression).toMatch(/#verification\.#wrongAttempts = if_not_exists\(#verification\.#wrongAttempts, :v\d+\) \+ :v\d+/);
    expect(update.ConditionExpression).toMatch(/\(attribute_not_exists\(#verification\.#wrongAttempts\) OR #verification\.#wrongAttempts < :v\d+\)/);
    expect(update.ConditionExpression).toMatch(/#expiresAt > :v\d+/);
  });

  it('frees a lock and cancels a ticket only as optional parts, while a lock taken is required', () => {
    expect(changeItems(revoke(prospect, 'advisor-2', now).change).optional).toEqual(['lock', 'ticket']);
    const taking = changeItems(resend(client, { token: newToken(), expiresInDays: 7 }, now).change);
    expect(taking.optional).toEqual([]);
    expect(taking.items.lock?.Put?.ConditionExpression).toBe('attribute_not_exists(pk) OR expiresAt <= :now OR invitationId = :invitationId');
  });

  it('owes the email through the outbox index and stops owing it by removing the entry and its tries', () => {
    const owed = changeItems(resend(client, { token: newToken(), expiresInDays: 7 }, now).change).items.invitation!.Update!;
    expect(owed.UpdateExpression).toMatch(/#gsi3pk = :v\d+, #gsi3sk = :v\d+/);
    const settled = changeItems(recordDelivery(client, 'sent', now).change).items.invitation!.Update!;
    expect(settled.UpdateExpression).toMatch(/ REMOVE #gsi3pk, #gsi3sk, #outboxAttempts, #outboxAttemptsKey$/);
  });

  // revoke-invitation, delete-household and record-email-events are granted only the ending parts, accept-invitation and
  // the functions that reissue links (a resend, a ticket decision) those of their own changes (lib/wiring.ts).
  it.each<[string, InvitationChange]>([
    ['revoke', revoke(prospect, 'advisor-2', now).change],
    ['expire', expire(prospect, expiredAt).change],
    ["a household's purge", endForDeletion(prospect, 'advisor-2', now)!.change],
    ['a bounce', onEmailEvent(prospect, { messageId: 'm1', invitation: keyOf(prospect), kind: 'bounce', permanent: true }, now, 60_000).transition!.change],
  ])('writes %s with the ending parts alone, item for item as with every part', (_name, change) => {
    expect(endingItems(change)).toEqual(changeItems(change));
  });

  it.each<[string, InvitationChange]>([
    ['create', sent({ prospect: true }).change],
    ['takeLock', resend(client, { token: newToken(), expiresInDays: 7 }, now).change],
    ['oweTicketRequest', lock(spent, newId(), now).change],
    ['fileNotice', accept(verified, now).change],
    ['openPortal', { ...accept(verified, now).change, advisorNotice: undefined }],
  ])('refuses, with the ending parts, a change that needs the %s writer', (part, change) => {
    expect(() => endingItems(change)).toThrow(`writers.${part} is not a function`);
  });

  it('writes an acceptance with its own parts alone, item for item as with every part', () => {
    const change = accept(verified, now).change;
    expect(change.advisorNotice && change.portalAccess).toBeTruthy();
    expect(acceptanceItems(change)).toEqual(changeItems(change));
  });

  it('writes a resend, and its email failing, with their own parts alone, item for item as with every part', () => {
    const resent = resend(client, { token: newToken(), expiresInDays: 7 }, now).change;
    const failed = recordDelivery(client, 'failed', now).change;
    expect(resent.lock && failed.advisorNotice).toBeTruthy();
    for (const change of [resent, failed]) expect(reissueItems(change)).toEqual(changeItems(change));
  });
});
