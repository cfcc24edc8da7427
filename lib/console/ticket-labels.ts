// How the console words a ticket's fields: ages people read at a glance, labels instead of enum values.
import type { Evidence, EvidenceMethod, TicketReason, TicketStatus } from '../schemas/invitations.ts';
import type { TicketView } from '../schemas/views.ts';

export const statusLabels: Record<TicketStatus, string> = {
  open: 'Open',
  approved: 'Approved',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
};

export const reasonLabels: Record<TicketReason, string> = {
  no_account: 'Prospect without accounts',
  verification_locked: 'Self-verification locked',
};

export const methodLabels: Record<EvidenceMethod, string> = {
  phone: 'Phone call',
  video: 'Video call',
  id_document: 'ID document',
  in_person: 'In person',
  other: 'Other',
};

export const actionLabels: Record<NonNullable<TicketView['history']>[number]['action'], string> = {
  raised: 'Raised',
  claimed: 'Claimed',
  released: 'Released',
  decided: 'Decided',
  cancelled: 'Cancelled',
};

export const describeEvidence = (evidence: Evidence): string =>
  evidence.reference ? `${methodLabels[evidence.method]} (${evidence.reference})` : methodLabels[evidence.method];

/** "just now", "12 min", "3 h 5 min", "2 d 4 h": how long the client has been waiting. */
export const ageOf = (seconds: number): string => {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
};

/** Someone the ticket names (its assignee, who did what): "You" for the signed-in user, so one's own work stands out. */
export const personLabel = (sub: string, me: string): string => (sub === me ? 'You' : sub);

export const assigneeLabel = (assignee: string | undefined, me: string): string => (assignee === undefined ? 'Unassigned' : personLabel(assignee, me));

/** A time as ops across time zones read it alike: UTC, to the minute. */
export const when = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
