import { documents } from '../../lib/adapters/dynamodb/client.ts';

export interface WriteCounter {
  /** Successful writes to domain items (households, invitations, tickets, links, outbox). */
  readonly count: number;
}

// Bookkeeping items that a refused request may legitimately touch: its idempotency claim, its throttle counter.
const bookkeeping = /^(IDEMPOTENCY|THROTTLE)#/;

const domainKeys = (name: string, input: Record<string, unknown>): string[] => {
  const keyOf = (entry: { Key?: { pk?: string }; Item?: { pk?: string } } | undefined) => entry?.Key?.pk ?? entry?.Item?.pk ?? '';
  if (name === 'TransactWriteCommand') {
    return ((input.TransactItems ?? []) as Record<string, never>[]).flatMap((item) =>
      Object.entries(item)
        .filter(([kind]) => kind !== 'ConditionCheck')
        .map(([, entry]) => keyOf(entry)),
    );
  }
  if (['PutCommand', 'UpdateCommand', 'DeleteCommand'].includes(name)) return [keyOf(input as never)];
  if (name === 'BatchWriteCommand') return ['batch'];
  return [];
};

/** Counts, in this process, every successful write the handlers make to domain items. */
export const countDomainWrites = async (): Promise<WriteCounter> => {
  const counter = { count: 0 };
  documents.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const keys = domainKeys(String(context.commandName), args.input as Record<string, unknown>);
      counter.count += keys.filter((key) => !bookkeeping.test(key)).length;
      return result;
    },
    { step: 'initialize', name: 'countDomainWrites' },
  );
  return counter;
};
