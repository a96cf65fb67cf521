import type { Engine } from '../../src/conversation/engine';
import type { Inbound } from '../../src/conversation/inbound';
import type { Reply } from '../../src/replies/reply';

/** An Engine that records every turn and answers with fixed (or computed) replies. */
export class FakeEngine implements Engine {
  readonly calls: Inbound[] = [];

  constructor(private readonly answer: Reply[] | ((inbound: Inbound) => Reply[] | Promise<Reply[]>) = []) {}

  async handle(inbound: Inbound): Promise<Reply[]> {
    this.calls.push(inbound);
    return typeof this.answer === 'function' ? this.answer(inbound) : this.answer;
  }
}
