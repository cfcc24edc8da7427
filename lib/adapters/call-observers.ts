// Lets `npm run bench` and tests watch every AWS call the adapters make (count it, time it) through
// real SDK middleware, with no mocks and no cost when nobody watches.
import type { MiddlewareStack } from '@smithy/types';

export interface ObservableClient {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  middlewareStack: MiddlewareStack<any, any>;
}

type Observer = (client: ObservableClient) => void;

const clients: ObservableClient[] = [];
const observers: Observer[] = [];

/** Registers an adapter's client; observers added before or after it both see its calls. */
export const observed = <C extends ObservableClient>(client: C): C => {
  clients.push(client);
  observers.forEach((observe) => observe(client));
  return client;
};

/** `observe` gets each adapter client once, to add its own middleware to the client's stack. */
export const observeAwsClients = (observe: Observer): void => {
  observers.push(observe);
  clients.forEach((client) => observe(client));
};
