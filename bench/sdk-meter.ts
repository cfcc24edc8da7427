// Counts and times every AWS call the handlers make, through an SDK middleware on the adapters' own clients.
import { observeAwsClients } from '../lib/adapters/call-observers.ts';

export interface CallWindow {
  /** `Service.Command` per call, in the order they were sent. */
  calls: string[];
  /** Wall time while at least one call was in flight (overlapping calls counted once). */
  wallMs: number;
  /** This process's CPU time in that same window: the SDK's own work (serialize, sign, parse). */
  cpuMs: number;
}

type Listener = (call: string, input: Record<string, unknown>) => void;

const serviceOf = (clientName: string | undefined): string => (clientName ?? 'Unknown').replace(/(DocumentClient|Client)$/, '');

let window: CallWindow = { calls: [], wallMs: 0, cpuMs: 0 };
let inFlight = 0;
let wallStart = 0;
let cpuStart = process.cpuUsage();
const listeners: Listener[] = [];
let installed = false;

const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

type Send = (...args: unknown[]) => Promise<unknown>;

/**
 * Names each call with a middleware at `initialize`, so one send is one call however often the SDK retries it, and
 * times the whole `send()`: the SDK builds each command's middleware chain (and the document client marshals its
 * input) before `initialize` runs, and that work is the SDK's, not the handler's.
 */
export const installMeter = (): void => {
  if (installed) return;
  installed = true;
  observeAwsClients((client) => {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const call = `${serviceOf(context.clientName)}.${String(context.commandName).replace(/Command$/, '')}`;
        window.calls.push(call);
        listeners.forEach((listen) => listen(call, args.input as Record<string, unknown>));
        return next(args);
      },
      { step: 'initialize', priority: 'high', name: 'benchMeter' },
    );
    const timed = client as unknown as { send: Send };
    const send = timed.send.bind(client);
    timed.send = async (...args) => {
      if (inFlight++ === 0) {
        wallStart = performance.now();
        cpuStart = process.cpuUsage();
      }
      try {
        return await send(...args);
      } finally {
        if (--inFlight === 0) {
          window.wallMs += performance.now() - wallStart;
          window.cpuMs += cpuMsSince(cpuStart);
        }
      }
    };
  });
};

/** Starts a fresh window and returns the one that just ended. */
export const takeWindow = (): CallWindow => {
  const ended = window;
  window = { calls: [], wallMs: 0, cpuMs: 0 };
  return ended;
};

/** Sees each call's input (the bench reads invite links out of the emails it sends). */
export const onCall = (listener: Listener): void => {
  listeners.push(listener);
};

/** `{ 'DynamoDB.Get': 2, ... }` in first-seen order. */
export const tally = (calls: readonly string[]): Record<string, number> =>
  calls.reduce<Record<string, number>>((counts, call) => ({ ...counts, [call]: (counts[call] ?? 0) + 1 }), {});
