// The model-based concurrency test's commands: what advisors, clients, ops, the ops function and the sweeper do,
// alone or several at once, against the real local stack over HTTP.
import fc from 'fast-check';
import { setTimeout as sleep } from 'node:timers/promises';
import { answerProblem, newestLinkTo, type SystemReader } from './system.ts';
import type { Observation } from './invariants.ts';

export const rightNumber = '12345678';
const wrongNumber = '87654321';

export type HouseholdKind = 'prospect' | 'client';
export interface Slot {
  household: HouseholdKind;
  email: 0 | 1;
}

/** What one command sequence acts on; one firm per sequence keeps sequences apart on a shared stack. */
export interface World {
  reader: SystemReader;
  firmId: string;
  tag: string;
  advisor: string;
  ops: string;
  households: Record<HouseholdKind, string>;
  sinceSeconds: number;
  /** The newest invitation each slot's invite answered 201 with. */
  latest: Map<string, string>;
  clock: number;
  log: Observation[];
  /** Runs the scheduled outbox sweeper once. */
  sweep: () => Promise<void>;
}

const slotKey = (slot: Slot) => `${slot.household}.${slot.email}`;
export const slots: Slot[] = [
  { household: 'prospect', email: 0 },
  { household: 'prospect', email: 1 },
  { household: 'client', email: 0 },
  { household: 'client', email: 1 },
];

export const addressOf = (world: World, slot: Slot) => `${world.tag}.${slot.household}.${slot.email}@client.test`;

const checked = async (what: string, pending: ReturnType<SystemReader['api']>) => {
  const answer = await pending;
  const problem = answerProblem(what, answer);
  if (problem) throw new Error(problem);
  return answer;
};

const invitationPath = (world: World, slot: Slot) => {
  const invitationId = world.latest.get(slotKey(slot));
  return invitationId && `/households/${world.households[slot.household]}/invitations/${invitationId}`;
};

const newestToken = async (world: World, slot: Slot) => newestLinkTo(await world.reader.mailSince(world.sinceSeconds), addressOf(world, slot));

const ticketOf = async (world: World, slot: Slot) => {
  const invitationId = world.latest.get(slotKey(slot));
  const invitations = await world.reader.invitationsOf(world.firmId, world.households[slot.household]);
  const invitation = invitations.find((i) => i.invitationId === invitationId);
  return invitation?.verification.ticketId && { ticketId: invitation.verification.ticketId, invitationId: invitation.invitationId };
};

/** Runs one timed request about an invitation and logs it on the logical clock. */
const observed = async (world: World, invitationId: string, act: Observation['act'], request: () => Promise<{ status: number }>) => {
  const start = (world.clock += 1);
  const { status } = await request();
  world.log.push({ invitationId, act, start, end: (world.clock += 1), status });
};

export interface Act {
  name: string;
  run(world: World): Promise<void>;
}

const act = (name: string, run: (world: World) => Promise<void>): Act => ({ name, run });

export const invite = (slot: Slot) =>
  act(`invite(${slotKey(slot)})`, async (world) => {
    const answer = await checked(
      'invite',
      world.reader.api('POST', `/households/${world.households[slot.household]}/invitations`, {
        token: world.advisor,
        body: { firstName: 'Ada', lastName: 'Model', email: addressOf(world, slot) },
      }),
    );
    if (answer.status === 201) world.latest.set(slotKey(slot), answer.body.invitation.invitationId);
    // Saved, but SES did not answer in time: the invitation exists and can be resent.
    if (answer.status === 502) world.latest.set(slotKey(slot), answer.body.error.details[0].invitationId);
  });

const advisorAction = (action: 'resend' | 'revoke') => (slot: Slot) =>
  act(`${action}(${slotKey(slot)})`, async (world) => {
    const path = invitationPath(world, slot);
    if (path) await checked(action, world.reader.api('POST', `${path}/${action}`, { token: world.advisor }));
  });
export const resend = advisorAction('resend');
export const revoke = advisorAction('revoke');

export const verify = (slot: Slot, right: boolean) =>
  act(`verify(${slotKey(slot)}, ${right ? 'right' : 'wrong'})`, async (world) => {
    const token = await newestToken(world, slot);
    if (!token) return;
    const invitationId = (await world.reader.invitationIdOfToken(token)) ?? 'dead-link';
    await observed(world, invitationId, right ? 'right_number' : 'wrong_number', () =>
      checked('verify', world.reader.api('POST', `/portal/invitations/${token}/verify`, { body: { accountNumber: right ? rightNumber : wrongNumber } })),
    );
  });

