// What an upload may be, and what its landing and its scan make of an item: pure rules, no services.
import { describe, expect, it } from 'vitest';
import { requestDocuments, type DocumentRequest } from '../../lib/domain/document-request.ts';
import { fileLanded, fileScanned, itemOfKey, maxUploadBytes, sniffType, startUpload, uploadKey } from '../../lib/domain/document-upload.ts';

const start = new Date('2026-03-02T09:00:00.000Z');
const later = new Date('2026-03-02T09:05:00.000Z');
const bytes = (text: string, prefix: number[] = []) => new Uint8Array([...prefix, ...Buffer.from(text, 'latin1')]);
const pdf = bytes('%PDF-1.7\n%âãÏÓ');
const eicar = bytes('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR');

const requested = (): DocumentRequest =>
  requestDocuments({ firmId: 'firm-a', householdId: '0190f5d2-8b1a-7c3d-9e4f-5a6b7c8d9e0f' }, [{ title: 'Passport' }], 'advisor-1', start)[0]!;
const passport = requested();
const awaiting = (): DocumentRequest => ({ ...passport, pendingUpload: { key: uploadKey(passport, 'u1'), name: 'passport.pdf' } });

describe('the type a file is', () => {
  it.each([
    ['a PDF', pdf, 'application/pdf'],
    ['a JPEG', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'image/jpeg'],
    ['a PNG', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), 'image/png'],
    ['a HEIC', bytes('ftypheic\0\0\0\0', [0, 0, 0, 0x18]), 'image/heic'],
    ['a HEIF image', bytes('ftypmif1\0\0\0\0', [0, 0, 0, 0x18]), 'image/heic'],
  ])('reads %s from its first bytes', (_, first, type) => {
    expect(sniffType(first)).toBe(type);
  });

  it.each([
    ['text calling itself a PDF', bytes('hello %PDF-')],
    ['an MP4', bytes('ftypisom\0\0\0\0', [0, 0, 0, 0x18])],
    ['a ZIP', bytes('PK\u0003\u0004')],
    ['the EICAR test string', eicar],
    ['nothing', new Uint8Array()],
  ])('refuses %s', (_, first) => {
    expect(sniffType(first)).toBeUndefined();
  });
});

describe('object keys', () => {
  it('are chosen under the household and name their item back', () => {
    const item = requested();
    const key = uploadKey(item, 'u1');
    expect(key).toBe(`households/firm-a/${item.householdId}/${item.requestId}/u1`);
    expect(itemOfKey(key)).toEqual({ firmId: 'firm-a', householdId: item.householdId, requestId: item.requestId });
  });

  it.each(['households/a/b/c', 'other/a/b/c/d', 'households/a//c/d', 'households/a/b/c/d/e'])('name no item for %s', (key) => {
    expect(itemOfKey(key)).toBeUndefined();
  });
});

describe('starting an upload', () => {
  it('remembers the key, for a requested or rejected item only', () => {
    const item = requested();
    expect(startUpload(item, { key: 'k', name: 'a.pdf' }, later).set).toEqual({ pendingUpload: { key: 'k', name: 'a.pdf' }, updatedAt: later.toISOString() });
    expect(startUpload({ ...item, status: 'rejected' }, { key: 'k', name: 'a.pdf' }, later).when).toEqual({ status: 'rejected' });
    for (const status of ['scanning', 'received', 'infected', 'cancelled'] as const) {
      expect(() => startUpload({ ...item, status }, { key: 'k', name: 'a.pdf' }, later)).toThrow(/takes no upload/);
    }
  });
});

describe('a file landing', () => {
  const key = () => awaiting().pendingUpload!.key;

  it('puts a PDF of the right key on to its scan, with its real size and type', () => {
    const outcome = fileLanded(awaiting(), { key: key(), size: 1234, firstBytes: pdf }, later);
    expect(outcome.discard).toBe(false);
    expect(outcome.change?.set).toMatchObject({
      status: 'scanning',
      objectKey: key(),
      file: { name: 'passport.pdf', size: 1234, contentType: 'application/pdf', receivedAt: later.toISOString() },
    });
    expect(outcome.change?.when).toEqual({ status: 'requested' });
  });

  it('rejects and deletes a file over 25 MB, an empty one, and one of a refused type, saying why', () => {
    const over = fileLanded(awaiting(), { key: key(), size: maxUploadBytes + 1, firstBytes: pdf }, later);
    const empty = fileLanded(awaiting(), { key: key(), size: 0, firstBytes: new Uint8Array() }, later);
    const text = fileLanded(awaiting(), { key: key(), size: 10, firstBytes: bytes('plain text') }, later);
    expect([over, empty, text].map((outcome) => [outcome.discard, outcome.change?.set.status, outcome.change?.set.reason])).toEqual([
      [true, 'rejected', 'The file is larger than 25 MB'],
      [true, 'rejected', 'The file is empty'],
      [true, 'rejected', 'The file is not a PDF, JPEG, PNG or HEIC file'],
    ]);
    expect(fileLanded(awaiting(), { key: key(), size: maxUploadBytes, firstBytes: pdf }, later).change?.set.status).toBe('scanning');
  });

  it('deletes, changing nothing, a file at another key, for an unknown item or one not waiting for it', () => {
    expect(fileLanded(awaiting(), { key: 'households/x/y/z/old', size: 10, firstBytes: pdf }, later)).toEqual({ discard: true });
    expect(fileLanded(undefined, { key: key(), size: 10, firstBytes: pdf }, later)).toEqual({ discard: true });
    expect(fileLanded({ ...awaiting(), status: 'cancelled' }, { key: key(), size: 10, firstBytes: pdf }, later)).toEqual({ discard: true });
  });

  it('keeps, changing nothing, the file an item already took, when its event comes again', () => {
    const taken: DocumentRequest = { ...awaiting(), status: 'received', objectKey: key(), pendingUpload: undefined };
    expect(fileLanded(taken, { key: key(), size: 10, firstBytes: pdf }, later)).toEqual({ discard: false });
  });
});

describe('a scan answering', () => {
  const scanning = (): DocumentRequest => ({ ...awaiting(), status: 'scanning', objectKey: 'households/k', pendingUpload: undefined });

  it('makes a clean file received, and keeps it', () => {
    const outcome = fileScanned(scanning(), { key: 'households/k', clean: true }, later);
    expect(outcome).toMatchObject({ discard: false, change: { set: { status: 'received' }, when: { status: 'scanning' } } });
  });

  it('makes an infected file infected, and deletes it', () => {
    const outcome = fileScanned(scanning(), { key: 'households/k', clean: false }, later);
    expect(outcome).toMatchObject({ discard: true, change: { set: { status: 'infected', objectKey: undefined } } });
  });

  it('changes nothing, and keeps the file, for an item holding it but no longer scanning (a repeated result)', () => {
    expect(fileScanned({ ...scanning(), status: 'received' }, { key: 'households/k', clean: false }, later)).toEqual({ discard: false });
  });

  it('deletes, changing nothing, a file the item neither holds nor waits for: re-requested or cancelled meanwhile', () => {
    expect(fileScanned(scanning(), { key: 'households/other', clean: true }, later)).toEqual({ discard: true });
    const reRequested: DocumentRequest = { ...scanning(), status: 'requested', objectKey: undefined, file: undefined };
    expect(fileScanned(reRequested, { key: 'households/k', clean: true }, later)).toEqual({ discard: true });
    expect(fileScanned(undefined, { key: 'households/k', clean: true }, later)).toEqual({ discard: true });
  });
});
