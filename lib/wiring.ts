// What each function runs on, granted by the needs it declares in infra/routes.ts. A function names the grants it
// uses, `wire('approve-verification', idempotency, tickets, invitations, mail)`, and the types refuse any grant whose
// need its route-table entry lacks (and, on a link route, a write it does not declare). Each grant is an export of
// its own, so a function's bundle holds only the adapters it names; functions reach adapters through here only.
import type { LinkWrite, RunnableFunctionName, runnableFunctions } from '../infra/routes.ts';
import { hmacAccountHasher } from './adapters/account-hasher.ts';
import { cursorKeySecret } from './adapters/cursor-key-secret.ts';
import { dynamoAccountRestamp } from './adapters/dynamodb/account-restamp.ts';
import { dynamoAttemptCounter } from './adapters/dynamodb/attempt-counter.ts';
import { dynamoConsoleSessions, dynamoSignIns } from './adapters/dynamodb/console-sessions.ts';
import {
  dynamoCompletionNotices,
  dynamoDocumentDownloads,
  dynamoDocumentRequestAdditions,
  dynamoDocumentRequestChanges,
  dynamoDocumentRequestReads,
} from './adapters/dynamodb/document-requests.ts';
import { dynamoAuditTrail } from './adapters/dynamodb/audit-events.ts';
import { dynamoEventOutbox } from './adapters/dynamodb/event-outbox.ts';
import { configuredEventBus } from './adapters/event-bus.ts';
import { signCursorsWith } from './adapters/dynamodb/cursor.ts';
import { dynamoHouseholdDeletion } from './adapters/dynamodb/household-deletion.ts';
import {
  dynamoHouseholdAccounts,
  dynamoHouseholdCreation,
  dynamoHouseholdList,
  dynamoHouseholdReads,
} from './adapters/dynamodb/households.ts';
import { dynamoIdempotency } from './adapters/dynamodb/idempotency.ts';
import {
  dynamoInvitationAcceptances,
  dynamoInvitationChanges,
  dynamoInvitationCreation,
  dynamoInvitationEndings,
  dynamoInvitationList,
  dynamoInvitationLookup,
  dynamoInvitationReissues,
} from './adapters/dynamodb/invitations.ts';
import { dynamoOutbox } from './adapters/dynamodb/outbox.ts';
import { dynamoPortalAccess, dynamoPortalSessions, dynamoSignInLinkIssue, dynamoSignInLinkUses } from './adapters/dynamodb/portal-access.ts';
import {
  dynamoTicketChanges,
  dynamoTicketDecisions,
  dynamoTicketLookup,
  dynamoTicketSla,
  dynamoTicketWorkList,
} from './adapters/dynamodb/tickets.ts';
import { s3DocumentFiles, s3DownloadLinks, s3UploadForms } from './adapters/s3-documents.ts';
import { sesMailer } from './adapters/ses.ts';
import { sqsTicketQueue } from './adapters/sqs.ts';
import { now } from './clock.ts';
import * as config from './config.ts';

/** The needs that grant adapters; `linkWrites` narrows `table`. */
type Need = 'table' | 'ticketQueue' | 'email' | 'accountKey' | 'consoleAuth' | 'documents' | 'eventBus';

/** Dependencies under the names the use cases take them by, and the need that grants them. */
interface Grant<N extends Need = Need, W extends LinkWrite = LinkWrite> {
  readonly need: N;
  /** What it writes on a link route (infra/routes.ts LinkWrite): only a link route that declares it gets it. */
  readonly linkWrite?: W;
  readonly deps: object;
}

type NeedsOf<F extends RunnableFunctionName> = (typeof runnableFunctions)[F]['needs'];
type LinkWritesOf<F extends RunnableFunctionName> = NeedsOf<F> extends { linkWrites: readonly (infer W extends LinkWrite)[] } ? W : LinkWrite;
/** What function F may be granted: its own needs, and on a link route only the writes it declares. */
type GrantFor<F extends RunnableFunctionName> = Grant<Extract<keyof NeedsOf<F>, Need>, LinkWritesOf<F>>;

type Merged<G extends readonly unknown[]> = G extends readonly [{ deps: infer D }, ...infer Rest] ? D & Merged<Rest> : unknown;

