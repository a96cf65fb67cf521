import type { Clock } from '../../src/support/clock';

/** A clock that only moves when a test says so: backoff and leases are tested without waiting. */
export class FakeClock implements Clock {
  constructor(private current = Date.UTC(2025, 0, 6, 9, 0, 0)) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(epochMs: number): void {
    this.current = epochMs;
  }
}
