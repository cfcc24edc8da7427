// Which environment variables a function gets, from its needs (infra/routes.ts): the CDK stack sets these names and
// no others on each Lambda, and the local stack lets each handler read only these, so a need left out of the route
// table fails locally as it would in AWS.
import { envNames } from '../lib/config.ts';
import type { FunctionName, FunctionNeeds, RunnableFunctionName } from './routes.ts';

/** AWS names a key by its Secrets Manager ARN; the local stack sets the key itself. */
export type Place = 'cloud' | 'local';

type EnvName = (typeof envNames)[keyof typeof envNames];
type Names = Record<Place, readonly EnvName[]>;

const same = (...names: EnvName[]): Names => ({ cloud: names, local: names });

/** The functions that hand out and take back cursors: every route with a list query. */
export const listFunctions = [
  'list-households',
  'list-invitations',
  'list-household-events',
  'list-tickets',
  'ops-console',
] as const satisfies readonly FunctionName[];

/** What each need puts in the environment (`linkWrites` only narrows `table`'s grant). */
const byNeed = {
  table: same(envNames.table),
  ticketQueue: same(envNames.ticketQueueUrl),
  email: same(envNames.senderEmail, envNames.opsEmail, envNames.sesConfigurationSet),
  // Locally the keyring, once `npm run rotate-account-key` has made one, wins over the plain key.
  accountKey: { cloud: [envNames.accountKeySecretArn], local: [envNames.accountKey, envNames.accountKeyring] },
  // The local stack has no user pool: its console signs in through its own page (infra/routes.ts localOnlyRoutes).
  consoleAuth: { cloud: [envNames.consoleAuthDomain, envNames.consoleClientId, envNames.consoleIssuer], local: [] },
  // EventBridge in AWS, an SNS topic (fauxqs) on the local stack: lib/adapters/event-bus.ts goes by which is set.
  eventBus: { cloud: [envNames.eventBusName], local: [envNames.eventTopicArn] },
  documents: same(envNames.documentBucket),
} satisfies Record<Exclude<keyof FunctionNeeds, 'linkWrites'>, Names>;

/**
 * Not secret, and read by whatever renders a link or an expiry (or files a link's reminder, or shows how long a
 * document is kept), so every function has them.
 */
const everyFunction = same(envNames.portalUrl, envNames.inviteExpiryDays, envNames.reminderDaysBefore, envNames.documentRetentionDays);

const listCursors: Names = { cloud: [envNames.cursorKeySecretArn], local: [envNames.cursorKey] };

const needNames = Object.keys(byNeed) as (keyof typeof byNeed)[];

/** The variables `name`, with these needs, is given where it runs. */
export const envFor = (name: RunnableFunctionName, needs: FunctionNeeds, place: Place): EnvName[] => [
  ...everyFunction[place],
  ...needNames.flatMap((need) => (needs[need] ? byNeed[need][place] : [])),
  ...((listFunctions as readonly string[]).includes(name) ? listCursors[place] : []),
];

/**
 * Every variable some need or the list cursors give. Any other (a timing or throttle override such as
 * OUTBOX_GRACE_SECONDS) is never set in AWS, where each function reads its default, so every function may read it.
 */
export const grantedEnv: ReadonlySet<string> = new Set(
  (['cloud', 'local'] as const).flatMap((place) => [...needNames.flatMap((need) => byNeed[need][place]), ...listCursors[place]]),
);
