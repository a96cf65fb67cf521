import type { FakeSlackApi, RecordedCall } from '../../helpers/fake-slack-api';
import { eventCallback, postEvent, postInteraction, TEST_SIGNING_SECRET } from '../../helpers/slack-signing';

/**
 * People in a Slack workspace talking to marsbot over HTTP (Events API and interactivity, signed
 * with the app's signing secret), and what marsbot posted as the fake Web API recorded it.
 */

export { TEST_SIGNING_SECRET };

export interface SlackMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  blocks: any[];
  text: string;
}

export interface SlackButton {
  actionId: string;
  blockId: string;
  value: string;
  label: string;
}

let counter = 0;
const nextTs = (): string => `1700001${String(counter++).padStart(3, '0')}.000100`;

/** Every mrkdwn / plain text a person reads in a message or a view. */
function slackText(node: unknown): string {
  const parts: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== 'object') return;
    const element = value as Record<string, unknown>;
    if ((element['type'] === 'mrkdwn' || element['type'] === 'plain_text') && typeof element['text'] === 'string') parts.push(element['text']);
    Object.values(element).forEach(walk);
  };
  walk(node);
  return parts.join('\n');
}

export function postedMessages(api: FakeSlackApi, channel?: string): SlackMessage[] {
  return api
    .callsTo('chat.postMessage')
    .filter((c: RecordedCall) => channel === undefined || c.args['channel'] === channel)
    .map((c) => ({
      channel: String(c.args['channel']),
      ts: String(c.response?.['ts'] ?? ''),
      ...(c.args['thread_ts'] ? { threadTs: String(c.args['thread_ts']) } : {}),
      blocks: (c.args['blocks'] as any[]) ?? [],
      text: `${String(c.args['text'] ?? '')}\n${slackText(c.args['blocks'] ?? [])}`,
    }));
}

/** The buttons of a message whose value decodes to an action matching `matches` (newest message first). */
export function findButton(messages: SlackMessage[], matches: (value: Record<string, unknown>) => boolean): { message: SlackMessage; button: SlackButton } {
  for (const message of [...messages].reverse()) {
    for (const block of message.blocks.filter((b) => b.type === 'actions')) {
      for (const element of block.elements ?? []) {
        if (typeof element.value !== 'string') continue;
        let value: Record<string, unknown>;
        try {
          value = JSON.parse(element.value) as Record<string, unknown>;
        } catch {
          continue;
        }
        if (matches(value)) {
          return { message, button: { actionId: element.action_id, blockId: block.block_id, value: element.value, label: element.text?.text ?? '' } };
        }
      }
    }
  }
  throw new Error(`no such button in: ${messages.map((m) => m.text).join(' | ')}`);
}

export class SlackWorkspace {
  constructor(
    private readonly api: FakeSlackApi,
    private readonly eventsUrl: () => string,
  ) {}

  /** A direct message from `user` in their DM with the bot. */
  async dm(user: string, channel: string, text: string): Promise<void> {
    const ts = nextTs();
    const response = await postEvent(
      this.eventsUrl(),
      eventCallback({ type: 'message', channel, channel_type: 'im', user, text, ts, event_ts: ts }),
    );
    if (response.status !== 200) throw new Error(`events endpoint answered ${response.status}`);
  }

  /** The block_actions payload Slack sends when `user` clicks `button` on `message`. */
  clickPayload(user: string, message: SlackMessage, button: SlackButton, triggerId = `trigger-${counter++}`): Record<string, unknown> {
    return {
      type: 'block_actions',
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T1' },
      api_app_id: 'A1',
      token: 'legacy',
      team: { id: 'T1', domain: 'test' },
      trigger_id: triggerId,
      container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false, ...(message.threadTs ? { thread_ts: message.threadTs } : {}) },
      channel: { id: message.channel, name: 'x' },
      message: { type: 'message', user: 'UBOT', bot_id: 'BBOT', ts: message.ts, text: '', blocks: message.blocks, ...(message.threadTs ? { thread_ts: message.threadTs } : {}) },
      actions: [{ type: 'button', action_id: button.actionId, block_id: button.blockId, value: button.value, text: { type: 'plain_text', text: button.label }, action_ts: nextTs() }],
    };
  }

  async click(user: string, message: SlackMessage, button: SlackButton, triggerId?: string, url = this.eventsUrl()): Promise<void> {
    const response = await postInteraction(url, this.clickPayload(user, message, button, triggerId));
    if (response.status !== 200) throw new Error(`interactivity endpoint answered ${response.status}`);
  }

  /** The view_submission Slack sends when `user` fills in and submits the modal marsbot opened. */
  submissionPayload(user: string, view: any, inputs: { description: string; urgency: string }): Record<string, unknown> {
    const values: Record<string, Record<string, unknown>> = {};
    for (const block of (view.blocks ?? []).filter((b: any) => b.type === 'input')) {
      const element = block.element;
      if (element.type === 'plain_text_input') {
        values[block.block_id] = { [element.action_id]: { type: 'plain_text_input', value: inputs.description } };
      } else if (element.type === 'static_select') {
        const option = element.options.find((o: any) => o.value === inputs.urgency);
        values[block.block_id] = { [element.action_id]: { type: 'static_select', selected_option: option ?? null } };
      }
    }
    return {
      type: 'view_submission',
      team: { id: 'T1', domain: 'test' },
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T1' },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: `trigger-${counter++}`,
      view: { id: `VMODAL${counter++}`, type: 'modal', callback_id: view.callback_id, private_metadata: view.private_metadata ?? '', hash: 'h', state: { values } },
      response_urls: [],
    };
  }

  async submit(payload: Record<string, unknown>, url = this.eventsUrl()): Promise<{ status: number; text: string }> {
    return postInteraction(url, payload);
  }
}