// Arrow functions, not `config.x` itself: a property read could have side effects, so esbuild would keep an unused grant.
/** Reading a household, or whether it was ever there (its tombstone counts). */
export const householdReads = { need: 'table', deps: { households: dynamoHouseholdReads } } as const;
export const householdList = { need: 'table', deps: { households: dynamoHouseholdList } } as const;
export const householdCreation = { need: 'table', deps: { households: dynamoHouseholdCreation } } as const;
/** Linking accounts to a household. */
export const householdAccounts = { need: 'table', deps: { households: dynamoHouseholdAccounts } } as const;
/** Deleting households: the tombstone, and the purge of everything they held (domain/household-deletion.ts). */
export const householdDeletion = { need: 'table', deps: { householdDeletion: dynamoHouseholdDeletion } } as const;
// A store comes in parts, each a grant of its own, so a function that only reads one bundles none of its writing code;
// the parts a function names make up one `invitations` (or `tickets`) with just the methods its use cases take.
/** Reading invitations, by id or by a link's token. */
export const invitationReads = { need: 'table', deps: { invitations: dynamoInvitationLookup } } as const;
export const invitationList = { need: 'table', deps: { invitations: dynamoInvitationList } } as const;
export const invitationCreation = { need: 'table', deps: { invitations: dynamoInvitationCreation } } as const;
export const invitationChanges = { need: 'table', deps: { invitations: dynamoInvitationChanges } } as const;
// Functions whose changes are all of one kind take only the parts that kind writes (adapters/dynamodb/invitation-changes.ts).
/** Changes that end an invitation: revoking one, a bounce or complaint, a household's purge. */
export const invitationEndings = { need: 'table', deps: { invitations: dynamoInvitationEndings } } as const;
export const invitationAcceptances = { need: 'table', deps: { invitations: dynamoInvitationAcceptances } } as const;
export const invitationReissues = { need: 'table', deps: { invitations: dynamoInvitationReissues } } as const;
export const ticketReads = { need: 'table', deps: { tickets: dynamoTicketLookup } } as const;
/** The ops desk's queue, and the oldest open ticket the sweeper reports. */
export const ticketWorkList = { need: 'table', deps: { tickets: dynamoTicketWorkList } } as const;
export const ticketSla = { need: 'table', deps: { tickets: dynamoTicketSla } } as const;
/** Claims, releases and new tickets; a decision, which changes the invitation too, needs `ticketDecisions`. */
export const ticketChanges = { need: 'table', deps: { tickets: dynamoTicketChanges } } as const;
export const ticketDecisions = { need: 'table', deps: { tickets: dynamoTicketDecisions } } as const;
/** Households' document checklists, to read; the parts below write them. */
export const documentRequests = {
  need: 'table',
  deps: { documentRequests: dynamoDocumentRequestReads, retentionDays: () => config.documentRetentionDays() },
} as const;
export const documentRequestAdditions = { need: 'table', deps: { documentRequests: dynamoDocumentRequestAdditions } } as const;
export const documentRequestChanges = { need: 'table', deps: { documentRequests: dynamoDocumentRequestChanges } } as const;
/** The audit events of files downloaded. */
export const downloadRecords = { need: 'table', deps: { documentRequests: dynamoDocumentDownloads } } as const;
/** The advisor's notice that a checklist is complete, sent once. */
export const completionNotices = { need: 'table', deps: { documentRequests: dynamoCompletionNotices } } as const;
/** Clients' uploaded files in the document bucket: to check and remove (the presigners are parts of their own). */
export const documentFiles = { need: 'documents', deps: { documentFiles: s3DocumentFiles } } as const;
export const documentUploadForms = { need: 'documents', deps: { documentFiles: s3UploadForms } } as const;
export const documentDownloadLinks = { need: 'documents', deps: { documentFiles: s3DownloadLinks } } as const;
/** Households' audit trails, to read: every store writes its events with its changes. */
export const auditTrail = { need: 'table', deps: { auditTrail: dynamoAuditTrail } } as const;
/**
 * The lifecycle events' bus, and their outbox in the table (which every function with the bus writes already):
 * published right after commit (lib/use-cases/publish-events.ts); the sweeper publishes, after the outbox's grace
 * period, what was left owed.
 */
