// A document checklist item's lifecycle as the advisor drives it: pure deciders, no services.
import { describe, expect, it } from 'vitest';
import {
  allRequiredReceived,
  cancel,
  completionRecipient,
  documentRequestView,
  reRequest,
  requestDocuments,
  type DocumentRequest,
  type DocumentRequestStatus,
} from '../../lib/domain/document-request.ts';
import { AppError } from '../../lib/domain/errors.ts';

const start = new Date('2026-03-02T09:00:00.000Z');
const later = new Date('2026-03-02T10:00:00.000Z');
const household = { firmId: 'firm-a', householdId: '0190f5d2-8b1a-7c3d-9e4f-5a6b7c8d9e0f' };

const heldKey = 'households/firm-a/h/r/u1';
const file = { name: 'p.pdf', size: 10, contentType: 'application/pdf', receivedAt: start.toISOString() };
const itemIn = (status: DocumentRequestStatus): DocumentRequest => ({
  ...requestDocuments(household, [{ title: 'Passport' }], 'advisor-1', start)[0]!,
  status,
  ...(status === 'received' || status === 'scanning' ? { file, objectKey: heldKey } : {}),
  ...(status === 'rejected' ? { reason: 'too large' } : {}),
});
/** A cancelled item that had been received: it still holds its file. */
const cancelledReceived = (): DocumentRequest => ({ ...itemIn('received'), status: 'cancelled' });

const refused = (decide: () => unknown) => {
  try {
    decide();
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError';
  }
  return undefined;
};

describe('asking for documents', () => {
  it('makes each item requested, required unless said otherwise, with its own time-ordered id', () => {
    const items = requestDocuments(household, [{ title: 'Passport' }, { title: 'Payslip', description: 'Last month', required: false }], 'advisor-1', start);
    expect(items.map(({ title, required, status, createdBy, createdAt }) => ({ title, required, status, createdBy, createdAt }))).toEqual([
      { title: 'Passport', required: true, status: 'requested', createdBy: 'advisor-1', createdAt: start.toISOString() },
      { title: 'Payslip', required: false, status: 'requested', createdBy: 'advisor-1', createdAt: start.toISOString() },
    ]);
    expect(items[1]!.description).toBe('Last month');
    expect(items[0]!.requestId < items[1]!.requestId).toBe(true);
  });
});

describe('cancelling an item', () => {
  it.each(['requested', 'rejected', 'infected'] as const)('cancels a %s item, conditioned on that status, deleting nothing', (status) => {
    const decided = cancel({ ...itemIn(status), pendingUpload: { key: 'households/firm-a/h/r/u2', name: 'p.pdf' } }, later);
    expect(decided.next.status).toBe('cancelled');
    expect(decided.change.when).toEqual({ status });
    expect(decided.change.set).toEqual({ status: 'cancelled', pendingUpload: undefined, updatedAt: later.toISOString() });
    expect(decided.effects).toEqual([]);
  });

  it('keeps the file of a received item, which the firm was given', () => {
    const decided = cancel(itemIn('received'), later);
    expect(decided.next).toMatchObject({ status: 'cancelled', file, objectKey: heldKey });
    expect(decided.effects).toEqual([]);
  });

  it('deletes the file of an item still scanning, which was never received', () => {
    const decided = cancel(itemIn('scanning'), later);
    expect(decided.change.set).toEqual({ status: 'cancelled', file: undefined, objectKey: undefined, updatedAt: later.toISOString() });
    expect(decided.effects).toEqual([{ kind: 'delete_file', key: heldKey }]);
  });

  it('refuses an item already cancelled', () => {
    expect(refused(() => cancel(itemIn('cancelled'), later))).toBe('conflict');
  });
});

describe('asking again', () => {
  it.each(['received', 'rejected', 'infected', 'cancelled'] as const)('makes a %s item requested again, without its file or reason', (status) => {
    const decided = reRequest(itemIn(status), later);
    expect(decided.next.status).toBe('requested');
    expect(decided.next.file).toBeUndefined();
    expect(decided.next.reason).toBeUndefined();
    expect(decided.change).toMatchObject({ set: { status: 'requested', file: undefined, reason: undefined, objectKey: undefined }, when: { status } });
  });

  it('deletes the file a received item, or a cancelled one that had been received, holds: the next upload replaces it', () => {
    expect(reRequest(itemIn('received'), later).effects).toEqual([{ kind: 'delete_file', key: heldKey }]);
    expect(reRequest(cancelledReceived(), later).effects).toEqual([{ kind: 'delete_file', key: heldKey }]);
    expect(reRequest(itemIn('rejected'), later).effects).toEqual([]);
  });

  it.each(['requested', 'scanning'] as const)('refuses a %s item', (status) => {
    expect(refused(() => reRequest(itemIn(status), later))).toBe('conflict');
  });
});

describe('an item as the API shows it', () => {
  it('says until when a file kept is retained: its receipt plus the retention days', () => {
    expect(documentRequestView(itemIn('received'), 30).file).toEqual({ ...file, retainUntil: '2026-04-01T09:00:00.000Z' });
    expect(documentRequestView(cancelledReceived(), 1).file?.retainUntil).toBe('2026-03-03T09:00:00.000Z');
  });

  it('gives a file no longer kept (infected, deleted) no retention, and never its key', () => {
    const infected = { ...itemIn('infected'), file };
    expect(documentRequestView(infected, 30).file).toEqual(file);
    expect(JSON.stringify(documentRequestView(itemIn('received'), 30))).not.toContain(heldKey);
  });
});

describe('a checklist being complete', () => {
  const withStatus = (status: DocumentRequestStatus, required = true): DocumentRequest => ({ ...itemIn(status), required });

  it('needs every required item still asked for received, and one at least', () => {
    expect(allRequiredReceived([withStatus('received'), withStatus('requested', false)])).toBe(true);
    expect(allRequiredReceived([withStatus('received'), withStatus('cancelled')])).toBe(true);
    expect(allRequiredReceived([withStatus('received'), withStatus('scanning')])).toBe(false);
    expect(allRequiredReceived([withStatus('received'), withStatus('infected')])).toBe(false);
    expect(allRequiredReceived([withStatus('received', false)])).toBe(false);
    expect(allRequiredReceived([])).toBe(false);
  });

  it('is told to the advisor who asked for the first required item, when their token carried an email', () => {
    const [optional, first, second] = [
      { ...withStatus('received', false), requestedByEmail: 'opt@example.com' },
      withStatus('received'),
      { ...withStatus('received'), requestedByEmail: 'ada@example.com' },
    ];
    expect(completionRecipient([optional, first, second])).toBe('ada@example.com');
    expect(completionRecipient([first])).toBeUndefined();
  });
});
