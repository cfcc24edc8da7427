// Issue #13 item 6 and #14's scheduled expiry, as the table keeps it, checked without a table: every link an invitation
// is given is filed in the expiry schedule (the outbox index's EXPIRING partition) under its expiry, and every change
// that retires a link deletes that link's item, taking the old expiry out of the schedule in the same transaction.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Invitation } from '../../lib/domain/invitation.ts';
import type { InvitationChange } from '../../lib/domain/invitation-change.ts';
import { accept, expire, resend, revoke, takeOverDelivery } from '../../lib/domain/invitation-lifecycle.ts';
import { approve } from '../../lib/domain/ticket-decision.ts';
import { ticketFrom } from '../../lib/domain/ticket.ts';
import { ticketRequestFor } from '../../lib/domain/invitation.ts';
import { newToken } from '../../lib/domain/token.ts';
import { expiringPartition, tokenKey } from '../../lib/adapters/dynamodb/keys.ts';
import type { TransactItem } from '../../lib/adapters/dynamodb/transact.ts';
import { minutesAfter, sent, start } from '../support/memory/fixtures.ts';

let changeItems: typeof import('../../lib/adapters/dynamodb/invitation-changes.ts').changeItems;
let ticketChangeItems: typeof import('../../lib/adapters/dynamodb/tickets.ts').ticketChangeItems;

beforeAll(async () => {
  process.env.TABLE_NAME ??= 'unit-table';
  ({ changeItems } = await import('../../lib/adapters/dynamodb/invitation-changes.ts'));
  ({ ticketChangeItems } = await import('../../lib/adapters/dynamodb/tickets.ts'));
});

const now = minutesAfter(start, 5);
const invited = sent({ prospect: true, expiresInDays: 1 });
const prospect = invited.next;
const verified: Invitation = { ...prospect, verification: { ...prospect.verification, status: 'verified' } };
const ticket = ticketFrom(ticketRequestFor(prospect, 'no_account', start), 'open', start.toISOString());
const approval = approve(ticket, prospect, { by: 'ops-1', at: now, evidence: { method: 'video' }, link: { token: newToken(), expiresInDays: 7 } });

const itemsOf = (change: InvitationChange) => changeItems(change).items;
/** Where a link item goes in the outbox index: the schedule's partition and its due position. */
const scheduled = (item: TransactItem | undefined) => {
  const put = item?.Put?.Item;
  return put && { pk: put.pk, gsi3pk: put.gsi3pk, gsi3sk: put.gsi3sk };
};
const schedule = (invitation: Pick<Invitation, 'invitationId'>, tokenHash: string, expiresAt: string) => ({
  pk: tokenKey(tokenHash).pk,
  gsi3pk: expiringPartition,
  gsi3sk: `${expiresAt}#${invitation.invitationId}`,
});
const deleted = (item: TransactItem | undefined) => item?.Delete?.Key;
/** The default reminder time (REMINDER_DAYS_BEFORE unset): two days before the link's expiry. */
const twoDaysBefore = (expiresAt: string) => new Date(Date.parse(expiresAt) - 2 * 24 * 60 * 60_000).toISOString();

describe('the expiry schedule', () => {
  it('files a new invitation too short-lived for a reminder (a day) under its expiry, with its link', () => {
    expect(scheduled(itemsOf(invited.change).newLink)).toEqual(schedule(prospect, prospect.tokenHash, prospect.expiresAt));
  });

  it("moves a resent invitation to its new link's reminder time, two days before its new expiry: the old link goes with its old entry", () => {
    const { change, next } = resend(prospect, { token: newToken(), expiresInDays: 7 }, now);
    const items = itemsOf(change);
    expect(next.expiresAt).not.toBe(prospect.expiresAt);
    expect(scheduled(items.newLink)).toEqual(schedule(prospect, next.tokenHash, twoDaysBefore(next.expiresAt)));
    expect(items.newLink?.Put?.Item?.expiresAt).toBe(next.expiresAt);
    expect(deleted(items.oldLink)).toEqual(tokenKey(prospect.tokenHash));
  });

  it("moves an approved invitation to its fresh link's reminder time, in the decision's transaction", () => {
    const next = approval.next.invitation!;
    const items = ticketChangeItems(approval.change);
    expect(scheduled(items.newLink)).toEqual(schedule(prospect, next.tokenHash, twoDaysBefore(next.expiresAt)));
    expect(deleted(items.oldLink)).toEqual(tokenKey(prospect.tokenHash));
  });

  it('keeps the expiry when a delivery is taken over on a new link', () => {
    const { change, next } = takeOverDelivery(prospect, newToken(), now);
    expect(scheduled(itemsOf(change).newLink)).toEqual(schedule(prospect, next.tokenHash, prospect.expiresAt));
  });

  it('takes a revoked or expired invitation out, in the transaction that ends it', () => {
    const ended = [revoke(prospect, 'advisor-1', now).change, expire(prospect, new Date(Date.parse(prospect.expiresAt) + 1)).change];
    for (const change of ended) {
      expect(deleted(itemsOf(change).oldLink)).toEqual(tokenKey(prospect.tokenHash));
      expect(itemsOf(change).newLink).toBeUndefined();
    }
  });

  it("leaves an accepted invitation's link, and its entry, for the client's \"done\" page: the sweeper takes it out", () => {
    const items = itemsOf(accept(verified, now).change);
    expect(items.oldLink).toBeUndefined();
    expect(items.newLink).toBeUndefined();
  });
});
