// The advisor's changes delete the file an item no longer holds, only once the change is written, and never fail for
// a delete that did not happen; a download is refused once the file's retention has ended. No services.
import { describe, expect, it } from 'vitest';
import { requestDocuments, type DocumentRequest, type DocumentRequestStore } from '../../lib/domain/document-request.ts';
import { AppError } from '../../lib/domain/errors.ts';
import { newHousehold, type Household } from '../../lib/domain/household.ts';
import { changeDocumentRequest } from '../../lib/use-cases/change-document-request.ts';
import { downloadDocument } from '../../lib/use-cases/download-document.ts';

const receivedAt = new Date('2026-03-02T09:00:00.000Z');
const household = { firmId: 'firm-a', householdId: '0190f5d2-8b1a-7c3d-9e4f-5a6b7c8d9e0f' };
const advisor = { firmId: 'firm-a', sub: 'advisor-1', groups: ['advisors'] };
const heldKey = 'households/firm-a/h/r/u1';
const file = { name: 'passport.pdf', size: 10, contentType: 'application/pdf', receivedAt: receivedAt.toISOString() };
const daysAfter = (days: number) => new Date(receivedAt.getTime() + days * 86_400_000);

const received = (): DocumentRequest => ({
  ...requestDocuments(household, [{ title: 'Passport' }], 'advisor-1', receivedAt)[0]!,
  status: 'received',
  file,
  objectKey: heldKey,
});

/** One item in memory; `moves` says whether a write finds it as read (false: someone changed it meanwhile). */
const storeOf = (item: DocumentRequest, moves = true) => {
  const steps: string[] = [];
  const store: Pick<DocumentRequestStore, 'get' | 'apply' | 'record'> = {
    get: async () => item,
    apply: async (change) => {
      steps.push(`write ${String(change.set.status)}`);
      return moves;
    },
    record: async () => undefined,
  };
  return { store, steps };
};

const filesFor = (steps: string[], removeFails = false) => ({
  remove: async (key: string) => {
    steps.push(`delete ${key}`);
    if (removeFails) throw Object.assign(new Error('S3 unavailable'), { name: 'ServiceUnavailable' });
  },
  downloadLink: async (key: string) => `http://s3/${key}`,
});

const ids = (item: DocumentRequest) => ({ householdId: item.householdId, requestId: item.requestId });
const codeOf = async (attempt: Promise<unknown>) => attempt.then(() => 'ok', (error: unknown) => (error instanceof AppError ? `${error.status} ${error.message}` : 'not an AppError'));

describe('changing an item that holds a file', () => {
  const deps = (store: Pick<DocumentRequestStore, 'get' | 'apply'>, files: ReturnType<typeof filesFor>) => ({
    documentRequests: store,
    documentFiles: files,
    retentionDays: () => 365,
    now: () => daysAfter(1),
    requestId: 'req-1',
  });

  it('deletes the file of a re-requested item after the write, not before', async () => {
    const { store, steps } = storeOf(received());
    const view = await changeDocumentRequest(deps(store, filesFor(steps)), advisor, ids(received()), 're-request');
    expect(view.status).toBe('requested');
    expect(steps).toEqual(['write requested', `delete ${heldKey}`]);
  });

  it('answers with the change made when the delete fails: the lifecycle rule deletes the file later', async () => {
    const { store, steps } = storeOf(received());
    const view = await changeDocumentRequest(deps(store, filesFor(steps, true)), advisor, ids(received()), 're-request');
    expect(view).toMatchObject({ status: 'requested' });
    expect(view.file).toBeUndefined();
    expect(steps).toEqual(['write requested', `delete ${heldKey}`]);
  });

  it('deletes nothing when the write lost to another change', async () => {
    const { store, steps } = storeOf(received(), false);
    expect(await codeOf(changeDocumentRequest(deps(store, filesFor(steps)), advisor, ids(received()), 're-request'))).toMatch(/^409 /);
    expect(steps.filter((step) => step.startsWith('delete'))).toEqual([]);
  });

  it('keeps the file of a received item cancelled, and shows until when', async () => {
    const { store, steps } = storeOf(received());
    const view = await changeDocumentRequest(deps(store, filesFor(steps)), advisor, ids(received()), 'cancel');
    expect(view.file).toEqual({ ...file, retainUntil: daysAfter(365).toISOString() });
    expect(steps).toEqual(['write cancelled']);
  });
});

describe('downloading a file', () => {
  const standing = newHousehold({ name: 'H', members: [] }, [], { firmId: household.firmId, sub: 'advisor-1' }, daysAfter(0).toISOString());
  const download = (item: DocumentRequest, now: Date, households: { get: () => Promise<Household | undefined> } = { get: async () => standing }) => {
    const { store, steps } = storeOf(item);
    const deps = { documentRequests: store, households, documentFiles: filesFor(steps), retentionDays: () => 30, now: () => now, requestId: 'req-2' };
    return downloadDocument(deps, advisor, ids(item));
  };

  it('gives no link once the household is deleted, even while its purge has yet to remove the item', async () => {
    expect(await codeOf(download(received(), daysAfter(1), { get: async () => undefined }))).toBe('404 household not found');
  });

  it('gives a link until the retention ends, then answers 410: the lifecycle rule deleted the file', async () => {
    expect((await download(received(), daysAfter(29.9))).url).toBe(`http://s3/${heldKey}`);
    expect(await codeOf(download(received(), daysAfter(30)))).toBe('410 The file was deleted after its retention period');
  });

  it('gives a link to the file of a received item since cancelled, and none for a cancelled item without one', async () => {
    expect((await download({ ...received(), status: 'cancelled' }, daysAfter(1))).url).toBe(`http://s3/${heldKey}`);
    const never = { ...received(), status: 'cancelled' as const, file: undefined, objectKey: undefined };
    expect(await codeOf(download(never, daysAfter(1)))).toMatch(/^409 /);
  });
});
