import { createHash } from 'node:crypto';
import { sleep } from '../sleep.ts';
import { AppError } from '../domain/errors.ts';
import { errorReply, type Reply } from './response.ts';

export type Claim =
  | { kind: 'new' }
  | { kind: 'replay'; reply: Reply }
  | { kind: 'in_progress' }
  | { kind: 'mismatch' };

export interface IdempotencyStore {
  /** Claims `key` for this request, or says what an earlier request with the same key did. */
  claim(key: string, requestHash: string, now: Date): Promise<Claim>;
  complete(key: string, reply: Reply): Promise<void>;
  /** Frees the key after a failure, so a retry runs again. */
  release(key: string): Promise<void>;
}

const keyPattern = /^[\x21-\x7e]{1,255}$/;

export const idempotencyKeyOf = (headers: Record<string, string | undefined>): string | undefined => {
  const key = headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (!keyPattern.test(key)) {
    throw new AppError('validation_error', 'Idempotency-Key must be 1-255 visible ASCII characters', [
      { path: 'headers.idempotency-key', message: 'is not a valid key' },
    ]);
  }
  return key;
};

export const requestHash = (parts: (string | undefined)[]): string =>
  createHash('sha256').update(parts.map((p) => p ?? '').join('\n')).digest('base64url');

const waitForFirstMs = 5_000;

/**
 * Runs `run` once per key: a retry with the same key and request gets the first answer, a different
 * request with that key gets 422, and a retry that races the first waits for its answer.
 * Only answers whose effect happened are kept; after any other failure the key is free again.
 */
export const idempotent = async (
  store: IdempotencyStore,
  key: string,
  hash: string,
  run: () => Promise<Reply>,
  now: () => Date = () => new Date(),
): Promise<Reply> => {
  const deadline = Date.now() + waitForFirstMs;
  for (;;) {
    const claim = await store.claim(key, hash, now());
    if (claim.kind === 'mismatch') {
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used for a different request');
    }
    if (claim.kind === 'replay') {
      return { ...claim.reply, headers: { ...claim.reply.headers, 'idempotent-replayed': 'true' } };
    }
    if (claim.kind === 'new') break;
    if (Date.now() > deadline) throw new AppError('conflict', 'A request with this Idempotency-Key is still in progress; retry shortly');
    await sleep(100);
  }
  let reply: Reply;
  try {
    reply = await run();
  } catch (error) {
    // The write happened and only its email failed: a retry must not create a second one.
    if (error instanceof AppError && error.code === 'email_send_failed') {
      await store.complete(key, errorReply(error));
    } else {
      await store.release(key).catch(() => undefined);
    }
    throw error;
  }
  if (reply.status >= 200 && reply.status < 300) await store.complete(key, reply);
  else await store.release(key);
  return reply;
};
