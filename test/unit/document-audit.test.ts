// What a document's changes say happened, and the trail the document use cases write: the advisor adding,
// cancelling, asking again and downloading in their requests; the service finding what landed and hearing the scan
// in the queue message. Never the client-chosen file name.
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../lib/domain/audit.ts';
import { newHousehold } from '../../lib/domain/household.ts';
import { cancel, reRequest, requestDocuments, type DocumentRequest, type DocumentRequestStore } from '../../lib/domain/document-request.ts';
import { fileLanded, fileScanned, uploadKey, type DocumentFiles } from '../../lib/domain/document-upload.ts';
import { addDocumentRequests } from '../../lib/use-cases/add-document-requests.ts';
import { changeDocumentRequest } from '../../lib/use-cases/change-document-request.ts';
import { downloadDocument } from '../../lib/use-cases/download-document.ts';
import { recordDocumentEvent } from '../../lib/use-cases/record-document-uploads.ts';

const start = new Date('2026-03-02T09:00:00.000Z');
const later = new Date('2026-03-02T09:05:00.000Z');
const household = { firmId: 'firm-a', householdId: '0190f5d2-8b1a-7c3d-9e4f-5a6b7c8d9e0f' };
const advisor = { firmId: 'firm-a', sub: 'advisor-1', groups: ['advisors'] };
const pdf = new Uint8Array(Buffer.from('%PDF-1.7\n%âãÏÓ', 'latin1'));
const fileName = 'Jane Doe passport.pdf';

const passport = (): DocumentRequest => requestDocuments(household, [{ title: 'Passport' }], 'advisor-1', start)[0]!;
const awaiting = (): DocumentRequest => {
  const item = passport();
  return { ...item, pendingUpload: { key: uploadKey(item, 'u1'), name: fileName } };
};

/** The checklist and its trail in memory: a change is written with its events only while the item is as read. */
const memoryStore = (items: DocumentRequest[]) => {
  const events: AuditEvent[] = [];
  const store: DocumentRequestStore = {
    add: async (added, written) => void (items.push(...added), events.push(...written)),
    record: async (written) => void events.push(...written),
    get: async (key) => items.find((item) => item.requestId === key.requestId),
    list: async () => [...items],
    takeCompletionNotice: async () => false,
    completionNoticeSent: async () => undefined,
    apply: async (change) => {
      const index = items.findIndex((item) => item.requestId === change.key.requestId);
      if (index < 0 || items[index]!.status !== change.when.status) return false;
      items[index] = Object.fromEntries(Object.entries({ ...items[index], ...change.set }).filter(([, v]) => v !== undefined)) as unknown as DocumentRequest;
      events.push(...(change.events ?? []));
      return true;
    },
  };
  return { store, events, items };
};

const files = (found: { size: number; firstBytes: Uint8Array } | undefined): Pick<DocumentFiles, 'inspect' | 'remove' | 'downloadLink'> => ({
  inspect: async () => found,
  remove: async () => undefined,
  downloadLink: async () => 'http://s3/get',
});

const summary = ({ action, actor, from, to, requestId, size, contentType, reason }: AuditEvent) => ({
  action,
  actor,
  from,
  to,
  requestId,
  ...(size === undefined ? {} : { size }),
  ...(contentType === undefined ? {} : { contentType }),
  ...(reason === undefined ? {} : { reason }),
});

describe('what a document change says happened', () => {
  it('cancelled and asked again: from the status read, naming the item', () => {
    const item = { ...passport(), status: 'received' as const };
    expect(cancel(item, later).change.audit).toEqual([
      { action: 'document.cancelled', at: later.toISOString(), from: 'received', to: 'cancelled', documentRequestId: item.requestId },
    ]);
    expect(reRequest(item, later).change.audit).toMatchObject([{ action: 'document.re_requested', from: 'received', to: 'requested' }]);
  });

  it("a landing: on to its scan with its real size and type, or refused saying why; never the file's name", () => {
    const item = awaiting();
    const taken = fileLanded(item, { key: item.pendingUpload!.key, size: 2048, firstBytes: pdf }, later);
    expect(taken.change?.audit).toMatchObject([{ action: 'document.uploaded', from: 'requested', to: 'scanning', size: 2048, contentType: 'application/pdf' }]);
    const refused = fileLanded(item, { key: item.pendingUpload!.key, size: 10, firstBytes: new Uint8Array([1, 2]) }, later);
    expect(refused.change?.audit).toMatchObject([{ action: 'document.rejected', to: 'rejected', size: 10, reason: 'The file is not a PDF, JPEG, PNG or HEIC file' }]);
    expect(JSON.stringify([taken.change?.audit, refused.change?.audit])).not.toContain(fileName);
  });

  it('a scan: clean is received, anything else infected; a file not awaited says nothing', () => {
    const scanning: DocumentRequest = { ...passport(), status: 'scanning', objectKey: 'households/k' };
    expect(fileScanned(scanning, { key: 'households/k', clean: true }, later).change?.audit).toMatchObject([{ action: 'document.received', from: 'scanning', to: 'received' }]);
    expect(fileScanned(scanning, { key: 'households/k', clean: false }, later).change?.audit).toMatchObject([
      { action: 'document.infected', to: 'infected', reason: 'The malware scan found a threat' },
    ]);
    expect(fileScanned(scanning, { key: 'households/other', clean: true }, later).change).toBeUndefined();
  });
});

