// After the run: reads what the system really holds (table, mail store, queues) and checks it against
// every answer the API gave. Pure `reconcile` so a test can feed it a lost record or a doubled email.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import { localCredentials, localRegion } from '../../infra/local/provision.ts';
import { outboxPartition, stuckOutboxPartition } from '../../lib/adapters/dynamodb/keys.ts';
import type { LocalStack } from '../../infra/local/stack.ts';
import type { LedgerEntry } from './mix.ts';

export interface StoredMail {
  messageId?: string;
  subject: string;
  destination: { to: string[] };
}

export interface Observed {
  ledger: LedgerEntry[];
  /** Every item of the table, as scanned. */
  items: Record<string, any>[];
  mails: StoredMail[];
  queue: { messages: number; deadLetters: number };
}

export interface Check {
  name: string;
  count: number;
  /** Must-be-zero checks fail the run; the others explain the numbers. */
  mustBeZero: boolean;
  examples: string[];
}

const groupBy = <T>(items: T[], key: (item: T) => string) => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
};

/** Mail the system sends, told apart by subject (lib/email/messages.ts). */
const mailKind = (subject: string): 'invitation' | 'fresh_link' | 'ops' | 'other' => {
  if (subject.startsWith('Your client portal invitation')) return 'invitation';
  if (subject.startsWith("You're verified")) return 'fresh_link';
  if (subject.startsWith('Verification needed: ticket ')) return 'ops';
  return 'other';
};

