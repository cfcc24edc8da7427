// The fault schedule of `npm run load -- --faults`: one local service down at a time while traffic flows,
// and a share of ops-function invocations crashing, so reconciliation can show nothing was lost.
import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalStack, ServiceName } from '../../infra/local/stack.ts';

export interface Outage {
  service: ServiceName;
  /** Milliseconds since the run started. */
  downAt: number;
  /** When the service answered again (DynamoDB Local needs a few seconds to start). */
  upAt?: number;
  restartMs?: number;
}

export interface FaultOptions {
  /** How long each service stays down. */
  downMs: number;
  /** Healthy time between two outages, so each one's effects can be told apart. */
  gapMs: number;
  /** Share (0-1) of ops-function invocations that throw. */
  opsFailureRate: number;
  /** The services taken down in turn; by default SQS, then SES, then DynamoDB. */
  order?: ServiceName[];
}

export interface FaultSchedule {
  outages: Outage[];
  /** The service that is down right now, if any: responses are tallied under it. */
  downNow(): ServiceName | undefined;
  /** Ends the schedule after the current outage, with every service back up. */
  stop(): Promise<void>;
}

const noFaults: FaultSchedule = { outages: [], downNow: () => undefined, stop: async () => undefined };

export const withoutFaults = (): FaultSchedule => noFaults;

/** Starts cycling outages through the services until `stop()`; the first begins after one gap. */
export const startFaults = (stack: LocalStack, options: FaultOptions, startedAt = performance.now()): FaultSchedule => {
  const order = options.order ?? ['sqs', 'ses', 'dynamodb'];
  const outages: Outage[] = [];
  let down: ServiceName | undefined;
  let running = true;
  const wake = new AbortController();
  const since = () => Math.round(performance.now() - startedAt);
  // Interruptible waits: stop() should not sit out a whole gap.
  const pause = (ms: number) => sleep(ms, undefined, { signal: wake.signal }).catch(() => undefined);

  stack.setOpsFailureRate(options.opsFailureRate);
  const loop = (async () => {
    for (let turn = 0; running; turn += 1) {
      await pause(options.gapMs);
      if (!running) break;
      const service = order[turn % order.length]!;
      const outage: Outage = { service, downAt: since() };
      outages.push(outage);
      down = service;
      await stack.stopService(service);
      // The outage lasts its full length even when stop() is called meanwhile, as a real one would.
      await sleep(options.downMs);
      const restarting = performance.now();
      await stack.startService(service);
      down = undefined;
      outage.upAt = since();
      outage.restartMs = Math.round(performance.now() - restarting);
    }
  })();

  return {
    outages,
    downNow: () => down,
    async stop() {
      running = false;
      wake.abort();
      // The crash rate stays on while the run settles: a flaky function does not heal when outages end.
      await loop;
    },
  };
};
