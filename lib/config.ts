// Settings come from the environment (Lambda env vars in AWS, the local stack sets the same names). Each is
// read through its zod/mini schema when asked for, so a test or a key rotation that changes one applies at once.
// Each is its own export, its schema built behind `pure` (lib/schemas/common.ts), so a function bundles only the
// settings it reads: one object of them all kept every schema in every function (2-11 KB, npm run bench -- --sizes).
// Callers import the module as a namespace (`import * as config`), which esbuild tree-shakes as it does named imports.
import * as z from 'zod/mini';
import { pure } from './schemas/common.ts';
import { outbox } from './settings/timing.ts';

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
  /** Where lifecycle events go: the EventBridge bus's name in AWS, an SNS topic's ARN on the local stack. */
  eventBusName: 'EVENT_BUS_NAME',
  eventTopicArn: 'EVENT_TOPIC_ARN',
  reminderDaysBefore: 'REMINDER_DAYS_BEFORE',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  /** SES's maximum send rate (emails per second) a batch of invitations keeps to; an override no need grants. */
  sesMaxSendRate: 'SES_MAX_SEND_RATE',
  outboxGraceSeconds: 'OUTBOX_GRACE_SECONDS',
  outboxMaxAttempts: 'OUTBOX_MAX_ATTEMPTS',
  deadLinkLimit: 'DEAD_LINK_LIMIT',
  wrongNumberLimit: 'WRONG_NUMBER_LIMIT',
  signInRequestLimit: 'SIGN_IN_REQUEST_LIMIT',
  /** The bucket clients' documents are uploaded to (lib/adapters/s3-documents.ts). */
  documentBucket: 'DOCUMENT_BUCKET',
  /** Days a document is kept after its upload: the bucket's lifecycle rule, as the API shows it (file.retainUntil). */
  documentRetentionDays: 'DOCUMENT_RETENTION_DAYS',
  /** The ops console's hosted sign-in: the user pool domain's base URL, the console's app client, the pool's issuer. */
  consoleAuthDomain: 'OPS_CONSOLE_AUTH_DOMAIN',
  consoleClientId: 'OPS_CONSOLE_CLIENT_ID',
  consoleIssuer: 'OPS_CONSOLE_ISSUER',
  /** Where the ops console sends a signed-out browser: the hosted sign-in's page unless the local stack names its own. */
  consoleSignInPath: 'OPS_CONSOLE_SIGN_IN_PATH',
} as const;

/** Unset and empty mean the same: not configured. */
const optionalSetting = /* @__PURE__ */ pure(() => z.pipe(z.optional(z.string()), z.transform((value) => (value === '' ? undefined : value))));
const requiredSetting = /* @__PURE__ */ pure(() => z.string().check(z.minLength(1)));
/** The portal's base URL, without the trailing slash a link would otherwise double. */
const baseUrlSetting = /* @__PURE__ */ pure(() => z.string().check(z.minLength(1), z.overwrite((url) => url.replace(/\/+$/, ''))));

// A number is read as Number() reads it; unset, empty, not a number or out of range is the fallback, never an error.
// Not z.catch: its constant form reaches zod's util namespace as a whole (`core.util.constantCatch`), which no
// bundler can tree-shake: +9.6 KB in every function (npm run bench -- --sizes).
const orFallback = <S extends z.ZodMiniType>(schema: S, fallback: z.output<S>) =>
  z.transform((value: unknown) => {
    const result = z.safeParse(schema, value);
    return result.success ? result.data : fallback;
  });
// Number() then z.number(), as z.coerce.number() does: z.coerce is a namespace of every coercion zod has, and bundles
// them all (+1.5 KB in every function).
const asNumber = /* @__PURE__ */ pure(() => z.transform((value: unknown) => Number(value)));
const positiveNumberSetting = (fallback: number) => orFallback(z.pipe(asNumber, z.number().check(z.positive())), fallback);
const countSetting = (fallback: number, max = Number.MAX_VALUE) =>
  orFallback(z.pipe(asNumber, z.number().check(z.refine(Number.isInteger), z.gte(1), z.lte(max))), fallback);

type EnvSource = (name: string) => string | undefined;
let envSource: EnvSource = (name) => process.env[name];

/**
 * Where settings are read from: process.env, as in Lambda, unless the local stack (infra/local/handlers.ts), which
 * runs every function in one process, narrows each handler to the variables its needs give it in AWS.
 */
export const readSettingsFrom = (source: EnvSource): void => {
  envSource = source;
};

/**
 * The named variable as its schema reads it; only a required one can fail. Readers name it as a literal, not as
 * `envNames.x`, so a function's bundle leaves the whole map out; the type still holds each name to the map.
 */
const setting = <S extends z.ZodMiniType>(name: (typeof envNames)[keyof typeof envNames], schema: S): z.output<S> => {
  const result = z.safeParse(schema, envSource(name));
  if (!result.success) throw new Error(`missing configuration ${name}`);
  return result.data;
};

