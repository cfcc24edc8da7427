// Turns a function's `needs` (infra/routes.ts) into its least-privilege grants plus the env vars that name what was
// granted, in one place, so permissions and configuration cannot drift apart. Which variables a function gets is
// infra/function-env.ts, which the local stack reads too; this file only says what each one is in AWS.
import { envNames } from '../../lib/config.ts';
import { envFor, listFunctions } from '../function-env.ts';
import type { FunctionName, FunctionNeeds } from '../routes.ts';
import type { CursorKey } from './cursor-key.ts';
import type { EmailSending } from './email-sending.ts';
import type { OpsConsoleSignIn } from './ops-console-sign-in.ts';
import { grantAccountKeyRead, grantLinkTableAccess, grantTableAccess, grantTicketSend } from './grants.ts';
import { grantEventPublish } from './lifecycle-events.ts';
import { documentBucketName, grantDocumentAccess } from './document-storage.ts';
import type { PortalFunction } from './portal-function.ts';
import type { PortalSettings } from './settings.ts';
import type { PortalData } from './stateful-stack.ts';

export interface BindTargets {
  data: PortalData;
  email: EmailSending;
  cursorKey: CursorKey;
  consoleSignIn: OpsConsoleSignIn;
  settings: PortalSettings;
}

/** Each variable's value in AWS; a function gets the ones infra/function-env.ts names for it. */
const cloudValues = ({ data, email, cursorKey, consoleSignIn, settings }: BindTargets): Partial<Record<string, string>> => ({
  [envNames.portalUrl]: settings.portalUrl,
  [envNames.inviteExpiryDays]: String(settings.inviteExpiryDays),
  [envNames.reminderDaysBefore]: String(settings.reminderDaysBefore),
  [envNames.documentRetentionDays]: String(settings.documentRetentionDays),
  [envNames.table]: data.table.tableName,
  [envNames.eventBusName]: data.events.bus.eventBusName,
  [envNames.documentBucket]: documentBucketName,
  [envNames.ticketQueueUrl]: data.ticketQueue.queueUrl,
  [envNames.senderEmail]: settings.senderEmail,
  [envNames.opsEmail]: settings.opsEmail,
  [envNames.sesConfigurationSet]: email.configurationSet.configurationSetName,
  [envNames.accountKeySecretArn]: data.accountKeySecret.secretArn,
  [envNames.cursorKeySecretArn]: cursorKey.secret.secretArn,
  // Public endpoints and ids, no grant: the console calls the pool's token endpoint and JWKS over HTTPS.
  [envNames.consoleAuthDomain]: consoleSignIn.baseUrl,
  [envNames.consoleClientId]: consoleSignIn.appClient.userPoolClientId,
  [envNames.consoleIssuer]: consoleSignIn.issuer,
});

export const bindNeeds = (fn: PortalFunction, name: FunctionName, needs: FunctionNeeds, targets: BindTargets): void => {
  const { data, email, cursorKey } = targets;
  if (needs.table) {
    // A link route's grant is narrowed to the items its steps touch; any other function gets its mode whole.
    if (needs.linkWrites) grantLinkTableAccess(fn, data, needs.table === 'read' ? [] : needs.linkWrites);
    else grantTableAccess(fn, data, needs.table);
  }
  if (needs.ticketQueue) grantTicketSend(fn, data);
  if (needs.email) email.grantSend(fn);
  if (needs.accountKey) grantAccountKeyRead(fn, data);
  if (needs.eventBus) grantEventPublish(fn, data.events.bus);
  if (needs.documents) grantDocumentAccess(fn, data.dataKey, needs.documents);
  if ((listFunctions as readonly string[]).includes(name)) cursorKey.grantRead(fn);

  const values = cloudValues(targets);
  for (const variable of envFor(name, needs, 'cloud')) {
    const value = values[variable];
    if (value === undefined) throw new Error(`${variable} has no value in AWS (infra/cdk/bind-needs.ts)`);
    fn.addEnvironment(variable, value);
  }
};
