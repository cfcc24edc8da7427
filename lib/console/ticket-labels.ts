// How the console words a ticket's fields: ages people read at a glance, labels instead of enum values.
import type { TicketReason, TicketStatus } from '../schemas/invitations.ts';

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

/** "just now", "12 min", "3 h 5 min", "2 d 4 h": how long the client has been waiting. */
export const ageOf = (since: string, now: Date): string => {
  const minutes = Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 60_000));
  if (!Number.isFinite(minutes)) return '';
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
};

export const assigneeLabel = (assignee: string | undefined, me: string): string =>
  assignee === undefined ? 'Unassigned' : assignee === me ? 'You' : assignee;

/** A time as ops across time zones read it alike: UTC, to the minute. */
export const when = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
