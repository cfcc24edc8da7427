import { inject } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';

export interface StoredMail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  at: number;
}

/** Every mail the local SES has accepted, oldest first. */
export const allMail = async (mailUrl = inject('mailUrl')): Promise<StoredMail[]> => {
  const response = await fetch(`${mailUrl}/store`);
  return ((await response.json()) as { emails: StoredMail[] }).emails;
};

export const mailTo = async (address: string, mailUrl?: string) =>
  (await allMail(mailUrl)).filter((mail) => mail.destination.to.includes(address));

/** Waits (bounded) until `count` mails reached `address`; returns them all. */
export const waitForMail = async (address: string, count = 1, mailUrl?: string, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await mailTo(address, mailUrl);
    if (found.length >= count || Date.now() > deadline) return found;
    await sleep(100);
  }
};

/** The invite link in a mail, and the token at its end. */
export const linkIn = (mail: StoredMail | undefined): { url: string; token: string } => {
  const match = /https?:\/\/[^\s"<]+\/invite\/([A-Za-z0-9_-]{43})/.exec(mail?.body.text ?? '');
  if (!match?.[1]) throw new Error(`no invite link in mail: ${mail?.subject}`);
  return { url: match[0], token: match[1] };
};

export const uniqueEmail = (label: string) => `${label}.${Math.random().toString(36).slice(2, 10)}@client.test`;

/** Polls (bounded) until `check` returns a value. */
export const eventually = async <T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(100);
  }
};
