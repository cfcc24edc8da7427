// The one clock: every use case gets the time through its `now` dependency, wired from here (lib/wiring.ts).
export const now = (): Date => new Date();
