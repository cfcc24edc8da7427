import type { RequestMarker } from '../domain/ports.ts';
import { claimKey, heldClaim, requestHash, requestMarker, settleAnswer, settleFailure, type IdempotencyStore } from './idempotency.ts';

/**
 * Runs each item of a batch request (the use case's ItemRunner); with the request's Idempotency-Key, once per item.
 * A batch's answer is kept only once every item is done, so each item has a claim of its own under the batch's key:
 * a retry after an attempt that died midway gets the items that finished as they answered (and only their claims'
 * answers: nothing is done twice), and runs the rest with their own markers, so one whose write landed and whose
 * answer was lost is found, not made again. An item's answer is kept as the single route's would be: a success is,
 * a refusal frees its claim. A space is in no key a client may send (idempotencyKeyOf), so no request's own key
 * ever names an item's claim.
 */
export const idempotentItems = <R extends { status: number }>(store: IdempotencyStore, batch: RequestMarker | undefined) => {
  type Work = (marker: RequestMarker | undefined) => Promise<R>;
  if (batch === undefined) return { resumable: false, run: (_index: number, _item: unknown, work: Work) => work(undefined) };
  const batchKey = heldClaim(batch).key;
  return {
    resumable: true,
    async run(index: number, item: unknown, work: Work): Promise<R> {
      const key = `${batchKey} item ${index}`;
      const claimed = await claimKey(store, key, requestHash([JSON.stringify(item)]));
      if ('replay' in claimed) return claimed.replay.body as R;
      let result: R;
      try {
        result = await work(requestMarker({ key, owner: claimed.owner }));
      } catch (error) {
        await settleFailure(store, key, claimed.owner, error);
        throw error;
      }
      await settleAnswer(store, key, claimed.owner, { status: result.status, body: result });
      return result;
    },
  };
};
