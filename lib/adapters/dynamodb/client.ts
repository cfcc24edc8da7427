import { DynamoDBClient, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AppError } from '../../domain/errors.ts';
import { clientDefaults, isUnavailable } from '../aws-errors.ts';
import { observed } from '../call-observers.ts';

// Created once per container; the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB when run locally.
export const documents = observed(
  DynamoDBDocumentClient.from(new DynamoDBClient({ ...clientDefaults }), { marshallOptions: { removeUndefinedValues: true } }),
);

export const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** The item a failed condition saw (ReturnValuesOnConditionCheckFailure), which the document client leaves marshalled. */
export const itemOnConditionFailure = (error: unknown): Record<string, unknown> | undefined => {
  const item = (error as { Item?: Record<string, AttributeValue> }).Item;
  return item ? unmarshall(item) : undefined;
};

/** Reasons a transaction was cancelled, one per item, in request order. */
export const cancellationCodes = (error: unknown): (string | undefined)[] | undefined => {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((reason) => (reason.Code === 'None' ? undefined : reason.Code));
};

/** Runs a table call; an unreachable or throttled table becomes a clean 503. */
export const tableCall = async <T>(call: () => Promise<T>): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (isUnavailable(error)) {
      throw new AppError('service_unavailable', 'The data store is unavailable; please retry shortly');
    }
    throw error;
  }
};

/** Sends one conditional write: true if it applied, false if its condition failed; any other failure is thrown. */
export const conditionally = async (write: () => Promise<unknown>): Promise<boolean> => {
  try {
    await tableCall(write);
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};