export const reconcile = ({ ledger, items, mails, queue }: Observed): Check[] => {
  const checks = new Map<string, Check>();
  const flag = (name: string, mustBeZero: boolean, example?: string, by = 1) => {
    const check = checks.get(name) ?? { name, count: 0, mustBeZero, examples: [] };
    check.count += by;
    if (example && check.examples.length < 3) check.examples.push(example);
    checks.set(name, check);
  };
  // Every check appears in the report, zero or not.
  for (const name of [
    'lost records', 'duplicate records', 'missing emails', 'duplicate emails', 'emails for nothing',
    'missing tickets', 'duplicate tickets', 'unsettled work',
  ]) flag(name, true, undefined, 0);

  const households = items.filter((i) => i.entity === 'household');
  const invitations = items.filter((i) => i.entity === 'invitation');
  const tickets = items.filter((i) => i.entity === 'ticket');
  const householdIds = new Set(households.map((h) => h.householdId as string));
  const invitationsById = new Map(invitations.map((i) => [i.invitationId as string, i]));
  const ticketsById = new Map(tickets.map((t) => [t.ticketId as string, t]));
  const householdsByName = groupBy(households, (h) => h.name);
  const invitationsByEmail = groupBy(invitations, (i) => String(i.email).toLowerCase());

  const mailCount = { invitation: new Map<string, number>(), fresh_link: new Map<string, number>(), ops: new Map<string, number>() };
  for (const mail of mails) {
    const kind = mailKind(mail.subject);
    if (kind === 'other') continue;
    // Ops mail is counted per ticket (its subject names it), client mail per address (one per invitation here).
    const keys = kind === 'ops' ? [mail.subject.slice('Verification needed: ticket '.length).trim()] : mail.destination.to.map((to) => to.toLowerCase());
    for (const key of keys) mailCount[kind].set(key, (mailCount[kind].get(key) ?? 0) + 1);
  }

  for (const { key, intent, answers } of ledger) {
    if (intent.op === 'createHousehold') {
      const ids = new Set(answers.filter((a) => a.status === 201 && a.id).map((a) => a.id!));
      for (const id of ids) if (!householdIds.has(id)) flag('lost records', true, `household ${id} (key ${key}) answered 201, not in table`);
      const doubles = Math.max(ids.size, householdsByName.get(intent.name)?.length ?? 0) - 1;
      if (doubles > 0) flag('duplicate records', true, `${doubles + 1} households for key ${key}`, doubles);
      if (ids.size === 0 && householdsByName.has(intent.name)) flag('stored without a 201 (retry gave up)', false, `household for key ${key}`);
    }
    if (intent.op === 'invite') {
      const ids = new Set(answers.filter((a) => (a.status === 201 || a.code === 'email_send_failed') && a.id).map((a) => a.id!));
      for (const id of ids) if (!invitationsById.has(id)) flag('lost records', true, `invitation ${id} (key ${key}) answered, not in table`);
      const stored = invitationsByEmail.get(intent.email) ?? [];
      const doubles = Math.max(ids.size, stored.length) - 1;
      if (doubles > 0) flag('duplicate records', true, `${doubles + 1} invitations for key ${key}`, doubles);
      const sent = mailCount.invitation.get(intent.email) ?? 0;
      const answered201 = answers.some((a) => a.status === 201);
      const answered502 = answers.some((a) => a.code === 'email_send_failed');
      if (sent > 1) flag('duplicate emails', true, `${sent} invitation emails to ${intent.email}`, sent - 1);
      if (answered201 && sent === 0) flag('missing emails', true, `no invitation email to ${intent.email} (answered 201)`);
      if (stored.length === 0 && sent > 0) flag('emails for nothing', true, `invitation email to ${intent.email}, no invitation stored`);
      if (!answered201 && answered502) flag(sent === 0 ? 'send_failed, answered 502 (no email expected)' : 'answered 502 yet the email went out', false);
      if (!answered201 && !answered502 && stored.length > 0) flag('stored without a 201 (retry gave up)', false, `invitation for key ${key}`);
    }
    if (intent.op === 'approve') {
      const ok = answers.find((a) => a.status === 200);
      const ticket = ticketsById.get(intent.ticketId);
      if (ok && ticket?.status !== 'approved') flag('lost records', true, `approval of ${intent.ticketId} answered 200, ticket is ${ticket?.status ?? 'missing'}`);
      if (ok?.notification === 'send_failed') flag('approved, fresh-link email send_failed', false);
      const fresh = ticket ? (mailCount.fresh_link.get(String(ticket.client.email).toLowerCase()) ?? 0) : 0;
      if (ok?.notification === 'sent' && fresh === 0) flag('missing emails', true, `no fresh-link email for ticket ${intent.ticketId}`);
    }
    if (intent.op === 'verify' && intent.right && answers.some((a) => a.status === 200)) {
      const status = invitationsById.get(intent.invitationId)?.verification?.status;
      if (status !== 'verified') flag('lost records', true, `verification of ${intent.invitationId} answered 200, stored ${status}`);
    }
  }

  // At most one live invitation per household and email, whatever the keys said.
  for (const [pair, live] of groupBy(invitations.filter((i) => i.state === 'live'), (i) => `${i.householdId} ${String(i.email).toLowerCase()}`)) {
    if (live.length > 1) flag('duplicate records', true, `${live.length} live invitations for ${pair}`, live.length - 1);
  }

  // Every prospect invitation has exactly one ticket; every ticket has told ops exactly once.
  for (const invitation of invitations.filter((i) => i.verification?.method === 'manual')) {
    if (!ticketsById.has(invitation.verification.ticketId)) flag('missing tickets', true, `invitation ${invitation.invitationId}`);
  }
  for (const [invitationId, group] of groupBy(tickets, (t) => t.invitationId)) {
    if (group.length > 1) flag('duplicate tickets', true, `${group.length} tickets for invitation ${invitationId}`, group.length - 1);
  }
  for (const ticket of tickets) {
    const told = mailCount.ops.get(ticket.ticketId) ?? 0;
    if (told > 1) flag('duplicate emails', true, `${told} ops emails for ticket ${ticket.ticketId}`, told - 1);
    // A ticket decided before its email could go out no longer needs one: ops already have it.
    if (told === 0 && ticket.status === 'open') flag('missing emails', true, `no ops email for open ticket ${ticket.ticketId}`);
    if (told === 0 && ticket.status !== 'open') flag('decided before ops were emailed', false);
    const fresh = mailCount.fresh_link.get(String(ticket.client.email).toLowerCase()) ?? 0;
    if (fresh > 1) flag('duplicate emails', true, `${fresh} fresh-link emails for ticket ${ticket.ticketId}`, fresh - 1);
    if (fresh > 0 && ticket.status !== 'approved') flag('emails for nothing', true, `fresh-link email for ${ticket.status} ticket ${ticket.ticketId}`);
  }
  for (const ticketId of mailCount.ops.keys()) {
    if (!ticketsById.has(ticketId)) flag('emails for nothing', true, `ops email for unknown ticket ${ticketId}`);
  }

  // Nothing half done: no outbox entry (due or set aside as stuck), no pending email, no message still queued. The
  // index's other partitions are schedules of things due later, such as each link's expiry: not work left undone.
  const owed = new Set([outboxPartition, stuckOutboxPartition]);
  const outbox = items.filter((i) => owed.has(i.gsi3pk) || (i.entity === 'invitation' && i.delivery === 'pending'));
  if (outbox.length > 0) flag('unsettled work', true, `${outbox.length} outbox entries, e.g. ${outbox[0]?.sk}`, outbox.length);
  if (queue.messages > 0) flag('unsettled work', true, `${queue.messages} messages still on the ticket queue`, queue.messages);
  if (queue.deadLetters > 0) flag('dead letters (redrive with npm run redrive-dlq)', false, undefined, queue.deadLetters);
  flag('households stored', false, undefined, households.length);
  flag('invitations stored', false, undefined, invitations.length);
  flag('tickets stored', false, undefined, tickets.length);
  flag('emails stored', false, undefined, mails.length);
  return [...checks.values()];
};