/** Several wrong numbers on one link at once, as a guessing script would send them. */
export const wrongBurst = (slot: Slot, count: number) =>
  act(`wrongBurst(${slotKey(slot)}, ${count})`, async (world) => {
    await settledAll(Array.from({ length: count }, () => verify(slot, false).run(world)));
  });

export const accept = (slot: Slot) =>
  act(`accept(${slotKey(slot)})`, async (world) => {
    const token = await newestToken(world, slot);
    if (token) await checked('accept', world.reader.api('POST', `/portal/invitations/${token}/accept`));
  });

export const approve = (slot: Slot) =>
  act(`approve(${slotKey(slot)})`, async (world) => {
    const ticket = await ticketOf(world, slot);
    if (!ticket) return;
    await observed(world, ticket.invitationId, 'approve', () =>
      checked(
        'approve',
        world.reader.api('POST', `/ops/tickets/${ticket.ticketId}/approve`, { token: world.ops, body: { note: 'model', evidence: { method: 'phone' } } }),
      ),
    );
  });

export const reject = (slot: Slot) =>
  act(`reject(${slotKey(slot)})`, async (world) => {
    const ticket = await ticketOf(world, slot);
    if (ticket) await checked('reject', world.reader.api('POST', `/ops/tickets/${ticket.ticketId}/reject`, { token: world.ops, body: { reason: 'model' } }));
  });

/** The ops function (the local poller) files this firm's queued ticket requests; waits for it, bounded. */
export const runOpsFunction = () =>
  act('runOpsFunction', async (world) => {
    for (let i = 0; i < 30; i += 1) {
      if (!(await world.reader.outboxOf(world.firmId)).some((e) => e.kind === 'ticket-request')) return;
      await sleep(100);
    }
  });

export const runSweeper = () => act('runSweeper', (world) => world.sweep());

/** Waits for every promise, then fails with the first failure, so no request is left running behind a failure. */
const settledAll = async (pending: Promise<void>[]) => {
  const failed = (await Promise.allSettled(pending)).find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
};

export const together = (acts: Act[]): Act => act(`together(${acts.map((a) => a.name).join(' | ')})`, (world) => settledAll(acts.map((a) => a.run(world))));

/** The model keeps nothing the system can't be asked for: the invariants read the system after each sequence. */
export type Model = Record<string, never>;

class ModelCommand implements fc.AsyncCommand<Model, World> {
  constructor(readonly act: Act) {}
  check() {
    return true;
  }
  run(_model: Model, world: World) {
    return this.act.run(world);
  }
  toString() {
    return this.act.name;
  }
}

const anySlot = fc.record({ household: fc.constantFrom<HouseholdKind>('prospect', 'client'), email: fc.constantFrom<0 | 1>(0, 1) });
const clientSlot = fc.record({ household: fc.constant<HouseholdKind>('client'), email: fc.constantFrom<0 | 1>(0, 1) });

const singleAct: fc.Arbitrary<Act> = fc.oneof(
  { arbitrary: anySlot.map(invite), weight: 3 },
  { arbitrary: anySlot.map(resend), weight: 1 },
  { arbitrary: anySlot.map(revoke), weight: 1 },
  { arbitrary: clientSlot.map((s) => verify(s, true)), weight: 2 },
  { arbitrary: clientSlot.map((s) => verify(s, false)), weight: 3 },
  { arbitrary: fc.tuple(clientSlot, fc.integer({ min: 2, max: 6 })).map(([s, n]) => wrongBurst(s, n)), weight: 2 },
  { arbitrary: anySlot.map(accept), weight: 1 },
  { arbitrary: anySlot.map(approve), weight: 2 },
  { arbitrary: anySlot.map(reject), weight: 1 },
  { arbitrary: fc.constant(runOpsFunction()), weight: 1 },
  { arbitrary: fc.constant(runSweeper()), weight: 1 },
);

/** A command sequence: single acts and groups of 2-3 fired at once, where the races live. */
export const commandSequences = (maxCommands: number) =>
  fc.commands(
    [
      singleAct.map((a) => new ModelCommand(a)),
      fc.array(singleAct, { minLength: 2, maxLength: 3 }).map((acts) => new ModelCommand(together(acts))),
    ],
    { maxCommands, size: 'max' },
  );
