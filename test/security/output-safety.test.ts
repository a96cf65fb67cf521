import { JSDOM } from 'jsdom';
import type * as AdaptiveCardsModule from 'adaptivecards';
import { renderAdaptiveCard } from '../../src/replies/render-adaptive-card';
import { renderBlockKit } from '../../src/replies/render-block-kit';
import type { Reply } from '../../src/replies/reply';
import { createMemoryStore } from '../../src/storage/memory-store';
import { buildSupportSummary } from '../../src/support/ticket-replies';
import { createInbound } from '../helpers/create-inbound';
import { FakeBotConnector, teamsMessage } from '../helpers/fake-bot-connector';
import type { Marsbot } from '../../src/create-marsbot';
import { buildMarsbot } from '../helpers/start-marsbot';
import { ticketInput } from '../support/ticket-fixtures';
import { startHardenedMarsbot, webMessage, webReplies, type HardenedMarsbot } from './hardened-marsbot';

/**
 * Text that users control — their display name, their description of the problem, the transcript —
 * is shown back in cards: to themselves (the greeting) and to the support team (the ticket). It must
 * show exactly as typed and never become a link, an image, a mention or a channel-wide ping.
 */

const EVIL = 'evil.example';
// The greeting uses the first word of the display name, so each payload is a single "word".
const CARD_PAYLOADS = [
  '<at>Everyone</at>',
  '[Reset-your-password](https://evil.example/login)',
  '![pixel](https://evil.example/p.png)',
  '<img/src=x/onerror=alert(1)>',
  '<script>alert(1)</script>',
];
// The knowledge base's **bold** marks apply to any text: this one is shown bold, but still only as text.
const BOLD_PAYLOAD = { typed: '**[bold-link](http://evil.example)**', shown: '[bold-link](http://evil.example)' };
const SLACK_PAYLOADS = ['<!channel>', '<!here|here>', '<@U0123ABCD>', '<http://evil.example|Click-here>', '<#C0123|general>', '<!subteam^S0123>'];

type Json = Record<string, unknown>;

function walk(node: unknown, visit: (element: Json) => void): void {
  if (Array.isArray(node)) node.forEach((child) => walk(child, visit));
  else if (node && typeof node === 'object') {
    visit(node as Json);
    for (const value of Object.values(node as Json)) walk(value, visit);
  }
}

/** Where the payload appears in the card: which element types carry it, and which URLs the card links to. */
function inspectCard(card: unknown, payload: string): { carriers: string[]; urls: string[] } {
  const carriers: string[] = [];
  const urls: string[] = [];
  walk(card, (element) => {
    for (const [key, value] of Object.entries(element)) {
      if (typeof value === 'string' && value.includes(payload)) carriers.push(`${String(element['type'])}.${key}`);
      if ((key === 'url' || key === 'iconUrl' || key === 'backgroundImage') && typeof value === 'string') urls.push(value);
    }
  });
  return { carriers, urls };
}

function expectInertInCard(card: unknown, payload: string): void {
  const { carriers, urls } = inspectCard(card, payload);
  // Shown (inside a TextRun, which hosts never read as Markdown), nowhere else.
  expect(carriers.length).toBeGreaterThan(0);
  expect(new Set(carriers)).toEqual(new Set(['TextRun.text']));
  expect(urls.filter((u) => u.includes(EVIL))).toEqual([]);
  expect(JSON.stringify(card)).not.toMatch(/"msteams":\{[^}]*"entities"/);
}

// ------------------------------------------------------------------------------------------------
// The Adaptive Cards renderer in a DOM, with a host that turns Markdown into links as Teams does.

let AC: typeof AdaptiveCardsModule;
let dom: JSDOM;
let globals: string[] = [];

beforeAll(() => {
  dom = new JSDOM('<!doctype html><html><body></body></html>');
  // jsdom has no innerText; the renderer writes TextRuns through it.
  Object.defineProperty(dom.window.HTMLElement.prototype, 'innerText', {
    configurable: true,
    get(this: HTMLElement) {
      return this.textContent;
    },
    set(this: HTMLElement, value: string) {
      this.textContent = value;
    },
  });
  const g = globalThis as Record<string, unknown>;
  const win = dom.window as unknown as Record<string, unknown>;
  globals = ['window', 'document', 'navigator', 'Node', 'Element', 'Event', 'KeyboardEvent', 'MouseEvent', 'getComputedStyle',
    ...Object.getOwnPropertyNames(dom.window).filter((name) => name.startsWith('HTML'))].filter((name) => !(name in g));
  for (const name of globals) g[name] = win[name];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  AC = require('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCardsModule;
  AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = text
      .replace(/!\[([^\]]*)\]\(([^)]+)\)/g, '<img alt="$1" src="$2">')
      .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '<a href="$2">$1</a>')
      .replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>');
    result.didProcess = true;
  };
});
afterAll(() => {
  const g = globalThis as Record<string, unknown>;
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- undoing the globals this file installed, by name
  for (const name of globals) delete g[name];
  dom.window.close();
});

function renderInHost(card: unknown): HTMLElement {
  const adaptiveCard = new AC.AdaptiveCard();
  adaptiveCard.parse(card);
  return adaptiveCard.render()!;
}

