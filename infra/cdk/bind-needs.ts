// Turns a function's `needs` (infra/routes.ts) into its least-privilege grants plus the env vars that name
// what was granted, in one place, so permissions and configuration cannot drift apart.
import { envNames } from '../../lib/config.ts';
import type { FunctionNeeds } from '../routes.ts';
import type { EmailSending } from './email-sending.ts';
import { grantAccountKeyRead, grantLinkTableAccess, grantTableAccess, grantTicketSend } from './grants.ts';
import type { PortalFunction } from './portal-function.ts';
import type { PortalSettings } from './settings.ts';
import type { PortalData } from './stateful-stack.ts';

export interface BindTargets {
  data: PortalData;
  email: EmailSending;
  settings: PortalSettings;
}

export const bindNeeds = (fn: PortalFunction, needs: FunctionNeeds, { data, email, settings }: BindTargets): void => {
  // Not secret and read by whatever renders a link or an expiry, so every function has them.
  fn.addEnvironment(envNames.portalUrl, settings.portalUrl);
  fn.addEnvironment(envNames.inviteExpiryDays, String(settings.inviteExpiryDays));

  if (needs.table) {
    // A link route's grant is narrowed to the items its steps touch; any other function gets its mode whole.
    if (needs.linkWrites) grantLinkTableAccess(fn, data, needs.table === 'read' ? [] : needs.linkWrites);
    else grantTableAccess(fn, data, needs.table);
    fn.addEnvironment(envNames.table, data.table.tableName);
  }

  if (needs.ticketQueue) {
    grantTicketSend(fn, data);
    fn.addEnvironment(envNames.ticketQueueUrl, data.ticketQueue.queueUrl);
  }

  if (needs.email) {
    email.grantSend(fn);
    fn.addEnvironment(envNames.senderEmail, settings.senderEmail);
    fn.addEnvironment(envNames.opsEmail, settings.opsEmail);
    fn.addEnvironment(envNames.sesConfigurationSet, email.configurationSet.configurationSetName);
  }

  if (needs.accountKey) {
    grantAccountKeyRead(fn, data);
    fn.addEnvironment(envNames.accountKeySecretArn, data.accountKeySecret.secretArn);
  }
};
