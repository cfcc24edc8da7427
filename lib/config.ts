// Settings come from the environment (Lambda env vars in AWS, the local stack sets the same names).
import { outbox } from './settings/timing.ts';

const read = (name: string): string | undefined => {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
};

const required = (name: string): string => {
  const value = read(name);
  if (value === undefined) throw new Error(`missing configuration ${name}`);
  return value;
};

export const envNames = {
  table: 'TABLE_NAME',
  ticketQueueUrl: 'TICKET_QUEUE_URL',
  senderEmail: 'SENDER_EMAIL',
  opsEmail: 'OPS_EMAIL',
  portalUrl: 'PORTAL_URL',
  accountKey: 'ACCOUNT_KEY',
  accountKeySecretArn: 'ACCOUNT_KEY_SECRET_ARN',
  accountKeyring: 'ACCOUNT_KEYRING',
  cursorKey: 'CURSOR_KEY',
  cursorKeySecretArn: 'CURSOR_KEY_SECRET_ARN',
  inviteExpiryDays: 'INVITE_EXPIRY_DAYS',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  outboxGraceSeconds: 'OUTBOX_GRACE_SECONDS',
  outboxMaxAttempts: 'OUTBOX_MAX_ATTEMPTS',
  deadLinkLimit: 'DEAD_LINK_LIMIT',
  wrongNumberLimit: 'WRONG_NUMBER_LIMIT',
} as const;

const positive = (name: string, fallback: number): number => {
  const value = Number(read(name) ?? fallback);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

export const config = {
  tableName: () => required(envNames.table),
  ticketQueueUrl: () => required(envNames.ticketQueueUrl),
  senderEmail: () => required(envNames.senderEmail),
  opsEmail: () => required(envNames.opsEmail),
  portalUrl: () => required(envNames.portalUrl).replace(/\/+$/, ''),
  /** Hex HMAC key, set directly in the local stack. */
  accountKey: () => read(envNames.accountKey),
  /** JSON {current:{id,key}, previous?:{id,key}} (hex keys) during a key rotation; wins over ACCOUNT_KEY. */
  accountKeyring: () => read(envNames.accountKeyring),
  /** Secrets Manager ARN holding the HMAC key, set in AWS. */
  accountKeySecretArn: () => read(envNames.accountKeySecretArn),
  /** Hex HMAC key that signs list cursors, set directly in the local stack. */
  cursorKey: () => read(envNames.cursorKey),
  /** Secrets Manager ARN holding the cursor key, set in AWS. */
  cursorKeySecretArn: () => read(envNames.cursorKeySecretArn),
  sesConfigurationSet: () => read(envNames.sesConfigurationSet),
  /** How long an email or ticket request may stay unconfirmed before the sweeper repairs it. */
  outboxGraceMs: (): number => {
    const seconds = Number(read(envNames.outboxGraceSeconds) ?? outbox.graceSeconds);
    return (Number.isFinite(seconds) && seconds > 0 ? seconds : outbox.graceSeconds) * 1000;
  },
  /**
   * The sweeper's tries per outbox entry before it is set aside as stuck, and its backoff: from the grace
   * period, doubling, capped at an hour, with jitter. With the defaults an entry is given up on after about 4 hours.
   */
  outboxRetry: (): { maxAttempts: number; firstDelayMs: number; maxDelayMs: number } => ({ maxAttempts: positive(envNames.outboxMaxAttempts, outbox.maxAttempts), firstDelayMs: config.outboxGraceMs(), maxDelayMs: outbox.maxDelayMs }),
  /** Dead links per source per 10 minutes, and wrong account numbers per source per hour, before 429. */
  throttleLimits: () => ({
    deadLinks: positive(envNames.deadLinkLimit, 20),
    wrongNumbers: positive(envNames.wrongNumberLimit, 20),
  }),
  inviteExpiryDays: (): number => {
    const days = Number(read(envNames.inviteExpiryDays) ?? 7);
    return Number.isInteger(days) && days >= 1 && days <= 30 ? days : 7;
  },
};