const inviteExpiryDaysSetting = /* @__PURE__ */ pure(() => countSetting(7, 30));
// 0 is a value here (reminders off), so an empty variable must read as unset, not as Number('') = 0.
const reminderDaysBeforeSetting = /* @__PURE__ */ pure(() =>
  orFallback(
    z.pipe(z.transform((value: unknown) => (value === '' ? Number.NaN : Number(value))), z.number().check(z.refine(Number.isInteger), z.gte(0), z.lte(29))),
    2,
  ),
);
const outboxGraceSecondsSetting = /* @__PURE__ */ pure(() => positiveNumberSetting(outbox.graceSeconds));
const outboxMaxAttemptsSetting = /* @__PURE__ */ pure(() => countSetting(outbox.maxAttempts));
const deadLinkLimitSetting = /* @__PURE__ */ pure(() => countSetting(20));
const wrongNumberLimitSetting = /* @__PURE__ */ pure(() => countSetting(20));
const signInRequestLimitSetting = /* @__PURE__ */ pure(() => countSetting(20));
/** The CDK stack's default too (infra/cdk/settings.ts), which sets the variable to what its lifecycle rule says. */
export const defaultDocumentRetentionDays = 365;
const documentRetentionDaysSetting = /* @__PURE__ */ pure(() => countSetting(defaultDocumentRetentionDays, 3650));
/** SES's own default once an account leaves the sandbox. */
const sesMaxSendRateSetting = /* @__PURE__ */ pure(() => positiveNumberSetting(14));
const consoleUrlSetting = /* @__PURE__ */ pure(() => z.url({ protocol: /^https?$/ }).check(z.overwrite((url) => url.replace(/\/+$/, ''))));
const consoleSignInPathSetting = /* @__PURE__ */ pure(() =>
  orFallback(z.string().check(z.regex(/^\/ops\/console\/[a-z-]{1,40}$/)), '/ops/console/sign-in'),
);

export const tableName = () => setting('TABLE_NAME', requiredSetting);
export const ticketQueueUrl = () => setting('TICKET_QUEUE_URL', requiredSetting);
export const senderEmail = () => setting('SENDER_EMAIL', requiredSetting);
export const opsEmail = () => setting('OPS_EMAIL', requiredSetting);
export const portalUrl = () => setting('PORTAL_URL', baseUrlSetting);
/** Hex HMAC key, set directly in the local stack. */
export const accountKey = () => setting('ACCOUNT_KEY', optionalSetting);
/** JSON {current:{id,key}, previous?:{id,key}} (hex keys) during a key rotation; wins over ACCOUNT_KEY. */
export const accountKeyring = () => setting('ACCOUNT_KEYRING', optionalSetting);
/** Secrets Manager ARN holding the HMAC key, set in AWS. */
export const accountKeySecretArn = () => setting('ACCOUNT_KEY_SECRET_ARN', optionalSetting);
/** Hex HMAC key that signs list cursors, set directly in the local stack. */
export const cursorKey = () => setting('CURSOR_KEY', optionalSetting);
/** Secrets Manager ARN holding the cursor key, set in AWS. */
export const cursorKeySecretArn = () => setting('CURSOR_KEY_SECRET_ARN', optionalSetting);
export const sesConfigurationSet = () => setting('SES_CONFIGURATION_SET', optionalSetting);
/** Emails per second a batch of invitations sends at most (lib/pacer.ts), per running function. */
export const sesMaxSendRate = (): number => setting('SES_MAX_SEND_RATE', sesMaxSendRateSetting);
/** How long an email or ticket request may stay unconfirmed before the sweeper repairs it. */
export const outboxGraceMs = (): number => setting('OUTBOX_GRACE_SECONDS', outboxGraceSecondsSetting) * 1000;
/**
 * The sweeper's tries per outbox entry before it is set aside as stuck, and its backoff: from the grace
 * period, doubling, capped at an hour, with jitter. With the defaults an entry is given up on after about 4 hours.
 */
export const outboxRetry = (): { maxAttempts: number; firstDelayMs: number; maxDelayMs: number } => ({
  maxAttempts: setting('OUTBOX_MAX_ATTEMPTS', outboxMaxAttemptsSetting),
  firstDelayMs: outboxGraceMs(),
  maxDelayMs: outbox.maxDelayMs,
});
/** Dead links per source per 10 minutes, and wrong account numbers per source per hour, before 429. */
export const throttleLimits = () => ({
  deadLinks: setting('DEAD_LINK_LIMIT', deadLinkLimitSetting),
  wrongNumbers: setting('WRONG_NUMBER_LIMIT', wrongNumberLimitSetting),
});
/** Portal sign-in links one source may ask for per 10 minutes; past it none is sent, and the answer is the same. */
export const signInRequestLimit = (): number => setting('SIGN_IN_REQUEST_LIMIT', signInRequestLimitSetting);
export const documentBucket = () => setting('DOCUMENT_BUCKET', requiredSetting);
export const documentRetentionDays = (): number => setting('DOCUMENT_RETENTION_DAYS', documentRetentionDaysSetting);
export const inviteExpiryDays = (): number => setting('INVITE_EXPIRY_DAYS', inviteExpiryDaysSetting);
export const eventBusName = () => setting('EVENT_BUS_NAME', optionalSetting);
export const eventTopicArn = () => setting('EVENT_TOPIC_ARN', requiredSetting);
/** Days before a link's expiry its client is reminded, once (0-29, default 2; 0: no reminders). */
export const reminderDaysBefore = (): number => setting('REMINDER_DAYS_BEFORE', reminderDaysBeforeSetting);
/** The ops console's hosted sign-in (Cognito), named by its app client; absent on the local stack. */
export const consoleHostedSignIn = (): { domain: string; clientId: string; issuer: string } | undefined => {
  const clientId = setting('OPS_CONSOLE_CLIENT_ID', optionalSetting);
  if (clientId === undefined) return undefined;
  return { domain: setting('OPS_CONSOLE_AUTH_DOMAIN', consoleUrlSetting), clientId, issuer: setting('OPS_CONSOLE_ISSUER', consoleUrlSetting) };
};
export const consoleSignInPath = (): string => setting('OPS_CONSOLE_SIGN_IN_PATH', consoleSignInPathSetting);
