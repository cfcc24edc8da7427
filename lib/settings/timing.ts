// Every timing rule that spans layers, in one place: the use cases, the SDK clients, the CDK stacks and the local
// stack all read these, and test/unit/timing.test.ts checks the rules between them. No AWS import: plain numbers.

// A setting derived from others reads plain constants, not their objects' properties: esbuild keeps an object whose
// initializer reads a property (a getter could run), so it would stay in every bundle, used or not (0.7 KB).
const sdkConnectionTimeoutMs = 1_000;
const sesRequestTimeoutMs = 8_000;
const ticketQueueTimeoutSeconds = 30;
const emailEventsTimeoutSeconds = 30;
const documentUploadsTimeoutSeconds = 30;

/** One SDK call (DynamoDB, SQS, Secrets Manager): fail fast so an API request can still answer 503 in time. */
export const sdkCall = {
  maxAttempts: 3,
  connectionTimeoutMs: sdkConnectionTimeoutMs,
  requestTimeoutMs: 3_000,
} as const;

/** SES gets one try only (a resent SendEmail may send twice) and longer, since a timed-out send is in doubt. */
export const sesCall = {
  maxAttempts: 1,
  requestTimeoutMs: sesRequestTimeoutMs,
  /** A send SES provably never took (throttled, no connection) is tried 3 times, these pauses apart. */
  neverTakenRetry: { firstDelayMs: 200, maxDelayMs: 400 },
} as const;

/** The longest one table call can take: 3 tries of up to 3 s, plus the SDK's backoff between them. */
export const tableCallMaxMs = 10_000;
/** The longest one SES send can take: connecting, then its one request. */
export const sesSendMaxMs = sesRequestTimeoutMs + sdkConnectionTimeoutMs;
/** Left in the invocation before a send starts: one SES send and then one table call to record it. */
const sendAndRecordMs = sesSendMaxMs + tableCallMaxMs;

/** Lambda timeouts, per kind of function (infra/routes.ts triggers). */
export const functionTimeoutSeconds = {
  /** An API route: a person waits, and HTTP API gives up at 30 s. */
  http: 15,
  /** The ops function that drains the ticket queue. */
  ticketQueue: ticketQueueTimeoutSeconds,
  /** A scheduled function (the outbox sweeper) ends before its next one-minute tick. */
  schedule: 50,
  /** The function that records SES's bounce, complaint and delivery events. */
  emailEvents: emailEventsTimeoutSeconds,
  /** The function that checks each uploaded document's size and type, and records its scan. */
  documentUploads: documentUploadsTimeoutSeconds,
} as const;

/** HTTP API stops waiting for any integration at 30 s (an AWS limit). */
export const httpApiIntegrationLimitSeconds = 30;
/** The schedule's period (rate(1 minute) in infra/routes.ts). */
export const scheduleEverySeconds = 60;

export const ticketQueue = {
  /** AWS advises at least six times the consumer's timeout, so a slow batch is not redelivered mid-flight. */
  visibilityTimeoutSeconds: ticketQueueTimeoutSeconds * 6,
  /** Deliveries before a ticket request moves to the dead-letter queue. */
  maxReceiveCount: 5,
  retentionDays: 4,
  /** Longer than the queue's, so a message that dies late still has time in the DLQ. */
  deadLetterRetentionDays: 14,
} as const;

/** The ops function's email to the ops inbox (lib/use-cases/raise-verification-ticket.ts). */
export const opsEmail = {
  /** Longer than one ops-function run, shorter than the queue's visibility timeout: one sender at a time. */
  notifyLeaseMs: 60_000,
  /** A sent email whose record fails is recorded again (safe), never sent again. */
  recordRetryMs: 20_000,
  sendAndRecordMs,
} as const;

/** The SES events queue and the advisor's bounce or complaint notice (lib/use-cases/record-email-event.ts). */
export const emailEvents = {
  /** Six times the consumer's timeout, as for the ticket queue. */
  visibilityTimeoutSeconds: emailEventsTimeoutSeconds * 6,
  /** Deliveries before an event moves to its dead-letter queue. */
  maxReceiveCount: 5,
  retentionDays: 4,
  deadLetterRetentionDays: 14,
  /** Longer than one run, shorter than the visibility timeout: one sender at a time, and a redelivery may send. */
  noticeLeaseMs: 60_000,
  /** A sent notice whose record fails is recorded again (safe), never sent again. */
  recordRetryMs: 20_000,
  sendAndRecordMs,
} as const;

/** An invitation email sent inside an API request (lib/use-cases/deliver-invitation-email.ts). */
export const invitationEmailDelivery = {
  /** A brief table outage after SES took the email should not leave it unrecorded; within the API's time. */
  recordRetryMs: 5_000,
} as const;

/** The Idempotency-Key claim: longer than any API function's timeout, so only a crashed request's claim is taken over. */
export const idempotency = {
  leaseMs: 30_000,
  keepSeconds: 24 * 60 * 60,
} as const;

/** The outbox and its sweeper (lib/use-cases/sweep-outbox.ts). */
export const outbox = {
  /** How long an email or ticket request may stay unconfirmed before the sweeper repairs it; also the first backoff. */
  graceSeconds: 120,
  /** Tries per entry before it is set aside as stuck; with the backoff below, about 4 hours. */
  maxAttempts: 8,
  maxDelayMs: 60 * 60 * 1000,
  /** Left in the sweeper's invocation when it stops starting entries (one SQS call can take about 4 s to fail). */
  stopMarginMs: 8_000,
} as const;

/** The uploaded documents' S3 event queue (lib/use-cases/record-document-uploads.ts). */
export const documentUploads = {
  /** Six times the consumer's timeout, as for the ticket queue. */
  visibilityTimeoutSeconds: documentUploadsTimeoutSeconds * 6,
  maxReceiveCount: 5,
  retentionDays: 4,
  deadLetterRetentionDays: 14,
  /** How long an upload form works: the client picks the file first, then the page asks for the form. */
  uploadFormSeconds: 300,
  /** How long an advisor's download link works. */
  downloadLinkSeconds: 300,
} as const;
