import { documents } from '../../lib/adapters/dynamodb/client.ts';

export interface WriteCounter {
  /** Successful writes to domain items (households, invitations, tickets, links, outbox). */
  readonly count: number;
}

// Bookkeeping items that a refused request may legitimately touch: its idempotency claim, its throttle counter.
const bookkeeping = /^(IDEMPOTENCY|THROTTLE)#/;

const domainKeys = (name: string, input: Record<string, unknown>): string[] => {
  const keyOf = (entry: { Key?: { pk?: string }; Item?: { pk?: string } } | undefined) => entry?.Key?.pk ?? entry?.Item?.pk ?? '';
  // The document client runs its commands through the low-level client's stack, under the low-level names
  // (PutItemCommand, not PutCommand); match both so the counter sees every write whichever client sends it.
  if (name === 'TransactWriteCommand' || name === 'TransactWriteItemsCommand') {
    return ((input.TransactItems ?? []) as Record<string, never>[]).flatMap((item) =>
      Object.entries(item)
        .filter(([kind]) => kind !== 'ConditionCheck')
        .map(([, entry]) => keyOf(entry)),
    );
  }
  if (['PutCommand', 'UpdateCommand', 'DeleteCommand', 'PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand'].includes(name)) {
    return [keyOf(input as never)];
  }
  if (name === 'BatchWriteCommand' || name === 'BatchWriteItemCommand') return ['batch'];
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

/**
 * Waits until no write has landed for `quietMs`: the ops function finishes a ticket (its record of the ops
 * email) after the email itself, so a test that waited for the email waits for this too.
 */
export const writesSettled = async (writes: WriteCounter, quietMs = 500, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let seen = writes.count;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    if (writes.count === seen) return;
    seen = writes.count;
  }
  throw new Error('writes did not settle');
};
