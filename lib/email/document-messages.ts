import type { OutgoingEmail } from '../domain/ports.ts';
import { layout, oneLine } from './escape.ts';

/** Tells the requesting advisor that the client's every required document is received and scanned clean. */
export const documentsReceivedEmail = (household: { householdId: string; name: string }, received: number, to: string): OutgoingEmail => ({
  to,
  subject: oneLine(`Documents received: ${household.name}`),
  ...layout([
    `Every required document you asked ${household.name} for is uploaded and scanned clean (${received} in all).`,
    `Household: ${household.name} (${household.householdId})`,
    'Download them from the household’s document requests.',
  ]),
});
