import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { localCredentials, localRegion } from '../../infra/local/provision.ts';
import type { IdempotencyStore } from '../../lib/http/idempotency.ts';
import type { Reply } from '../../lib/http/response.ts';

// The Idempotency-Key store itself, against the shared DynamoDB Local: whose claim a request may finish or free.
let store: IdempotencyStore;
let idempotent: typeof import('../../lib/http/idempotency.ts').idempotent;

beforeAll(async () => {
  Object.assign(process.env, {
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoUrl'),
    TABLE_NAME: inject('tableName'),
  });
  // Loaded after the endpoint is set, since the client reads it once.
  store = (await import('../../lib/adapters/dynamodb/idempotency.ts')).dynamoIdempotency;
  idempotent = (await import('../../lib/http/idempotency.ts')).idempotent;
});

const t0 = new Date('2030-01-01T00:00:00Z');
const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const reply = (label: string): Reply => ({ status: 201, body: { label } });
const ownerOf = (claim: Awaited<ReturnType<IdempotencyStore['claim']>>) => {
  expect(claim.kind).toBe('new');
  return (claim as { owner: string }).owner;
};

describe('an Idempotency-Key claim taken over after its lease ran out', () => {
  it("is never freed nor finished by the request that lost it, and a replay gets the new owner's answer", async () => {
    const key = `claims-${randomUUID()}`;
    const a = ownerOf(await store.claim(key, 'same-request', t0));
    // A stalls past its lease; B, a retry of the same request, takes the key over.
    const b = ownerOf(await store.claim(key, 'same-request', later(31)));
    expect(b).not.toBe(a);

    await store.release(key, a);
    expect((await store.claim(key, 'same-request', later(32))).kind).toBe('in_progress');
    expect(await store.complete(key, a, reply('A'))).toBe(false);
    expect((await store.claim(key, 'same-request', later(33))).kind).toBe('in_progress');

    expect(await store.complete(key, b, reply('B'))).toBe(true);
    await store.release(key, a);
    await store.release(key, b);
    const replay = await store.claim(key, 'same-request', later(34));
    expect(replay).toEqual({ kind: 'replay', reply: reply('B') });
  });
});

describe('a request whose work succeeded but whose answer could not be recorded', () => {
  /** The real store, whose `complete` fails the first `failures` times as a blinking table would. */
  const blinking = (failures: number): IdempotencyStore & { tries: number } => {
    const wrapped = {
      tries: 0,
      claim: (...args: Parameters<IdempotencyStore['claim']>) => store.claim(...args),
      release: (...args: Parameters<IdempotencyStore['release']>) => store.release(...args),
      async complete(...args: Parameters<IdempotencyStore['complete']>) {
        wrapped.tries += 1;
        if (wrapped.tries <= failures) throw new Error('connect ECONNREFUSED');
        return store.complete(...args);
      },
    };
    return wrapped;
  };

  it('records the answer on a retry of the write, so a retried request replays it instead of running again', async () => {
    const key = `blink-${randomUUID()}`;
    let runs = 0;
    const work = async () => {
      runs += 1;
      return reply(`run ${runs}`);
    };
    const flaky = blinking(2);
    expect(await idempotent(flaky, key, 'same-request', work)).toEqual(reply('run 1'));
    expect(flaky.tries).toBe(3);
    const again = await idempotent(store, key, 'same-request', work);
    expect(again.body).toEqual({ label: 'run 1' });
    expect(again.headers?.['idempotent-replayed']).toBe('true');
    expect(runs).toBe(1);
  });

  it('answers what the work did and leaves the key claimed, never free to run again, when recording keeps failing', async () => {
    const key = `down-${randomUUID()}`;
    let runs = 0;
    const answer = await idempotent(blinking(1_000), key, 'same-request', async () => {
      runs += 1;
      return reply('done');
    });
    expect(answer).toEqual(reply('done'));
    expect(runs).toBe(1);
    expect((await store.claim(key, 'same-request', new Date())).kind).toBe('in_progress');
  });
});

describe('one record per Idempotency-Key: what the request saved is written on its claim', () => {
  const household = (id: string) => ({
    firmId: 'firm-claims',
    householdId: id,
    name: 'Claims household',
    status: 'prospect' as const,
    members: [],
    accounts: [],
    createdBy: 'advisor-claims',
    createdAt: t0.toISOString(),
    updatedAt: t0.toISOString(),
  });
  const markerOf = async (key: string, owner: string) =>
    (await import('../../lib/http/idempotency.ts')).requestMarker({ key, owner });

  it('survives a crash after the write: the retry that takes the expired claim over gets that household, not a second', async () => {
    const { dynamoHouseholds } = await import('../../lib/adapters/dynamodb/households.ts');
    const key = `saved-${randomUUID()}`;
    const first = ownerOf(await store.claim(key, 'create', t0));
    const saved = await dynamoHouseholds.create(household(randomUUID()), [], await markerOf(key, first));
    // The first request dies here: never completed, never released. Its lease runs out and the retry takes over.
    const retry = ownerOf(await store.claim(key, 'create', later(31)));
    const again = await dynamoHouseholds.create(household(randomUUID()), [], await markerOf(key, retry));
    expect(again.householdId).toBe(saved.householdId);
    // A different request under that key is still refused; the first owner, were it alive, saves nothing new either.
    expect((await store.claim(key, 'another-body', later(32))).kind).toBe('mismatch');
    expect((await dynamoHouseholds.create(household(randomUUID()), [], await markerOf(key, first))).householdId).toBe(saved.householdId);
  });

  it('is kept when the request fails after saving, so the released key is retaken and answered with what was saved', async () => {
    const { dynamoHouseholds } = await import('../../lib/adapters/dynamodb/households.ts');
    const key = `released-${randomUUID()}`;
    const first = ownerOf(await store.claim(key, 'create', t0));
    const saved = await dynamoHouseholds.create(household(randomUUID()), [], await markerOf(key, first));
    await store.release(key, first);
    const retry = ownerOf(await store.claim(key, 'create', later(1)));
    expect((await dynamoHouseholds.create(household(randomUUID()), [], await markerOf(key, retry))).householdId).toBe(saved.householdId);
  });
});

describe('an Idempotency-Key claim whose put landed but whose answer was lost', () => {
  it('is the request\'s own when the SDK retries the put: the claim is taken, not waited on as in progress', async () => {
    const { documents } = await import('../../lib/adapters/dynamodb/client.ts');
    const key = `lost-answer-${randomUUID()}`;
    let lost = 0;
    // Inside the SDK's retry loop: the first put of this key reaches the table, then its answer is lost as a timeout.
    const name = `lose-answer-${key}`;
    documents.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        // Below the document client the item is marshalled: { pk: { S: ... } }.
        const pk = (args.input as { Item?: { pk?: { S?: string } } }).Item?.pk?.S;
        if (context.commandName === 'PutItemCommand' && pk === `IDEMPOTENCY#${key}` && lost === 0) {
          lost += 1;
          throw Object.assign(new Error('the answer was lost'), { name: 'TimeoutError', $retryable: {} });
        }
        return result;
      },
      { step: 'deserialize', name },
    );
    try {
      const claim = await store.claim(key, 'same-request', t0);
      expect(lost).toBe(1);
      expect(claim.kind).toBe('new');
      // It is really held: another request with the key waits on it, and the owner may finish it.
      expect((await store.claim(key, 'same-request', later(1))).kind).toBe('in_progress');
      expect(await store.complete(key, ownerOf(claim), reply('once'))).toBe(true);
    } finally {
      documents.middlewareStack.remove(name);
    }
  });
});
