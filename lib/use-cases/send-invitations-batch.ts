import { AppError } from '../domain/errors.ts';
import type { Caller, RequestMarker } from '../domain/ports.ts';
import { logger } from '../logger.ts';
import { pacer, waitUntil } from '../pacer.ts';
import { batchInvitationItem, type BatchInvitationItem } from '../schemas/invitations.ts';
import { check } from '../schemas/validate.ts';
import type { BatchItemResult } from '../schemas/views.ts';
import { sendInvitation, type SendInvitationDeps } from './send-invitation.ts';

export interface SendInvitationsBatchDeps extends SendInvitationDeps {
  /** SES's maximum send rate, emails per second, that this function keeps to. */
  sendRate: () => number;
}

/** Runs each item, with the request's Idempotency-Key once per item (lib/http/idempotent-items.ts). */
export interface ItemRunner {
  /** True when a retry of the batch gets each finished item's answer instead of running it again. */
  resumable: boolean;
  run(index: number, item: unknown, work: (marker: RequestMarker | undefined) => Promise<BatchItemResult>): Promise<BatchItemResult>;
}

/** Items in flight at once: enough to keep SES busy at its rate, few enough not to flood the table. */
export const itemConcurrency = 10;
/** No item is started whose email could not go out this long before the function's deadline: its send and record. */
export const itemStartMarginMs = 3_000;

const refused = (index: number, error: AppError): BatchItemResult => ({
  index,
  status: error.status,
  error: { code: error.code, message: error.message, details: error.details },
});

/** A refusal decided before any work: an invalid item, or an invitation the batch already asks for. */
type Plan = { item: BatchInvitationItem } | { result: BatchItemResult };

/** Each item checked alone, its details under its own path; the second ask for one household and email is a 409. */
const plan = (items: unknown[]): Plan[] => {
  const first = new Map<string, number>();
  return items.map((value, index) => {
    const checked = check(batchInvitationItem, value);
    if (!checked.success) {
      const details = checked.details.map((d) => ({ path: d.path === '' ? `body.items.${index}` : `body.items.${index}.${d.path}`, message: d.message }));
      return { result: refused(index, new AppError('validation_error', 'The item is not valid', details)) };
    }
    const key = `${checked.data.householdId}#${checked.data.email.toLowerCase()}`;
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, index);
      return { item: checked.data };
    }
    const detail = { path: `body.items.${index}.email`, message: `is invited to this household by items.${earlier} already` };
    return { result: refused(index, new AppError('conflict', 'The batch invites this email to this household twice', [detail])) };
  });
};

/** Not started, nothing saved: at the send rate its email would go out too close to the deadline. Sent again, it goes. */
const notStarted = (index: number) =>
  refused(index, new AppError('rate_limited', "Not started: at SES's send rate its email would not go out in this request's time; nothing was saved, send it again"));

/**
 * The item as the single route does it: one transaction, then the email and any ticket request. It waits for its
 * start before its write, not just before its send: an email is never owed long (the sweeper takes one unanswered
 * past its grace period for failed), and a function that dies while items wait leaves nothing of them behind.
 */
const sendOne = async (deps: SendInvitationsBatchDeps, caller: Caller, index: number, item: BatchInvitationItem, start: number, marker: RequestMarker | undefined) => {
  await waitUntil(start);
  const { householdId, ...input } = item;
  try {
    return { index, status: 201 as const, invitation: await sendInvitation(deps, caller, householdId, input, marker) };
  } catch (error) {
    if (error instanceof AppError) return refused(index, error);
    logger.error('batch item failed', { index, error: error instanceof Error ? { name: error.name, stack: error.stack } : 'unknown' });
    return refused(index, new AppError('internal_error', 'Something went wrong on our side; it has been logged'));
  }
};

/** A server-side failure that says nothing of whether the item's write landed: only a retry can tell. */
const unknownOutcome = (result: BatchItemResult) => 'error' in result && result.status >= 500 && result.error.code !== 'email_send_failed';

/** Settles `work` for each value, `limit` at a time, taken in order; one failing never stops the others. */
const settleEach = async <T, R>(values: T[], limit: number, work: (value: T, index: number) => Promise<R>) => {
  const settled: PromiseSettledResult<R>[] = [];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < values.length; index = next++) {
      settled[index] = await work(values[index]!, index).then(
        (value) => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, values.length) }, worker));
  return settled;
};

/**
 * An advisor invites up to 100 people at once: each item is exactly the single route (sendInvitation), with a result
 * of its own, in order. Items run `itemConcurrency` at a time and start at SES's send rate, each given its start
 * before its write, so an item that could not be emailed in time is never started (429 in its result).
 * With an Idempotency-Key, an item whose outcome is unknown (a 5xx) makes the whole answer a 503, since
 * a retry with the key answers the finished items as they were and runs only the rest; without one, a retry could
 * not tell, so the item's 5xx is its result.
 */
export const sendInvitationsBatch = async (
  deps: SendInvitationsBatchDeps,
  caller: Caller,
  items: unknown[],
  run: { items: ItemRunner; remainingMs: () => number },
): Promise<BatchItemResult[]> => {
  const latestStart = Date.now() + run.remainingMs() - itemStartMarginMs;
  const sends = pacer(deps.sendRate());
  const settled = await settleEach(plan(items), itemConcurrency, async (planned, index) => {
    if ('result' in planned) return planned.result;
    return run.items.run(index, items[index], async (marker) => {
      const start = sends.reserve(latestStart);
      return start === undefined ? notStarted(index) : sendOne(deps, caller, index, planned.item, start, marker);
    });
  });
  const failed = settled.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  const results = settled.map((outcome) => (outcome as PromiseFulfilledResult<BatchItemResult>).value);
  const unknown = results.find(unknownOutcome);
  if (run.items.resumable && unknown && 'error' in unknown) {
    throw new AppError('service_unavailable', 'Not every item finished; retry with the same Idempotency-Key: finished items are not sent again', [
      { path: `body.items.${unknown.index}`, message: unknown.error.message },
    ]);
  }
  logger.info('invitation batch answered', { items: results.length, created: results.filter((r) => r.status === 201).length });
  return results;
};
