import { cardButtons, type CardButton } from '../../helpers/adaptive-card-validator';
import { teamsMessage, type FakeBotConnector, type PostedActivity } from '../../helpers/fake-bot-connector';

/**
 * A person in a Teams conversation, as the Bot Connector delivers their messages and button
 * presses to whichever marsbot instance `botUrl()` names; what the bot posts back is read from the
 * FakeBotConnector the activities name as their serviceUrl.
 */

interface TeamsPerson {
  id: string;
  name: string;
  aadObjectId?: string;
}

export interface TeamsConversationOptions {
  conversationId: string;
  conversationType?: 'personal' | 'channel';
  from?: TeamsPerson;
  locale?: string;
}

/** Every text a person reads in a posted activity: its plain text and all texts on its cards. */
export function readableText(posted: PostedActivity): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'text' && typeof value === 'string') texts.push(value);
      else walk(value);
    }
  };
  walk(posted.activity);
  return texts.join(' ');
}

export class TeamsConversation {
  constructor(
    private readonly connector: FakeBotConnector,
    private readonly botUrl: () => string,
    private readonly options: TeamsConversationOptions,
  ) {}

  get id(): string {
    return this.options.conversationId;
  }

  /** Messages the bot posted here, replies into this conversation's threads included. */
  messages(): PostedActivity[] {
    const root = this.id.split(';')[0]!;
    return this.connector.messages().filter((m) => m.conversationId === this.id || m.conversationId.split(';')[0] === root);
  }

  texts(): string[] {
    return this.messages().map(readableText);
  }

  /** The activity Teams would deliver for a typed message or a card submit (`value`). */
  activity(content: { text?: string; value?: unknown; mentionBot?: boolean }, serviceUrl = this.connector.url): Record<string, unknown> {
    const base = teamsMessage({
      serviceUrl,
      conversationId: this.id,
      conversationType: this.options.conversationType ?? 'personal',
      locale: this.options.locale ?? 'en-US',
      ...content,
    });
    return this.options.from ? { ...base, from: this.options.from } : base;
  }

  /** POSTs an activity to /api/messages; resolves when marsbot answered the HTTP request (its turn is done). */
  async deliver(activity: Record<string, unknown>): Promise<number> {
    const response = await fetch(`${this.botUrl()}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(activity),
    });
    await response.arrayBuffer();
    return response.status;
  }

  /** Sends and returns the messages the bot posted in answer. */
  async send(content: { text?: string; value?: unknown; mentionBot?: boolean }): Promise<PostedActivity[]> {
    const before = this.messages().length;
    const status = await this.deliver(this.activity(content));
    if (status >= 300) throw new Error(`marsbot answered ${status} to ${JSON.stringify(content)}`);
    return this.messages().slice(before);
  }

  say(text: string): Promise<PostedActivity[]> {
    return this.send({ text });
  }

  /** The newest button on the bot's cards here whose submit data matches. */
  button(matches: (action: Record<string, unknown>) => boolean): CardButton {
    const buttons = this.messages()
      .flatMap((m) => (m.activity.attachments ?? []).flatMap((a) => cardButtons(a.content)))
      .filter((b) => b.type === 'Action.Submit' && matches((b.data as { marsbot?: Record<string, unknown> }).marsbot ?? {}));
    const newest = buttons[buttons.length - 1];
    if (!newest) throw new Error(`no such button; the bot posted: ${this.texts().join(' | ')}`);
    return newest;
  }

  /** Presses a card button; for the escalation form, `inputs` are the form fields Teams adds to the data. */
  press(button: CardButton, inputs: Record<string, string> = {}): Promise<PostedActivity[]> {
    return this.send({ value: { ...(button.data as object), ...inputs } });
  }
}
