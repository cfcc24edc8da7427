import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentRequest, DocumentRequestStore } from '../../domain/document-request.ts';
import { conflict, notFound } from '../../domain/errors.ts';
import { eventItems } from './audit-events.ts';
import { documents, isConditionFailure, tableCall } from './client.ts';
import { expression } from './expression.ts';
import { queryAll } from './query-all.ts';
import { householdStands } from './household-deletion.ts';
import { documentRequestKey, documentRequestPrefix, documentsCompleteNoticeKey, householdKey } from './keys.ts';
import { inProgress, savedByRequest, savedOnClaim } from './request-records.ts';
import { table, transact } from './transact.ts';

const keyFor = (item: Pick<DocumentRequest, 'firmId' | 'householdId' | 'requestId'>) =>
  documentRequestKey(item.firmId, item.householdId, item.requestId);

const fromItem = (item: Record<string, unknown>): DocumentRequest => {
  const { pk: _pk, sk: _sk, entity: _entity, ...request } = item;
  return request as unknown as DocumentRequest;
};

/**
 * Read after the items committed: a deletion committed before this read has them removed here (its purge may have
 * passed them); one committed after it comes before its own purge, which finds them.
 */
const deletedMeanwhile = async (firmId: string, householdId: string): Promise<boolean> => {
  const found = await tableCall(() => documents.send(new GetCommand({ TableName: table(), Key: householdKey(firmId, householdId), ConsistentRead: true })));
  return found.Item?.status !== 'prospect' && found.Item?.status !== 'client';
};

const addRequests: DocumentRequestStore['add'] = async (items, events, marker) => {
  const puts = Object.fromEntries(
    items.map((item, index) => [
      `item${index}`,
      { Put: { TableName: table(), Item: { ...keyFor(item), entity: 'documentRequest', ...item }, ConditionExpression: 'attribute_not_exists(pk)' } },
    ]),
  );
  const first = items[0];
  // A transaction takes 100 items: a full one (50 items and their events) checks the household after its commit.
  const checked = first !== undefined && items.length + events.length + (marker ? 1 : 0) < 100;
  const outcome = await transact({
    ...puts,
    ...eventItems(events),
    household: checked ? householdStands(first.firmId, first.householdId) : undefined,
    request: marker && first && savedOnClaim(marker, { requestId: first.requestId }),
  });
  if (outcome.ok) {
    if (!checked && first && (await deletedMeanwhile(first.firmId, first.householdId))) {
      await Promise.all(items.map((item) => tableCall(() => documents.send(new DeleteCommand({ TableName: table(), Key: keyFor(item) })))));
      throw notFound('household');
    }
    return;
  }
  // Deleted since it was read: its purge may be past this point already, so nothing is filed under it.
  if (outcome.failed.has('household')) throw notFound('household');
  if (marker === undefined || !outcome.failed.has('request')) throw conflict('document request already exists');
  // An earlier attempt with this Idempotency-Key saved its items and lost the answer: the checklist has them.
  const saved = await savedByRequest(marker, (ids) => documentRequestKey(first!.firmId, first!.householdId, String(ids.requestId)));
  if (!saved) throw inProgress();
};

const getRequest: DocumentRequestStore['get'] = async ({ firmId, householdId, requestId }) => {
  const found = await tableCall(() =>
    documents.send(new GetCommand({ TableName: table(), Key: documentRequestKey(firmId, householdId, requestId) })),
  );
  return found.Item ? fromItem(found.Item) : undefined;
};

const listRequests: DocumentRequestStore['list'] = async (firmId, householdId, consistent = false) => {
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': documentRequestKey(firmId, householdId, '').pk, ':prefix': documentRequestPrefix },
    ConsistentRead: consistent,
  });
  return items.map(fromItem);
};

const applyRequestChange: DocumentRequestStore['apply'] = async (change) => {
  const e = expression();
  const entries = Object.entries(change.set);
  const sets = entries.filter(([, value]) => value !== undefined).map(([field, value]) => `${e.name(field)} = ${e.value(value)}`);
  const removes = entries.filter(([, value]) => value === undefined).map(([field]) => e.name(field));
  const update = {
    TableName: table(),
    Key: keyFor(change.key),
    UpdateExpression: [`SET ${sets.join(', ')}`, ...(removes.length ? [`REMOVE ${removes.join(', ')}`] : [])].join(' '),
    ConditionExpression: `attribute_exists(pk) AND ${e.name('status')} = ${e.value(change.when.status)}`,
    ExpressionAttributeNames: e.names,
    ExpressionAttributeValues: e.values,
  };
  if (change.events?.length) {
    // With its events, in one transaction: the trail says what happened exactly when it did.
    const outcome = await transact({ change: { Update: update }, ...eventItems(change.events) });
    if (outcome.ok) return true;
    if (outcome.failed.has('change')) return false;
    throw conflict('audit event already exists');
  }
  try {
    await tableCall(() => documents.send(new UpdateCommand(update)));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

const recordEvents: DocumentRequestStore['record'] = async (events) => {
  const outcome = await transact(eventItems(events));
  if (!outcome.ok) throw conflict('audit event already exists');
};

const takeCompletionNotice: DocumentRequestStore['takeCompletionNotice'] = async (firmId, householdId, now, leaseMs) => {
  const Key = documentsCompleteNoticeKey(firmId, householdId);
  const at = now.toISOString();
  const attempts = [
    new PutCommand({ TableName: table(), Item: { ...Key, entity: 'documentsNotice', state: 'owed', heldAt: at }, ConditionExpression: 'attribute_not_exists(pk)' }),
    // Owed and its holder silent past the lease (it crashed before sending): this delivery takes it over.
    new UpdateCommand({
      TableName: table(),
      Key,
      UpdateExpression: 'SET heldAt = :at',
      ConditionExpression: '#state = :owed AND heldAt < :stale',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':at': at, ':owed': 'owed', ':stale': new Date(now.getTime() - leaseMs).toISOString() },
    }),
  ];
  for (const command of attempts) {
    try {
      await tableCall(() => documents.send(command as PutCommand));
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  return false;
};

const completionNoticeSent: DocumentRequestStore['completionNoticeSent'] = async (firmId, householdId, at) => {
  await tableCall(() =>
    documents.send(
      new UpdateCommand({
        TableName: table(),
        Key: documentsCompleteNoticeKey(firmId, householdId),
        UpdateExpression: 'SET #state = :sent, sentAt = :at',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':sent': 'sent', ':at': at },
      }),
    ),
  );
};

// The store in parts, granted apart (lib/wiring.ts), so a function bundles only the reads and writes it makes.
export const dynamoDocumentRequestReads: Pick<DocumentRequestStore, 'get' | 'list'> = { get: getRequest, list: listRequests };
export const dynamoDocumentRequestAdditions: Pick<DocumentRequestStore, 'add'> = { add: addRequests };
export const dynamoDocumentRequestChanges: Pick<DocumentRequestStore, 'apply'> = { apply: applyRequestChange };
export const dynamoDocumentDownloads: Pick<DocumentRequestStore, 'record'> = { record: recordEvents };
export const dynamoCompletionNotices: Pick<DocumentRequestStore, 'takeCompletionNotice' | 'completionNoticeSent'> = {
  takeCompletionNotice,
  completionNoticeSent,
};

/** The whole store, for the tests that drive it directly. */
export const dynamoDocumentRequests: DocumentRequestStore = {
  add: addRequests,
  get: getRequest,
  list: listRequests,
  apply: applyRequestChange,
  record: recordEvents,
  takeCompletionNotice,
  completionNoticeSent,
};