export const eventBus = {
  need: 'eventBus',
  deps: { eventBus: configuredEventBus, eventOutbox: dynamoEventOutbox, graceMs: () => config.outboxGraceMs() },
} as const;
/** The sweeper's view of the outbox, and how often it retries an entry. */
export const outbox = { need: 'table', deps: { outbox: dynamoOutbox, retry: () => config.outboxRetry() } } as const;
/** The per-source failure counts that throttle link guessing, and their limits. */
export const attempts = {
  need: 'table',
  linkWrite: 'throttle',
  deps: { attempts: dynamoAttemptCounter, limits: () => config.throttleLimits() },
} as const;
/** Idempotency-Key claims (link-scoped on a link route), for httpRoute's `idempotency`. */
export const idempotency = { need: 'table', linkWrite: 'idempotency', deps: { idempotency: dynamoIdempotency } } as const;
/** Moves an account verified under the previous key onto the current one: a write to the household, as verifying is. */
export const restamp = { need: 'table', linkWrite: 'verify', deps: { restamp: dynamoAccountRestamp } } as const;
export const mail = { need: 'email', deps: { mailer: sesMailer, opsEmail: () => config.opsEmail() } } as const;
export const ticketQueue = { need: 'ticketQueue', deps: { ticketQueue: sqsTicketQueue } } as const;
export const accountHasher = { need: 'accountKey', deps: { hasher: hmacAccountHasher } } as const;
/** The ops console's sessions, and where a browser without one is sent to get one. */
export const consoleSessions = { need: 'table', deps: { sessions: dynamoConsoleSessions, signInPath: () => config.consoleSignInPath() } } as const;
/** Sign-ins started through the hosted sign-in, kept until the browser comes back (once). */
export const signIns = { need: 'table', deps: { signIns: dynamoSignIns } } as const;
/** Client portal sessions; on a link route, the one an acceptance starts (part of its `accept` write). */
export const portalSessions = { need: 'table', linkWrite: 'accept', deps: { portalSessions: dynamoPortalSessions } } as const;
/** Which households' portals each client may sign in to. */
export const portalAccess = { need: 'table', deps: { portalAccess: dynamoPortalAccess } } as const;
/** Emailed portal sign-in links, to issue, and how many one source may ask for. */
export const signInLinks = {
  need: 'table',
  deps: { signInLinks: dynamoSignInLinkIssue, signInRequestLimit: () => config.signInRequestLimit() },
} as const;
/** Following a sign-in link: found, then taken once. */
export const signInLinkUses = { need: 'table', deps: { signInLinks: dynamoSignInLinkUses } } as const;
/** Where the console's hosted sign-in lives; undefined on the local stack, which has its own sign-in page. */
export const hostedSignIn = { need: 'consoleAuth', deps: { hosted: () => config.consoleHostedSignIn() } } as const;

/** What every function has: the one clock, and the settings every function is given (infra/function-env.ts). */
const everyFunction = { now, portalUrl: () => config.portalUrl(), expiryDays: () => config.inviteExpiryDays() };

/** Parts of one store, granted apart, are one dependency: settings (functions) and adapters stand alone. */
const join = (earlier: unknown, part: unknown): unknown =>
  typeof earlier === 'object' && earlier !== null && typeof part === 'object' ? { ...earlier, ...part } : part;

/** Function `name`'s dependencies: the grants named, each allowed by its needs, plus what every function has. */
export const wire = <F extends RunnableFunctionName, const G extends readonly GrantFor<F>[]>(
  // Only the types read it: it picks the route-table entry the grants are checked against.
  _name: F,
  ...grants: G
): typeof everyFunction & Merged<G> => {
  const deps: Record<string, unknown> = { ...everyFunction };
  for (const grant of grants) for (const [name, dep] of Object.entries(grant.deps)) deps[name] = join(deps[name], dep);
  return deps as typeof everyFunction & Merged<G>;
};

/** The list functions sign their cursors with the cursor key, which only they are given (infra/function-env.ts). */
export const signListCursors = (): void => signCursorsWith(cursorKeySecret);
