import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { sleep } from '../../sleep.ts';
import { AppError } from '../../domain/errors.ts';
import * as config from '../../config.ts';
import { cancellationCodes, documents, tableCall } from './client.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A transaction's items by name; an undefined entry is left out, so optional items read as what they are. */
export type NamedItems<Name extends string = string> = Partial<Record<Name, TransactItem>>;

/** On a failed condition, the names of the items whose condition failed: never their positions. */
export type TransactOutcome<Name extends string = string> = { ok: true } | { ok: false; failed: ReadonlySet<Name> };

const attempts = 4;

/**
 * Runs one transaction of named items. A condition failure comes back as the names of the items that failed;
 * a conflict with a concurrent transaction is retried, since the retry will see the winner's write.
 */
export const transact = async <Name extends string>(items: NamedItems<Name>): Promise<TransactOutcome<Name>> => {
  const named = (Object.entries(items) as [Name, TransactItem | undefined][]).filter(
    (entry): entry is [Name, TransactItem] => entry[1] !== undefined,
  );
  for (let attempt = 1; ; attempt += 1) {
    try {
      await tableCall(() => documents.send(new TransactWriteCommand({ TransactItems: named.map(([, item]) => item) })));
      return { ok: true };
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes === undefined) throw error;
      if (codes.includes('ConditionalCheckFailed')) {
        return { ok: false, failed: new Set(named.filter((_, index) => codes[index] === 'ConditionalCheckFailed').map(([name]) => name)) };
      }
      if (!codes.includes('TransactionConflict') || attempt >= attempts) {
        throw new AppError('service_unavailable', 'The data store is busy; please retry shortly');
      }
      await sleep(20 * attempt + Math.random() * 30);
    }
  }
};

export const table = () => config.tableName();
