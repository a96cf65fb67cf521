import type { EscalationResult, SupportDesk, TicketReach } from '../../src/support/support-desk';
import type { Ticket, TicketInput } from '../../src/storage/store';

/**
 * A SupportDesk that keeps tickets in memory and records every escalate call, keyed by the
 * idempotency key like the real one. `failNext()` makes the next call throw, as an unreachable
 * database would.
 */
export class FakeSupportDesk implements SupportDesk {
  readonly calls: TicketInput[] = [];
  private readonly byKey = new Map<string, Ticket>();
  private nextNumber = 1042;
  private failures = 0;
  /** What the desk says about who will hear of a ticket; unset, it says nothing (the usual promise). */
  reach: TicketReach | undefined;

  get tickets(): Ticket[] {
    return [...this.byKey.values()];
  }

  failNext(times = 1): void {
    this.failures += times;
  }

  async escalate(input: TicketInput): Promise<EscalationResult> {
    this.calls.push(structuredClone(input));
    if (this.failures > 0) {
      this.failures--;
      throw new Error('support desk unavailable');
    }
    const existing = this.byKey.get(input.idempotencyKey);
    const reach = this.reach ? { reach: this.reach } : {};
    if (existing) return { ticket: existing, created: false, ...reach };
    const number = this.nextNumber++;
    const ticket: Ticket = { ...structuredClone(input), id: `MARS-${number}`, number, status: 'open', createdAt: 0, updatedAt: 0 };
    this.byKey.set(input.idempotencyKey, ticket);
    return { ticket, created: true, ...reach };
  }
}
