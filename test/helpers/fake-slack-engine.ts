import type { Engine } from '../../src/conversation/engine';
import type { Inbound } from '../../src/conversation/inbound';
import type { Reply } from '../../src/replies/reply';

/**
 * A recording Engine for Slack adapter tests that are about the adapter, not the answers:
 * failures, odd payloads, exact reply shapes. Conversation tests use the real engine.
 */
export class FakeSlackEngine implements Engine {
  readonly inbounds: Inbound[] = [];

  constructor(private readonly respond: (inbound: Inbound) => Reply[] | Promise<Reply[]> = defaultReplies) {}

  async handle(inbound: Inbound): Promise<Reply[]> {
    this.inbounds.push(inbound);
    return this.respond(inbound);
  }
}

function defaultReplies(inbound: Inbound): Reply[] {
  return [{ kind: 'notice', lang: 'en', text: [`heard: ${inbound.text ?? inbound.action?.type ?? ''}`] }];
}
