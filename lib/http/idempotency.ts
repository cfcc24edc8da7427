import { createHash } from 'node:crypto';
import { sleep } from '../sleep.ts';
import { AppError } from '../domain/errors.ts';
import type { RequestMarker } from '../domain/ports.ts';
import { logger } from '../logger.ts';
import { errorReply, type Reply } from './response.ts';

export type Claim =
  | { kind: 'new'; owner: string }
  | { kind: 'replay'; reply: Reply }
  | { kind: 'in_progress' }
  | { kind: 'mismatch' };

/** A claim this request holds: the scoped key and the random owner that only this request knows. */
export interface HeldClaim {
  key: string;
  owner: string;
}

/** The claim as the use cases see it: opaque, only handed on to the store that writes it with the change. */
export const requestMarker = (claim: HeldClaim): RequestMarker => claim as unknown as RequestMarker;

/** The claim behind a marker, for the store that writes what the request saved onto it. */
export const heldClaim = (marker: RequestMarker): HeldClaim => marker as unknown as HeldClaim;

export interface IdempotencyStore {
  /** Claims `key` for this request, or says what an earlier request with the same key did. */
  claim(key: string, requestHash: string, now: Date): Promise<Claim>;
  /** Keeps `reply` for replays; false (and nothing written) if `owner` no longer holds the claim. */
  complete(key: string, owner: string, reply: Reply): Promise<boolean>;
  /**
   * Frees the key after a failure, so a retry runs again; a claim `owner` no longer holds is left alone. A claim
   * on which the work recorded what it saved stays (released, not deleted), so the retry finds that instead.
   */
  release(key: string, owner: string): Promise<void>;
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
/** Waits before each retry of recording an answer: a blink of the table, not an outage, is what they cover. */
const completeRetryDelaysMs = [50, 200, 800];

/**
 * Records the answer of work that already happened, retrying a failed write a few times. If it still fails the
 * claim stays in progress, not freed: a retry gets 409 until the lease runs out, and only then runs again, where
 * the work's own guard answers it (what the request saved, written on the claim with the change, is returned; a
 * linked account, a decided ticket or a used link is a 409), so the effect never happens twice.
 */
const recordAnswer = async (store: IdempotencyStore, key: string, owner: string, reply: Reply): Promise<void> => {
  // Never its cookies: a session's id is the first answer's alone, and the table holds no working cookie.
  const { cookies: _sessionIds, ...kept } = reply;
  for (let attempt = 0; ; attempt += 1) {
    try {
      if (!(await store.complete(key, owner, kept))) logger.warn('idempotency claim taken over before its answer was recorded');
      return;
    } catch (error) {
      const delay = completeRetryDelaysMs[attempt];
      if (delay === undefined) {
        logger.warn('idempotency answer not recorded; the claim stays in progress', {
          error: error instanceof Error ? error.name : 'unknown',
        });
        return;
      }
      await sleep(delay);
    }
  }
};

export type Claimed = { replay: Reply } | { owner: string };

/**
 * Claims `key`, or says what an earlier request with it did: a different request with that key is 422, and one
 * that races the first waits for its answer, until `waitUntil` (epoch ms) at the latest, then is 409.
 */
export const claimKey = async (
  store: IdempotencyStore,
  key: string,
  hash: string,
  now: () => Date = () => new Date(),
  waitUntil = Date.now() + waitForFirstMs,
): Promise<Claimed> => {
  const deadline = Math.min(waitUntil, Date.now() + waitForFirstMs);
  for (;;) {
    const claim = await store.claim(key, hash, now());
    if (claim.kind === 'mismatch') {
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used for a different request');
    }
    if (claim.kind === 'replay') {
      return { replay: { ...claim.reply, headers: { ...claim.reply.headers, 'idempotent-replayed': 'true' } } };
    }
    if (claim.kind === 'new') return { owner: claim.owner };
    if (Date.now() > deadline) throw new AppError('conflict', 'A request with this Idempotency-Key is still in progress; retry shortly');
    await sleep(100);
  }
};

/** The work answered: a success is kept for replays (it happened, recorded or not); anything else frees the key. */
export const settleAnswer = async (store: IdempotencyStore, key: string, owner: string, reply: Reply): Promise<void> => {
  if (reply.status >= 200 && reply.status < 300) await recordAnswer(store, key, owner, reply);
  else await store.release(key, owner);
};

/** The work failed: the key is free again, unless the write happened and only its email failed. */
export const settleFailure = async (store: IdempotencyStore, key: string, owner: string, error: unknown): Promise<void> => {
  // A retry must not create a second one.
  if (error instanceof AppError && error.code === 'email_send_failed') await recordAnswer(store, key, owner, errorReply(error));
  else await store.release(key, owner).catch(() => undefined);
};

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
  const claimed = await claimKey(store, key, hash, now);
  if ('replay' in claimed) return claimed.replay;
  let reply: Reply;
  try {
    reply = await run();
  } catch (error) {
    await settleFailure(store, key, claimed.owner, error);
    throw error;
  }
  await settleAnswer(store, key, claimed.owner, reply);
  return reply;
};
