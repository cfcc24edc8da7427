import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { sleep } from '../../sleep.ts';
import { AppError } from '../../domain/errors.ts';
import { config } from '../../config.ts';
import { cancellationCodes, documents, tableCall } from './client.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export type TransactOutcome = { ok: true } | { ok: false; codes: (string | undefined)[] };

const attempts = 4;

/**
 * Runs a transaction. A condition failure comes back as each item's code (undefined where the item was
 * fine); a conflict with a concurrent transaction is retried, since the retry will see the winner's write.
 */
export const transact = async (items: TransactItem[]): Promise<TransactOutcome> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await tableCall(() => documents.send(new TransactWriteCommand({ TransactItems: items })));
      return { ok: true };
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes === undefined) throw error;
      if (codes.includes('ConditionalCheckFailed')) return { ok: false, codes };
      if (!codes.includes('TransactionConflict') || attempt >= attempts) {
        throw new AppError('service_unavailable', 'The data store is busy; please retry shortly');
      }
      await sleep(20 * attempt + Math.random() * 30);
    }
  }
};

export const table = () => config.tableName();
