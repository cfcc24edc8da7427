// Issue #10 "Required method": random interleavings of the whole invitation lifecycle against the real local
// stack, with the promises checked after every command sequence. MODEL_RUNS and MODEL_SEED widen or replay it.
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { tokenFor } from '../support/api.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';
import {
  atMostOneLiveInvitationPerEmail,
  everyOpenTicketCanBeDecided,
  fiveWrongNumbersNeverReachCompare,
  lockedInvitationNeverVerifies,
  newestEmailCarriesCurrentLink,
  oneTicketPerRequest,
  outboxEmptiedWithinBudget,
} from './invariants.ts';
import { commandSequences, invite, rightNumber, slots, type World } from './model.ts';
import { systemReader, type SystemReader } from './system.ts';

const runs = Number(process.env.MODEL_RUNS ?? 200);
const seed = Number(process.env.MODEL_SEED ?? 100_010);
const maxCommands = Number(process.env.MODEL_MAX_COMMANDS ?? 8);
/** Sequences run this many at a time (each in its own firm), so 200 fit in a couple of minutes on 2 cores. */
const lanes = Number(process.env.MODEL_LANES ?? 4);
/** Grace (1 s) plus a few sweeps: an outbox entry older than this after the last command is past its budget. */
const outboxBudgetSeconds = 10;

let own: OwnStack;
let reader: SystemReader;

beforeAll(async () => {
  // Every sequence comes from 127.0.0.1: the per-source throttle is tested elsewhere and would mask the lockout here.
  own = await startOwnStack({ throttle: { deadLinks: 1_000_000, wrongNumbers: 1_000_000 }, outboxGraceSeconds: 1 });
  const { stack } = own;
  reader = systemReader({ ...stack, queueUrl: stack.queues.queueUrl });
}, 120_000);

afterAll(async () => {
  reader?.close();
  await own?.stop();
});

const newWorld = async (): Promise<World> => {
  const firmId = `model-${randomUUID().slice(0, 8)}`;
  const advisor = await tokenFor('advisor', firmId, { sub: `advisor-${firmId}`, email: `advisor.${firmId}@firm.test`, firmName: 'Model Wealth' });
  const ops = await tokenFor('ops', firmId, { sub: 'ops-model' });
  const household = async (accounts: { accountNumber: string }[]) =>
    (await reader.api('POST', '/households', { token: advisor, body: { name: 'Model Family', accounts } })).body.household.householdId as string;
  const [prospect, client] = await Promise.all([household([]), household([{ accountNumber: rightNumber }])]);
  const world: World = {
    reader,
    firmId,
    tag: firmId,
    advisor,
    ops,
    households: { prospect, client },
    sinceSeconds: Math.floor(Date.now() / 1000) - 1,
    latest: new Map(),
    clock: 0,
    log: [],
    sweep: () => own.stack.runScheduled(),
  };
  // Every slot starts invited, so each generated command has something to act on; invites in the sequence re-invite.
  await Promise.all(slots.map((slot) => invite(slot).run(world)));
  return world;
};

/** Lets the ops function and the sweeper finish what the sequence left, within the outbox budget. */
const settle = async (world: World) => {
  const deadline = Date.now() + outboxBudgetSeconds * 1000;
  let outbox = await reader.outboxOf(world.firmId);
  while (outbox.some((e) => !e.stuck) && Date.now() < deadline) {
    await world.sweep();
    await sleep(200);
    outbox = await reader.outboxOf(world.firmId);
  }
  // Messages still in flight may file tickets late; other lanes share the queue, so this wait is short and bounded.
  for (let i = 0; i < 10 && (await reader.queueDepth()) > 0; i += 1) await sleep(200);
  return outbox;
};

/** Every promise of issue #10 that a sequence can break, each under its own name. */
const brokenPromises = async (world: World): Promise<string[]> => {
  const outbox = await settle(world);
  const now = new Date();
  const [prospects, clients, tickets, mails] = await Promise.all([
    reader.invitationsOf(world.firmId, world.households.prospect),
    reader.invitationsOf(world.firmId, world.households.client),
    reader.ticketsOf(world.firmId),
    reader.mailSince(world.sinceSeconds),
  ]);
  const invitations = [...prospects, ...clients];
  const named: [string, string[]][] = [
    ['atMostOneLiveInvitationPerEmail', atMostOneLiveInvitationPerEmail(invitations, now)],
    ['lockedInvitationNeverVerifies', lockedInvitationNeverVerifies(world.log)],
    ['fiveWrongNumbersNeverReachCompare', fiveWrongNumbersNeverReachCompare(world.log)],
    ['oneTicketPerRequest', oneTicketPerRequest(tickets, invitations, now)],
    ['newestEmailCarriesCurrentLink', newestEmailCarriesCurrentLink(invitations, mails, now)],
    ['outboxEmptiedWithinBudget', outboxEmptiedWithinBudget(outbox, outboxBudgetSeconds)],
    // Last: it decides the open tickets to prove they can be.
    ['everyOpenTicketCanBeDecided', await everyOpenTicketCanBeDecided(reader, world.firmId, world.ops)],
  ];
  return named.flatMap(([name, problems]) => problems.map((p) => `${name}: ${p}`));
};

describe('the invitation lifecycle under random interleavings', () => {
  it(
    `keeps every promise over ${runs} command sequences (seed ${seed}, ${lanes} lanes)`,
    async () => {
      const lane = async (index: number) => {
        const property = fc.asyncProperty(commandSequences(maxCommands), async (commands) => {
          const world = await newWorld();
          await fc.asyncModelRun(() => ({ model: {}, real: world }), commands);
          const problems = await brokenPromises(world);
          if (process.env.MODEL_DEBUG) console.log(String(commands), JSON.stringify(world.log.map((o) => `${o.act}:${o.status}`)));
          if (problems.length > 0) throw new Error(`firm ${world.firmId}\n${problems.join('\n')}`);
        });
        await fc.assert(property, { numRuns: Math.ceil(runs / lanes), seed: seed + index, endOnFailure: process.env.MODEL_SHRINK === '0', includeErrorInReport: true });
      };
      // Every lane runs to its end, so one failing lane reports its shrunk counterexample and the others theirs.
      const outcomes = await Promise.allSettled(Array.from({ length: lanes }, (_, index) => lane(index)));
      const failures = outcomes.flatMap((o, index) =>
        o.status === 'rejected' ? [`lane ${index} (MODEL_SEED=${seed} lane seed ${seed + index}):\n${(o.reason as Error).message}`] : [],
      );
      if (failures.length > 0) throw new Error(failures.join('\n\n'));
    },
    30 * 60_000,
  );
});
