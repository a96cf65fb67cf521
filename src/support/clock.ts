/** Time as a port: the outbox backoff and ticket timestamps are tested with a fake clock. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
