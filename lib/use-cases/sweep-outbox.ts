import { recorded, systemActor, type InRequest } from '../domain/audit.ts';
import { AppError } from '../domain/errors.ts';
import { emailUnanswered } from '../domain/invitation-lifecycle.ts';
import type { Outbox, OutboxEntry, TicketQueue, TicketStore } from '../domain/ports.ts';
import { logger } from '../logger.ts';
import { emitMetrics, outboxMetrics, ticketSlaMetrics } from '../metrics.ts';
import { equalJitterMs } from '../backoff.ts';
import { outbox } from '../settings/timing.ts';
import { eachDue } from './each-due.ts';

export interface RetrySettings {
  /** Tries per entry before it is set aside as stuck. */
  maxAttempts: number;
  /** Delay after the first try; it doubles after each one, up to maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
}

export interface SweepDeps extends InRequest {
  outbox: Outbox;
  ticketQueue: TicketQueue;
  /** The ops desk's SLA: when the oldest open ticket was raised, measured on every run. */
  tickets: Pick<TicketStore, 'oldestOpen'>;
  now: () => Date;
  retry: () => RetrySettings;
  /** Time left in this invocation; no new entry is started when it runs short. */
  remainingMs?: () => number;
  random?: () => number;
  /** Finishes a deleted household's purge (purge-household.ts purgeOwed): true once done, false when out of time. */
  purgeHousehold?: (household: { firmId: string; householdId: string }) => Promise<boolean>;
}

export interface SweepResult {
  requeued: number;
  markedFailed: number;
  /** Entries whose handling failed this time; each is retried later, or set aside at its limit. */
  failed: number;
  setAside: number;
  /** Deleted households whose purge this sweep finished. */
  purged: number;
  /** Every entry set aside so far, this sweep's included. */
  stuck: number;
  /** How long the oldest open ticket, of any firm, has waited; 0 when none is open. */
  oldestOpenTicketAgeSeconds: number;
}

type Outcome = 'requeued' | 'markedFailed' | 'failed' | 'setAside' | 'purged' | 'postponed';

const { stopMarginMs } = outbox;

/** Equal jitter, not full: a requeued ticket request needs at least half the delay for the ops function to confirm it. */
export const backoffMs = (attempts: number, settings: RetrySettings, random: () => number): number => equalJitterMs(attempts, settings, random);

/** Whole seconds from `since` to `now`, never negative (a clock a little behind another's reads 0). */
const secondsSince = (since: number, now: Date) => Math.max(0, Math.round((now.getTime() - since) / 1000));

const reasonOf = (error: unknown) => (error instanceof AppError ? error.code : error instanceof Error ? error.name : 'unknown');

/**
 * One entry, alone: a ticket request is queued again (the ops function is idempotent); an email SES never
 * answered for is marked send_failed (DynamoDB only, so an SQS outage never holds it up). Each try counts; past
 * the limit the entry is set aside as stuck, listed for ops and alarmed.
 */
const handle = async (deps: SweepDeps, entry: OutboxEntry, now: Date): Promise<Outcome> => {
  const settings = deps.retry();
  const attempts = entry.attempts + 1;
  const at = now.toISOString();
  const later = async (why: string): Promise<'setAside' | undefined> => {
    if (attempts >= settings.maxAttempts) {
      await deps.outbox.setAside(entry, attempts, why, at);
      logger.error('outbox entry set aside', { kind: entry.kind, invitationId: entry.invitationId, attempts, reason: why });
      return 'setAside';
    }
    await deps.outbox.retryLater(entry, attempts, new Date(now.getTime() + backoffMs(attempts, settings, deps.random ?? Math.random)).toISOString());
    return undefined;
  };
  if (entry.kind === 'invitation_email') {
    try {
      await deps.outbox.markEmailUnanswered(recorded(emailUnanswered(entry, now), systemActor, deps.requestId));
      return 'markedFailed';
    } catch (error) {
      return (await later(`email not marked: ${reasonOf(error)}`)) ?? 'failed';
    }
  }
  if (entry.kind === 'household_purge') {
    try {
      if (deps.purgeHousehold === undefined) return (await later('no purge in this run')) ?? 'failed';
      if (await deps.purgeHousehold(entry)) return 'purged';
      // Out of time midway: the next run goes on where the table and the bucket are; not a failed try.
      await deps.outbox.postpone(entry, new Date(now.getTime() + 60_000).toISOString());
      return 'postponed';
    } catch (error) {
      return (await later(`purge failed: ${reasonOf(error)}`)) ?? 'failed';
    }
  }
  if (entry.ticketRequest === undefined) {
    // Nothing to queue, ever: retrying would only spend the budget.
    await deps.outbox.setAside(entry, attempts, 'malformed ticket request', at);
    logger.error('outbox entry set aside', { kind: entry.kind, attempts, reason: 'malformed ticket request' });
    return 'setAside';
  }
  try {
    await deps.ticketQueue.send([entry.ticketRequest]);
  } catch (error) {
    if (error instanceof AppError && error.code === 'validation_error') {
      await deps.outbox.setAside(entry, attempts, 'the ops function would refuse this request', at);
      return 'setAside';
    }
    return (await later(`not queued: ${reasonOf(error)}`)) ?? 'failed';
  }
  // Queued; if the ops function still has not confirmed by the next try, it is queued again, up to the limit.
  return (await later(`queued ${attempts} times, never confirmed by the ops function`)) ?? 'requeued';
};

