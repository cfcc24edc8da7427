// The timing rules that span layers, checked against each other with no service running: a change to one
// number that breaks a rule between a lease, a queue and a function's timeout fails here, not in production.
import { describe, expect, it } from 'vitest';
import * as timing from '../../lib/settings/timing.ts';

const { functionTimeoutSeconds: timeouts, ticketQueue, opsEmail, idempotency, outbox, sdkCall, sesCall } = timing;
const ms = (seconds: number) => seconds * 1000;
const longestFunctionMs = ms(Math.max(...Object.values(timeouts)));

describe('the ops-email lease and the ticket queue', () => {
  it('lets one ops-function run end before another may take the lease', () => {
    expect(opsEmail.notifyLeaseMs).toBeGreaterThan(ms(timeouts.ticketQueue));
  });

  it('frees the lease before the queue redelivers the message, so the redelivery can send', () => {
    expect(opsEmail.notifyLeaseMs).toBeLessThan(ms(ticketQueue.visibilityTimeoutSeconds));
  });

  it('keeps the visibility timeout at least six times the ops function timeout, as AWS advises', () => {
    expect(ticketQueue.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * timeouts.ticketQueue);
  });

  it('keeps a message long enough for every delivery before the dead-letter queue', () => {
    expect(ticketQueue.maxReceiveCount * ticketQueue.visibilityTimeoutSeconds).toBeLessThan(ticketQueue.retentionDays * 86_400);
    expect(ticketQueue.deadLetterRetentionDays).toBeGreaterThan(ticketQueue.retentionDays);
  });
});

describe('sending and recording inside the ops function', () => {
  it('reserves one SES send and one table call before sending', () => {
    expect(opsEmail.sendAndRecordMs).toBeGreaterThanOrEqual(timing.sesSendMaxMs + timing.tableCallMaxMs);
  });

  it('fits the record retry budget and one send inside the ops function timeout', () => {
    expect(opsEmail.recordRetryMs + timing.sesSendMaxMs).toBeLessThan(ms(timeouts.ticketQueue));
  });
});

describe('SDK calls and the API functions', () => {
  it('bounds one table call by its tries of a request timeout each', () => {
    expect(timing.tableCallMaxMs).toBeGreaterThanOrEqual(sdkCall.maxAttempts * sdkCall.requestTimeoutMs);
  });

  it('lets an API function answer 503 after a table call gives up', () => {
    expect(timing.tableCallMaxMs).toBeLessThan(ms(timeouts.http));
  });

  it('fits an invitation email and its record retries inside an API function', () => {
    expect(timing.sesSendMaxMs + timing.invitationEmailDelivery.recordRetryMs).toBeLessThan(ms(timeouts.http));
  });

  it('gives SES one try only, longer than other calls', () => {
    expect(sesCall.maxAttempts).toBe(1);
    expect(sesCall.requestTimeoutMs).toBeGreaterThan(sdkCall.requestTimeoutMs);
  });

  it('keeps every API function inside HTTP API\'s integration limit', () => {
    expect(timeouts.http).toBeLessThan(timing.httpApiIntegrationLimitSeconds);
  });

  it('holds an idempotency claim longer than any API function runs, so a live request is never taken over', () => {
    expect(idempotency.leaseMs).toBeGreaterThan(ms(timeouts.http));
    expect(idempotency.keepSeconds * 1000).toBeGreaterThan(idempotency.leaseMs);
  });
});

describe('the outbox sweeper', () => {
  it('never repairs a request or ops run that may still be running', () => {
    expect(ms(outbox.graceSeconds)).toBeGreaterThan(longestFunctionMs);
  });

  it('ends each scheduled run before the next tick, with room to stop starting entries', () => {
    expect(timeouts.schedule).toBeLessThan(timing.scheduleEverySeconds);
    expect(outbox.stopMarginMs).toBeGreaterThanOrEqual(sdkCall.connectionTimeoutMs + sdkCall.requestTimeoutMs);
    expect(outbox.stopMarginMs).toBeLessThan(ms(timeouts.schedule));
  });

  it('backs off from the grace period up to its cap, within the try limit', () => {
    expect(outbox.maxDelayMs).toBeGreaterThan(ms(outbox.graceSeconds));
    expect(outbox.maxAttempts).toBeGreaterThan(1);
  });
});