function expectInertWhenRendered(card: unknown, payload: string): void {
  const element = renderInHost(card);
  const links = [...element.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? '');
  expect(links.filter((href) => href.includes(EVIL))).toEqual([]);
  expect(element.querySelectorAll('img, script, iframe')).toHaveLength(0);
  expect(element.textContent).toContain(payload);
}

it('the host used here does turn Markdown into links: the checks below would catch a leak', () => {
  const leaky = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: '[x](https://evil.example/a)' }] };
  expect(renderInHost(leaky).querySelector('a')?.getAttribute('href')).toBe('https://evil.example/a');
});

// ------------------------------------------------------------------------------------------------

let bot: HardenedMarsbot;
let connector: FakeBotConnector;

beforeAll(async () => {
  connector = await new FakeBotConnector().start();
  bot = await startHardenedMarsbot();
});
afterAll(async () => {
  await bot.stop();
  await connector.stop();
});

describe('Adaptive Cards (web chat and Teams)', () => {
  it.each(CARD_PAYLOADS)('web chat: a display name %s is greeted literally, as inert text', async (payload) => {
    const replies = await webReplies(await bot.postWeb(webMessage('hello', { userName: payload, conversationId: `safety-${Buffer.from(payload).toString('hex').slice(0, 40)}` })));
    const greeting = replies[0]!.card;
    expectInertInCard(greeting, payload);
    expectInertWhenRendered(greeting, payload);
  });

  it.each(CARD_PAYLOADS)('Teams: a display name %s is greeted literally, with no mention entities on the message', async (payload) => {
    connector.clear();
    const activity = teamsMessage({ serviceUrl: connector.url, text: 'hello', conversationId: `a:safety-${Buffer.from(payload).toString('hex').slice(0, 40)}` });
    activity['from'] = { id: '29:mallory', name: payload };
    expect((await bot.postActivity(activity)).status).toBe(200);
    const posted = connector.messages()[0]!.activity;
    expect(posted['entities'] ?? []).toEqual([]);
    expect(posted.text ?? '').not.toContain(payload);
    const card = posted.attachments![0]!.content;
    expectInertInCard(card, payload);
    expectInertWhenRendered(card, payload);
  });

  it('web chat and Teams: bold marks around a link make bold text, not a link', async () => {
    const replies = await webReplies(await bot.postWeb(webMessage('hello', { userName: BOLD_PAYLOAD.typed, conversationId: 'safety-bold-0001' })));
    expectInertInCard(replies[0]!.card, BOLD_PAYLOAD.shown);
    expectInertWhenRendered(replies[0]!.card, BOLD_PAYLOAD.shown);
  });

  it('a ticket card for the support team shows a hostile description, name and transcript literally', async () => {
    const payload = '<at>Support</at> [Approve-refund](https://evil.example/pay)';
    const { ticket } = await createMemoryStore().createTicket(
      ticketInput({ userName: payload, description: payload, transcript: [{ from: 'user', text: payload, at: 1 }] }),
      1_736_150_000_000,
    );
    for (const reply of buildSupportSummary(ticket, 'nl')) {
      const card = renderAdaptiveCard(reply);
      expectInertInCard(card, payload);
      expectInertWhenRendered(card, payload);
    }
  });
});

// ------------------------------------------------------------------------------------------------

/** Every piece of mrkdwn in a Block Kit message, and the notification text. */
function mrkdwnTexts(message: { text: string; blocks: unknown[] }): string[] {
  const texts = [message.text];
  walk(message.blocks, (element) => {
    if (element['type'] === 'mrkdwn' && typeof element['text'] === 'string') texts.push(element['text']);
  });
  return texts;
}

function expectInertMrkdwn(replies: Reply[], payload: string): void {
  const texts = replies.flatMap((reply) => mrkdwnTexts(renderBlockKit(reply, { conversationId: 'D0123' })));
  const all = texts.join('\n');
  // Slack's control sequences all start with "<": none may survive; the escaped text is still there.
  expect(all).not.toContain('<');
  expect(all).toContain(payload.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

describe('Slack mrkdwn (Block Kit)', () => {
  let marsbot: Marsbot;
  beforeAll(async () => {
    marsbot = await buildMarsbot();
  });
  afterAll(() => marsbot.close());

  it.each(SLACK_PAYLOADS)('a display name %s cannot ping, mention or link from the greeting', async (payload) => {
    const replies = await marsbot.engine.handle(createInbound({ channel: 'slack', conversationId: `D-${payload}`, userName: payload, text: 'hello', locale: 'en-US' }));
    expectInertMrkdwn(replies, payload);
  });

  it('a ticket summary in the support channel cannot ping, mention or link, whatever the user wrote', async () => {
    const payload = SLACK_PAYLOADS.join(' ');
    const { ticket } = await createMemoryStore().createTicket(
      ticketInput({ channel: 'slack', userName: payload, description: payload, transcript: [{ from: 'user', text: payload, at: 1 }] }),
      1_736_150_000_000,
    );
    expectInertMrkdwn(buildSupportSummary(ticket, 'nl'), payload);
  });
});