/** Reads everything reconciliation needs straight from the local services. */
export const observe = async (stack: LocalStack, ledger: LedgerEntry[]): Promise<Observed> => {
  const client = new DynamoDBClient({ endpoint: stack.dynamoUrl, region: localRegion, credentials: localCredentials });
  const documents = DynamoDBDocumentClient.from(client);
  const items: Record<string, any>[] = [];
  for await (const page of paginateScan({ client: documents }, { TableName: stack.tableName, ConsistentRead: true })) items.push(...(page.Items ?? []));
  client.destroy();
  const response = await fetch(`${stack.mailUrl}/store`);
  const { emails } = (await response.json()) as { emails: StoredMail[] };
  return { ledger, items, mails: emails, queue: await queueDepth(stack) };
};

const queueDepth = async (stack: LocalStack) => {
  const sqs = new SQSClient({ endpoint: stack.sqsUrl, region: localRegion, credentials: localCredentials, useQueueUrlAsEndpoint: false });
  const depth = async (queueUrl: string) => {
    const { Attributes: a } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return Number(a?.ApproximateNumberOfMessages ?? 0) + Number(a?.ApproximateNumberOfMessagesNotVisible ?? 0);
  };
  const result = { messages: await depth(stack.queues.queueUrl), deadLetters: await depth(stack.queues.deadLetterQueueUrl) };
  sqs.destroy();
  return result;
};

/**
 * Waits until the sweeper and the queue have finished what the run started: nothing left in the outbox
 * or on the queue, and the ticket and mail counts unchanged for a few polls; or until the deadline.
 */
export const settle = async (stack: LocalStack, deadlineMs: number): Promise<{ settled: boolean; seconds: number }> => {
  const started = performance.now();
  const client = new DynamoDBClient({ endpoint: stack.dynamoUrl, region: localRegion, credentials: localCredentials });
  const documents = DynamoDBDocumentClient.from(client);
  let last = '';
  let stableFor = 0;
  try {
    while (Date.now() < deadlineMs) {
      try {
        const outbox = await documents.send(
          new QueryCommand({ TableName: stack.tableName, IndexName: 'outbox', KeyConditionExpression: 'gsi3pk = :pk', ExpressionAttributeValues: { ':pk': 'OUTBOX' }, Select: 'COUNT' }),
        );
        const queue = await queueDepth(stack);
        const mails = ((await (await fetch(`${stack.mailUrl}/store`)).json()) as { emails: unknown[] }).emails.length;
        const now = JSON.stringify([outbox.Count, queue.messages, mails]);
        stableFor = outbox.Count === 0 && queue.messages === 0 && now === last ? stableFor + 1 : 0;
        last = now;
        if (stableFor >= 3) return { settled: true, seconds: (performance.now() - started) / 1000 };
      } catch {
        // A service still restarting: try again next poll.
      }
      await sleep(1_000);
    }
    return { settled: false, seconds: (performance.now() - started) / 1000 };
  } finally {
    client.destroy();
  }
};
