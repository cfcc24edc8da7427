// Which invitation an email is about, carried as SES message tags, so that SES's bounce, complaint and delivery
// events name it (mail.tags) without any lookup: the simulator addresses, for one, are shared by every invitation.
// Ids only, no personal data. SES allows only letters, digits, _ and - in a tag value: ids are UUIDs, and a firm id
// (which may hold a dot) goes base64url.
import type { InvitationKey } from '../domain/invitation-change.ts';

export interface MessageTag {
  Name: string;
  Value: string;
}

export const invitationTags = (key: InvitationKey): MessageTag[] => [
  { Name: 'firm', Value: Buffer.from(key.firmId, 'utf8').toString('base64url') },
  { Name: 'household', Value: key.householdId },
  { Name: 'invitation', Value: key.invitationId },
];

/**
 * The invitation an SES event's tags name (SES gives each tag as a list of values), decoded but not yet checked;
 * undefined when the email carried none of them (the ops and advisor emails).
 */
export const taggedInvitation = (tags: Readonly<Record<string, readonly string[]>>): Record<keyof InvitationKey, string | undefined> | undefined => {
  const [firm] = tags.firm ?? [];
  const [householdId] = tags.household ?? [];
  const [invitationId] = tags.invitation ?? [];
  if (firm === undefined && householdId === undefined && invitationId === undefined) return undefined;
  return { firmId: firm === undefined ? undefined : Buffer.from(firm, 'base64url').toString('utf8'), householdId, invitationId };
};