/**
 * Repairs what a crash or an SQS/SES failure left half done, one entry at a time so one bad entry never stops
 * the rest, and reports the outbox's health as metrics (oldest entry, stuck entries, failures). It also measures
 * the ops desk's SLA, the age of the oldest open ticket, on every run: the SLA alarm needs a value each minute.
 */
export const sweepOutbox = async (deps: SweepDeps, limit = 100): Promise<SweepResult> => {
  const now = deps.now();
  // Read beside the outbox page; a failed read fails the run (the sweeper-errors alarm) after the outbox work.
  const oldestOpen = deps.tickets.oldestOpen().then((at) => ({ at }), (error: unknown) => ({ error }));
  const due = await deps.outbox.due(now.toISOString(), limit);
  // Emails first: marking them needs only the table, whatever SQS is doing.
  const ordered = [...due.filter((e) => e.kind === 'invitation_email'), ...due.filter((e) => e.kind !== 'invitation_email')];
  const counts: Record<Outcome, number> = { requeued: 0, markedFailed: 0, failed: 0, setAside: 0, purged: 0, postponed: 0 };
  await eachDue(ordered, counts, {
    stop: () => deps.remainingMs !== undefined && deps.remainingMs() < stopMarginMs,
    handle: (entry) => handle(deps, entry, now),
    failed: (entry, error) => logger.error('outbox entry not handled; tried again next run', { kind: entry.kind, error: error as Error }),
  });
  const stuck = await deps.outbox.countStuck();
  const owedSince = due.map((entry) => Date.parse(entry.since ?? entry.dueAt)).filter(Number.isFinite);
  const oldestAgeSeconds = owedSince.length === 0 ? 0 : secondsSince(Math.min(...owedSince), now);
  // A quiet minute writes no outbox figures: those alarms read missing data as not breaching.
  if (due.length > 0 || stuck > 0) emitMetrics({
    [outboxMetrics.dueEntries]: { value: due.length, unit: 'Count' },
    [outboxMetrics.failedEntries]: { value: counts.failed, unit: 'Count' },
    [outboxMetrics.stuckEntries]: { value: stuck, unit: 'Count' },
    [outboxMetrics.oldestEntryAge]: { value: oldestAgeSeconds, unit: 'Seconds' },
    [outboxMetrics.repairedEntries]: { value: counts.requeued + counts.markedFailed + counts.purged, unit: 'Count' },
  });
  if (due.length > 0) logger.info('outbox swept', { ...counts, stuck });
  const read = await oldestOpen;
  if ('error' in read) throw read.error;
  const oldestOpenTicketAgeSeconds = read.at === undefined ? 0 : secondsSince(Date.parse(read.at), now);
  emitMetrics({ [ticketSlaMetrics.oldestOpenTicketAge]: { value: oldestOpenTicketAgeSeconds, unit: 'Seconds' } });
  const { postponed: _postponed, ...reported } = counts;
  return { ...reported, stuck, oldestOpenTicketAgeSeconds };
};
