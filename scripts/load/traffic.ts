// Sends the mix with autocannon, one stage per concurrency level, and tallies every answer by operation.
import autocannon from 'autocannon';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceName } from '../../infra/local/stack.ts';
import type { FaultSchedule } from './faults.ts';
import { ops, type Mix, type Op, type Planned } from './mix.ts';

export interface OpTally {
  requests: number;
  latenciesMs: number[];
  /** "status code" → count, for every answer that was not 2xx. */
  errors: Record<string, number>;
}

export interface StageTally {
  label: string;
  connections: number;
  requests: number;
  seconds: number;
  latenciesMs: number[];
  non2xx: number;
}

export interface Tally {
  ops: Record<Op, OpTally>;
  stages: StageTally[];
  /** Answers by HTTP status, over the whole run. */
  statuses: Record<string, number>;
  /** Answers by "status code" while each service was down. */
  duringOutage: Partial<Record<ServiceName, Record<string, number>>>;
  /** Requests autocannon gave up on (no answer within its timeout). */
  timeouts: number;
  /** Requests cut off when a stage ended; their POSTs are retried with the same key. */
  abandoned: number;
  retries: number;
  replays: number;
}

export interface StagePlan {
  connections: number;
  /** Requests in the stage; the stage also ends after `maxSeconds`, whichever comes first. */
  amount: number;
  maxSeconds: number;
}

export const newTally = (): Tally => ({
  ops: Object.fromEntries(ops.map((op) => [op, { requests: 0, latenciesMs: [], errors: {} }])) as unknown as Record<Op, OpTally>,
  stages: [],
  statuses: {},
  duringOutage: {},
  timeouts: 0,
  abandoned: 0,
  retries: 0,
  replays: 0,
});

const count = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

const tallyAnswer = (
  tally: Tally,
  stage: StageTally,
  planned: Planned,
  answer: { status: number; code?: string | undefined; replayed: boolean; ms: number },
  down: ServiceName | undefined,
) => {
  const op = tally.ops[planned.op];
  const label = `${answer.status} ${answer.code ?? ''}`.trim();
  op.requests += 1;
  op.latenciesMs.push(answer.ms);
  stage.requests += 1;
  stage.latenciesMs.push(answer.ms);
  count(tally.statuses, String(answer.status));
  if (planned.attempt > 1) tally.retries += 1;
  if (answer.replayed) tally.replays += 1;
  if (answer.status >= 300) {
    count(op.errors, label);
    stage.non2xx += 1;
  }
  if (down) count((tally.duringOutage[down] ??= {}), label);
};

/** Runs one stage: `connections` virtual users each sending the mix's next request as soon as the last is answered. */
export const runStage = async (url: string, mix: Mix, tally: Tally, plan: StagePlan, faults: FaultSchedule): Promise<StageTally> => {
  const stage: StageTally = { label: `c=${plan.connections}`, connections: plan.connections, requests: 0, seconds: 0, latenciesMs: [], non2xx: 0 };
  const inFlight = new Map<number, Planned>();
  const started = performance.now();
  let lastAnswerAt = started;
  const instance = autocannon({
    url,
    connections: plan.connections,
    amount: Math.max(plan.amount, plan.connections),
    // Longer than any answer the API should take even mid-outage, so a timeout means something hung.
    timeout: 30,
    requests: [
      {
        setupRequest: (request, context) => {
          const planned = mix.next();
          context.planned = planned;
          context.sentAt = performance.now();
          inFlight.set(planned.id, planned);
          return { ...request, method: planned.method, path: planned.path, headers: { ...request.headers, ...planned.headers }, body: planned.body ?? '' };
        },
        onResponse: (status, body, context, headers) => {
          const planned = context.planned as Planned;
          inFlight.delete(planned.id);
          const { code } = mix.record(planned, status, body, headers);
          const replayed = headers['idempotent-replayed'] === 'true';
          lastAnswerAt = performance.now();
          tallyAnswer(tally, stage, planned, { status, code, replayed, ms: lastAnswerAt - (context.sentAt as number) }, faults.downNow());
        },
      },
    ],
  });
  const cap = setTimeout(() => instance.stop(), plan.maxSeconds * 1000);
  const result = await instance;
  clearTimeout(cap);
  // Up to the last answer: autocannon only notices the end on its once-a-second tick.
  stage.seconds = (lastAnswerAt - started) / 1000;
  tally.timeouts += result.timeouts;
  // Whatever never got an answer is owed a retry: the server may well have done it.
  for (const planned of inFlight.values()) {
    tally.abandoned += 1;
    mix.abandoned(planned);
  }
  tally.stages.push(stage);
  return stage;
};

/** Sends the retries still owed after the last stage, with plain fetch, until none are left or the deadline passes. */
export const drainRetries = async (url: string, mix: Mix, tally: Tally, faults: FaultSchedule, deadlineMs: number): Promise<StageTally> => {
  const stage: StageTally = { label: 'retries after traffic', connections: 1, requests: 0, seconds: 0, latenciesMs: [], non2xx: 0 };
  const started = performance.now();
  for (let batch = mix.takeRetries(); batch.length > 0 && Date.now() < deadlineMs; batch = mix.takeRetries()) {
    for (const planned of batch) {
      const wait = planned.notBefore - Date.now();
      if (wait > 0) await sleep(wait);
      const sentAt = performance.now();
      const response = await fetch(`${url}${planned.path}`, {
        method: planned.method,
        headers: planned.headers,
        ...(planned.body ? { body: planned.body } : {}),
        signal: AbortSignal.timeout(30_000),
      }).catch(() => undefined);
      if (!response) {
        tally.timeouts += 1;
        continue;
      }
      const text = await response.text();
      const headers = Object.fromEntries(response.headers);
      const { code } = mix.record(planned, response.status, text, headers);
      const replayed = headers['idempotent-replayed'] === 'true';
      tallyAnswer(tally, stage, planned, { status: response.status, code, replayed, ms: performance.now() - sentAt }, faults.downNow());
    }
  }
  stage.seconds = (performance.now() - started) / 1000;
  tally.stages.push(stage);
  return stage;
};

/** Follows the mail store as mail arrives and remembers the newest invite link sent to each address. */
export const watchInviteLinks = (mailUrl: string) => {
  const tokens = new Map<string, string>();
  const seen = new Set<string>();
  let since = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const response = await fetch(`${mailUrl}/store?since=${since}`, { signal: AbortSignal.timeout(2_000) });
        const { emails } = (await response.json()) as { emails: { messageId: string; at: number; destination: { to: string[] }; body: { text?: string } }[] };
        for (const mail of emails) {
          if (seen.has(mail.messageId)) continue;
          seen.add(mail.messageId);
          since = Math.max(since, mail.at);
          const token = /\/invite\/([A-Za-z0-9_-]{43})/.exec(mail.body.text ?? '')?.[1];
          if (token) mail.destination.to.forEach((to) => tokens.set(to.toLowerCase(), token));
        }
      } catch {
        // SES is down for a moment in fault runs; the store is back with it.
      }
      await sleep(250);
    }
  })();
  return {
    tokenFor: (email: string) => tokens.get(email.toLowerCase()),
    async stop() {
      running = false;
      await loop;
    },
  };
};
