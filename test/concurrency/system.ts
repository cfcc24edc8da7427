// Reads the real system for the invariant checks: the table directly, the queue's counts, the local SES store.
import { createHash } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { call, type Answer, type CallOptions } from '../support/api.ts';
import type { StoredMail } from '../support/mail.ts';

export interface Endpoints {
  apiUrl: string;
  mailUrl: string;
  dynamoUrl: string;
  sqsUrl: string;
  tableName: string;
  queueUrl: string;
}

const local = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

export interface StoredInvitation {
  invitationId: string;
  householdId: string;
  email: string;
  state: 'live' | 'accepted' | 'revoked';
  delivery: 'pending' | 'sent' | 'failed';
  tokenHash: string;
  expiresAt: string;
  verification: { method: string; status: string; ticketId?: string; wrongAttempts: number };
}

export interface StoredTicket {
  ticketId: string;
  invitationId: string;
  householdId: string;
  reason: string;
  status: string;
}

const ticketStatuses = ['open', 'approved', 'rejected', 'cancelled'] as const;

export interface OutboxItem {
  firmId: string;
  kind: string;
  dueAt: string;
  stuck: boolean;
}

export const tokenHashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** Every answer the model gets is checked here: never a 5xx, and an error always carries the JSON envelope. */
export const answerProblem = (what: string, answer: Answer): string | undefined => {
  // SPEC 5: SES not answering in time is 502 email_send_failed, recorded as send_failed and resendable; every other 5xx is a bug.
  const sesDown = answer.status === 502 && (answer.body as { error?: { code?: unknown } } | undefined)?.error?.code === 'email_send_failed';
  if (answer.status >= 500 && !sesDown) return `${what} answered ${answer.status}: ${answer.text.slice(0, 300)}`;
  if (answer.status >= 400) {
    const error = (answer.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    if (typeof error?.code !== 'string' || typeof error.message !== 'string') {
      return `${what} answered ${answer.status} without the JSON error envelope: ${answer.text.slice(0, 300)}`;
    }
  }
  return undefined;
};

export const systemReader = (endpoints: Endpoints) => {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ ...local, endpoint: endpoints.dynamoUrl }));
  const sqs = new SQSClient({ ...local, endpoint: endpoints.sqsUrl, useQueueUrlAsEndpoint: false });
  const TableName = endpoints.tableName;

  const queryAll = async (input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>) => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(new QueryCommand({ ...input, TableName, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  };

  return {
    api: (method: string, path: string, options: CallOptions = {}) => call(method, path, { ...options, baseUrl: endpoints.apiUrl }),

    async invitationsOf(firmId: string, householdId: string): Promise<StoredInvitation[]> {
      const items = await queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `FIRM#${firmId}#HH#${householdId}`, ':prefix': 'INV#' },
      });
      return items as unknown as StoredInvitation[];
    },

    /** Every status's partition of the firm in the byFirm index: the index lists a firm's tickets one status at a time. */
    async ticketsOf(firmId: string): Promise<StoredTicket[]> {
      const byStatus = await Promise.all(
        ticketStatuses.map((status) =>
          queryAll({
            IndexName: 'byFirm',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': `FIRM#${firmId}#TICKETS#${status}` },
          }),
        ),
      );
      return byStatus.flat() as unknown as StoredTicket[];
    },

    /** The invitation a link points at now, or undefined for a dead link. */
    async invitationIdOfToken(token: string): Promise<string | undefined> {
      const result = await documents.send(new GetCommand({ TableName, Key: { pk: `TOKEN#${tokenHashOf(token)}`, sk: 'TOKEN' } }));
      return result.Item?.invitationId as string | undefined;
    },

    async outboxOf(firmId: string): Promise<OutboxItem[]> {
      const items = await queryAll({
        IndexName: 'outbox',
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': 'OUTBOX' },
      });
      return items
        .map((item) => {
          const request = item.request as { firmId?: string } | undefined;
          return {
            firmId: String(request?.firmId ?? item.firmId),
            kind: String(item.entity),
            dueAt: String(item.gsi3sk).split('#')[0] ?? '',
            // A fix may set entries that keep failing aside as stuck (issue #10 item 4): those are visible, not lost.
            stuck: item.stuck === true || item.status === 'stuck' || String(item.gsi3sk).includes('STUCK'),
          };
        })
        .filter((entry) => entry.firmId === firmId);
    },

    async queueDepth(): Promise<number> {
      const result = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: endpoints.queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return Number(result.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(result.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
    },

    /** Mail the local SES accepted since `sinceSeconds` (epoch seconds), oldest first. */
    async mailSince(sinceSeconds: number): Promise<StoredMail[]> {
      const response = await fetch(`${endpoints.mailUrl}/store?since=${Math.floor(sinceSeconds)}`);
      return ((await response.json()) as { emails: StoredMail[] }).emails;
    },

    close() {
      documents.destroy();
      sqs.destroy();
    },
  };
};

export type SystemReader = ReturnType<typeof systemReader>;

/** The token of the newest invite link mailed to `address`, as the client would click it. */
export const newestLinkTo = (mails: StoredMail[], address: string): string | undefined => {
  for (let i = mails.length - 1; i >= 0; i -= 1) {
    const mail = mails[i];
    if (!mail?.destination.to.includes(address)) continue;
    const match = /\/invite\/([A-Za-z0-9_-]{43})/.exec(mail.body.text ?? '');
    if (match?.[1]) return match[1];
  }
  return undefined;
};
