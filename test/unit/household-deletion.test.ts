import { describe, expect, it } from 'vitest';
import { lifecycleDetail, recorded, staffActor } from '../../lib/domain/audit.ts';
import {
  deleteHousehold,
  deletionReason,
  documentsPrefix,
  endForDeletion,
  isTombstone,
  purgeFinished,
  purgeGraceMs,
  tombstoneView,
} from '../../lib/domain/household-deletion.ts';
import type { Invitation } from '../../lib/domain/invitation.ts';
import { uploadKey } from '../../lib/domain/document-upload.ts';
import { clientHousehold, firmCaller, minutesAfter, prospectHousehold, sent, start } from '../support/memory/fixtures.ts';

const later = minutesAfter(start, 30);

describe('deleteHousehold', () => {
  it.each([
    ['prospect', prospectHousehold],
    ['client', clientHousehold],
  ] as const)('turns a %s into a tombstone that keeps ids and who deleted it, nothing about its people', (status, household) => {
    const deletion = deleteHousehold(household, 'advisor-2', later);
    expect(deletion.tombstone).toEqual({
      firmId: household.firmId,
      householdId: household.householdId,
      status: 'deleted',
      deletedAt: later.toISOString(),
      deletedBy: 'advisor-2',
      createdAt: household.createdAt,
    });
    expect(deletion.tombstone).not.toHaveProperty('name');
    expect(JSON.stringify(deletion.tombstone)).not.toContain(household.name);
    expect(deletion.statusAsRead).toBe(status);
    expect(deletion.audit).toEqual([{ action: 'household.deleted', at: later.toISOString(), from: status, to: 'deleted' }]);
    expect(isTombstone(deletion.tombstone)).toBe(true);
    expect(isTombstone(household)).toBe(false);
  });

  it('owes the purge to the sweeper only after a grace period the request normally finishes it in', () => {
    const deletion = deleteHousehold(prospectHousehold, 'advisor-1', later);
    expect(Date.parse(deletion.purgeDueAt) - later.getTime()).toBe(purgeGraceMs);
    expect(purgeGraceMs).toBeGreaterThanOrEqual(60_000);
  });

  it('is a lifecycle event integrations hear of, with ids and statuses only', () => {
    const deletion = recorded(deleteHousehold(clientHousehold, 'advisor-1', later), staffActor(firmCaller, 'advisor'), 'req-1');
    const detail = lifecycleDetail(deletion.events[0]!);
    expect(detail).toMatchObject({ type: 'household.deleted', householdId: clientHousehold.householdId, from: 'client', to: 'deleted' });
    expect(JSON.stringify(detail)).not.toContain(clientHousehold.name);
  });

  it('answers every repeat with the same view', () => {
    const { tombstone } = deleteHousehold(prospectHousehold, 'advisor-1', later);
    expect(tombstoneView(tombstone)).toEqual({ householdId: prospectHousehold.householdId, status: 'deleted', deletedAt: later.toISOString() });
    expect(tombstoneView({ ...tombstone, purgedAt: minutesAfter(later, 1).toISOString() })).toEqual(tombstoneView(tombstone));
  });
});

describe('purgeFinished', () => {
  it('records the purge in the trail, which is not a lifecycle event', () => {
    const { tombstone } = deleteHousehold(prospectHousehold, 'advisor-1', later);
    const done = recorded(purgeFinished(tombstone, minutesAfter(later, 1)), staffActor(firmCaller, 'advisor'), 'req-1');
    expect(done.events).toEqual([expect.objectContaining({ action: 'household.purged', from: 'deleted', to: 'purged', householdId: tombstone.householdId })]);
    expect(lifecycleDetail(done.events[0]!)).toBeUndefined();
  });
});

describe('endForDeletion', () => {
  it("ends a live prospect's invitation as a revocation does, its open ticket cancelled because of the deletion", () => {
    const { next: invitation } = sent({ prospect: true });
    const ended = endForDeletion(invitation, 'advisor-1', later)!;
    expect(ended.next.state).toBe('revoked');
    expect(ended.change).toMatchObject({
      link: { retire: invitation.tokenHash },
      lock: { free: { email: invitation.email } },
      emailOwed: false,
      ticketRequest: { clear: invitation.verification.ticketId },
      cancelTicket: { ticketId: invitation.verification.ticketId, status: 'cancelled', note: deletionReason },
      write: { when: { tokenHash: invitation.tokenHash, state: 'live' } },
    });
    expect(ended.change.audit?.map((happening) => happening.action)).toEqual(['invitation.revoked', 'ticket.cancelled']);
  });

  it('ends a live invitation past its expiry too, which a revocation would refuse', () => {
    const { next: invitation } = sent();
    const ended = endForDeletion(invitation, 'advisor-1', new Date(Date.parse(invitation.expiresAt) + 1))!;
    expect(ended.next.state).toBe('revoked');
    expect(ended.change.write).not.toHaveProperty('when.unexpiredAt');
    expect(ended.change.cancelTicket).toBeUndefined();
  });

  it.each(['accepted', 'revoked', 'expired', 'bounced'] as const)('leaves an %s invitation to be deleted as it is', (state) => {
    const { next } = sent();
    expect(endForDeletion({ ...next, state } as Invitation, 'advisor-1', later)).toBeUndefined();
  });
});

describe('documentsPrefix', () => {
  it("holds every upload key of the household's items, and no other household's", () => {
    const prefix = documentsPrefix(clientHousehold);
    const key = uploadKey({ firmId: clientHousehold.firmId, householdId: clientHousehold.householdId, requestId: 'r1' }, 'u1');
    expect(key.startsWith(prefix)).toBe(true);
    expect(uploadKey({ firmId: clientHousehold.firmId, householdId: `${clientHousehold.householdId}x`, requestId: 'r1' }, 'u1').startsWith(prefix)).toBe(false);
  });
});