describe("a document's trail", () => {
  it('is added, cancelled and asked again by the advisor, in their requests', async () => {
    const memory = memoryStore([]);
    const deps = {
      households: { get: async () => ({ ...household }) as never },
      documentRequests: memory.store,
      documentFiles: files(undefined),
      retentionDays: () => 365,
      now: () => later,
    };
    await addDocumentRequests({ ...deps, requestId: 'req-add' }, advisor, household.householdId, [{ title: 'Passport' }, { title: 'Payslip' }]);
    const [first] = memory.items;
    await changeDocumentRequest({ ...deps, requestId: 'req-cancel' }, advisor, { householdId: household.householdId, requestId: first!.requestId }, 'cancel');
    await changeDocumentRequest({ ...deps, requestId: 'req-again' }, advisor, { householdId: household.householdId, requestId: first!.requestId }, 're-request');
    const byAdvisor = { sub: 'advisor-1', role: 'advisor' };
    expect(memory.events.map(summary)).toEqual([
      { action: 'document.requested', actor: byAdvisor, from: null, to: 'requested', requestId: 'req-add' },
      { action: 'document.requested', actor: byAdvisor, from: null, to: 'requested', requestId: 'req-add' },
      { action: 'document.cancelled', actor: byAdvisor, from: 'requested', to: 'cancelled', requestId: 'req-cancel' },
      { action: 'document.re_requested', actor: byAdvisor, from: 'cancelled', to: 'requested', requestId: 'req-again' },
    ]);
    expect(memory.events.map((event) => event.documentRequestId)).toEqual([...memory.items.map((item) => item.requestId), first!.requestId, first!.requestId]);
  });

  it('is landed and scanned by the service in its queue message; a redelivery adds nothing', async () => {
    const item = awaiting();
    const key = item.pendingUpload!.key;
    const memory = memoryStore([item]);
    const deps = {
      documentRequests: memory.store,
      documentFiles: files({ size: 2048, firstBytes: pdf }),
      households: { get: async () => undefined },
      mailer: { send: async () => undefined },
      now: () => later,
    };
    await recordDocumentEvent({ ...deps, requestId: 'message-1' }, { kind: 'landed', key });
    await recordDocumentEvent({ ...deps, requestId: 'message-1' }, { kind: 'landed', key });
    await recordDocumentEvent({ ...deps, requestId: 'message-2' }, { kind: 'scanned', key, clean: true, result: 'NO_THREATS_FOUND' });
    const service = { sub: 'portal-onboarding', role: 'system' };
    expect(memory.events.map(summary)).toEqual([
      { action: 'document.uploaded', actor: service, from: 'requested', to: 'scanning', requestId: 'message-1', size: 2048, contentType: 'application/pdf' },
      { action: 'document.received', actor: service, from: 'scanning', to: 'received', requestId: 'message-2' },
    ]);
    expect(JSON.stringify(memory.events)).not.toContain(fileName);
  });

  it('records each download issued, by the advisor who took it; none for a file not received', async () => {
    const received: DocumentRequest = { ...passport(), status: 'received', objectKey: 'households/k', file: { name: fileName, size: 5, contentType: 'application/pdf', receivedAt: start.toISOString() } };
    const memory = memoryStore([received, { ...passport(), status: 'scanning' }]);
    const standing = newHousehold({ name: 'H', members: [] }, [], { firmId: household.firmId, sub: 'advisor-1' }, start.toISOString());
    const households = { get: async () => standing };
    const deps = { documentRequests: memory.store, households, documentFiles: files(undefined), retentionDays: () => 365, now: () => later, requestId: 'req-download' };
    await downloadDocument(deps, advisor, { householdId: household.householdId, requestId: received.requestId });
    await expect(downloadDocument(deps, advisor, { householdId: household.householdId, requestId: memory.items[1]!.requestId })).rejects.toThrow();
    expect(memory.events.map(summary)).toEqual([
      { action: 'document.downloaded', actor: { sub: 'advisor-1', role: 'advisor' }, from: 'received', to: 'received', requestId: 'req-download' },
    ]);
    expect(JSON.stringify(memory.events)).not.toContain(fileName);
  });
});
