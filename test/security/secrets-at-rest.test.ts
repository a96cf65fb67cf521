import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import { configureLogging } from '../../src/shared/logger';
import { createMemoryStore } from '../../src/storage/memory-store';
import { createPostgresStore } from '../../src/storage/postgres-store';
import { createSqliteStore } from '../../src/storage/sqlite-store';
import type { Store } from '../../src/storage/store';
import { startWebhookReceiver, type WebhookReceiver } from '../e2e/support/webhook-receiver';
import { TeamsConversation } from '../e2e/support/teams-conversation';
import { FakeBotConnector, type PostedActivity } from '../helpers/fake-bot-connector';
import { startFakeSlackApi, type FakeSlackApi } from '../helpers/fake-slack-api';
import { createTestSchema, postgresTestsAvailable, startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { eventCallback, postEvent } from '../helpers/slack-signing';
import { startFullMarsbot, TEAMS_SUPPORT_CONVERSATION, type FullMarsbot } from './full-marsbot';

/**
 * Issue 9, item 4: a conversation full of secrets — every kind, in Dutch and English, in Teams,
 * Slack and the web chat, two of them escalated to tickets — and then every place the text could
 * rest is searched for them: every table and column of the database (and, for SQLite, the raw
 * bytes of the file and its WAL), every log line at trace level with LOG_MESSAGE_TEXT on, every
 * webhook body, every support post and every reply the bot sent. Zero hits on memory, SQLite and
 * PostgreSQL. The same search does find the non-secret words of the messages, so it is looking
 * in the right places.
 */

const STORAGE_KEY = 'S5lw41ZGlbXPgm1UWT171wG48x7yLxtpZICDlQBQmBXPaDgyjrzW4URviXLB+XssjRnpai/vHsLUbXXYYqmyCA';
const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL2FwaS5ib3RmcmFtZXdvcmsuY29tIiwiZXhwIjoxNzM2MTUwMDAwfQ.y97wXEdpG5rUQT2-MlR7X27PQtpGYwLtWuzN31A_0OZK-pzK6Gka_JiW8rWUPqLkTAYRXeyu4P5_E4zLqAHa1A';

/** Every secret the users paste below, by what it is. Multi-word ones are also searched word by word. */
const SECRETS = {
  dutchPassphrase: 'Rode-Fiets-8842',
  passphraseInCaps: 'correct horse battery staple',
  passphraseInEscalationMessage: 'Blauwe-Tulp-4471',
  proxyUrlPassword: 'Pw0rd-Proxy!',
  proxyPassword: 'Welkom2024!Zomer',
  passphraseInDescription: 'Kluis$Herstel_2025',
  sasSignature: 'AbCdEf0123456789xYzAbCdEf0123456789xYzAb',
  englishPassphrase: 'Sea-Lion-Harbour-5521',
  storageKey: STORAGE_KEY,
  databasePassword: 'Db-Secret-2024',
  powershellPassword: 'Lente_2025$Kantoor',
  pin: '84721963',
  wwPassword: 'Winter-Zon-2024',
  vaultCertificate: '0eO3qYZQWcCDPCWAMnoOcmq+XBjAMN6mZ4LP6HHKP9H26O+FmFKZSDlvifmnpEpjpFgAEhbZ',
  vaultIntegrityKey: 'Zmx1ZmZ5LWtleS0xMjM0NTY3ODkw',
  pinInDescription: '30718245',
  clientSecret: 'Xy98Q~aB3dE6gH9jK2mN5pQ8sT1vW4yZ7b0-._~',
  jwtSignature: JWT.split('.')[2]!,
  slackToken: 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx',
  slackPassphrase: 'zeven paarse olifanten dansen',
};

/** What must be searched for: each secret whole, and each word of 5+ letters of a multi-word one. */
const NEEDLES = Object.entries(SECRETS).flatMap(([name, secret]) => [
  { name, needle: secret },
  ...(secret.includes(' ') ? secret.split(' ').filter((w) => w.length >= 5 && !['correct', 'battery'].includes(w)).map((w) => ({ name: `${name} (word)`, needle: w })) : []),
]);

const TEAMS_MESSAGES = [
  `Fout 34506 bij registreren. Mijn wachtwoordzin is ${SECRETS.dutchPassphrase}, klopt dat?`,
  `PASSPHRASE IS ${SECRETS.passphraseInCaps}`,
  `proxy: http://CONTOSO\\svc-backup:${SECRETS.proxyUrlPassword}@proxy.contoso.local:8080 geeft 407`,
  `het wachtwoord van de proxy is ${SECRETS.proxyPassword}`,
];
const TEAMS_COMBINED = `helpt niet, wachtwoordzin is ${SECRETS.passphraseInEscalationMessage}, ik wil een medewerker`;
const TEAMS_DESCRIPTION =
  `Passphrase:\n${SECRETS.passphraseInDescription}\nen de SAS-URL ` +
  `https://backupacct.blob.core.windows.net/c/b?sv=2022-11-02&sr=b&sig=${SECRETS.sasSignature}%3D geeft 403`;

const WEB_COMBINED = `didn't help, my passphrase is ${SECRETS.englishPassphrase}, I want a person`;
const WEB_MESSAGES = [
  `storage key: ${SECRETS.storageKey}\nDATABASE_URL=postgres://marsbot:${SECRETS.databasePassword}@db.contoso.local:5432/marsbot`,
  `$pass = "${SECRETS.powershellPassword}"\npincode: ${SECRETS.pin}\nww: ${SECRETS.wwPassword}`,
  '<?xml version="1.0" encoding="utf-8"?>\n<VaultCredentials xmlns="http://schemas.microsoft.com/2013/Backup">\n' +
    `  <ResourceName>vault01</ResourceName>\n  <ManagementCert>${SECRETS.vaultCertificate}</ManagementCert>\n` +
    `  <ChannelIntegrityKey>${SECRETS.vaultIntegrityKey}</ChannelIntegrityKey>\n</VaultCredentials>\nerror 34513 with this file`,
];
const WEB_DESCRIPTION = `My security PIN is ${SECRETS.pinInDescription}; the app secret is ${SECRETS.clientSecret}`;

const SLACK_MESSAGES = [
  `Authorization: Bearer ${JWT} gives 401`,
  `SLACK_BOT_TOKEN=${SECRETS.slackToken}`,
  `passphrase: ${SECRETS.slackPassphrase}`,
];

class LogCapture extends Writable {
  readonly chunks: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.chunks.push(chunk.toString('utf8'));
    done();
  }
  get text(): string {
    return this.chunks.join('');
  }
}

/**
 * The memory store has no file to read: every value handed to it is recorded instead (the outbox
 * drafts a ticket write produces included), which is everything it could hold.
 */
function recordingStore(inner: Store, written: string[]): Store {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const member = Reflect.get(target, property, receiver) as unknown;
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        const recorded = args.map((arg) =>
          typeof arg === 'function'
            ? (...inner: unknown[]) => {
                const drafts = (arg as (...a: unknown[]) => unknown)(...inner);
                written.push(JSON.stringify(drafts));
                return drafts;
              }
            : arg,
        );
        written.push(JSON.stringify(args.filter((arg) => typeof arg !== 'function')) ?? '');
        return (member as (...a: unknown[]) => unknown).apply(target, recorded);
      };
    },
  });
}

interface Haystacks {
  database: string;
  databaseFile?: string;
  logs: string;
  webhooks: string;
  supportPosts: string;
  replies: string;
}

interface Tools {
  connector: FakeBotConnector;
  slackApi: FakeSlackApi;
  receiver: WebhookReceiver;
}

const WEBHOOK_SECRET = 'webhook-secret-for-the-scan';

async function webPost(bot: FullMarsbot, body: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${bot.url}/api/web/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`web chat answered ${response.status}: ${text}`);
  return text;
}

const hasForm = (posted: PostedActivity[]): boolean => JSON.stringify(posted).includes('escalate-submit');

/** The three users' conversations; returns what the web chat answered (its replies travel in HTTP responses). */
async function converse(bot: FullMarsbot, tools: Tools): Promise<string[]> {
  const { connector, slackApi } = tools;
  const anne = new TeamsConversation(connector, () => bot.url, { conversationId: 'a:secrets-anne', locale: 'nl-NL' });
  for (const text of TEAMS_MESSAGES) await anne.say(text);
  const afterCombined = await anne.say(TEAMS_COMBINED);
  if (!hasForm(afterCombined)) await anne.say('ik wil een medewerker spreken');
  const submit = anne.button((a) => a['type'] === 'escalate-submit');
  const confirmation = await anne.press(submit, { escalationDescription: TEAMS_DESCRIPTION, escalationUrgency: 'high' });
  expect(JSON.stringify(confirmation)).toMatch(/MARS-\d+/);

  const web: string[] = [];
  const who = { conversationId: 'secrets-web-0001', userId: 'secrets-user-01', locale: 'en-US' };
  web.push(await webPost(bot, { ...who, text: WEB_COMBINED }));
  for (const text of WEB_MESSAGES) web.push(await webPost(bot, { ...who, text }));
  web.push(await webPost(bot, { ...who, text: 'I want to talk to a person' }));
  web.push(
    await webPost(bot, {
      ...who,
      value: { marsbot: { type: 'escalate-submit' }, escalationDescription: WEB_DESCRIPTION, escalationUrgency: 'normal', escalationName: 'Sam Jansen', escalationEmail: 'sam.jansen@contoso.com' },
    }),
  );
  expect(web[web.length - 1]).toMatch(/MARS-\d+/);

  slackApi.setUser('U1', { name: 'jan', realName: 'Jan de Boer', locale: 'en-US' });
  for (const [i, text] of SLACK_MESSAGES.entries()) {
    const before = slackApi.callsTo('chat.postMessage').length;
    const ts = `1700002${i}00.000100`;
    const res = await postEvent(`${bot.url}/slack/events`, eventCallback({ type: 'message', channel: 'D100', channel_type: 'im', user: 'U1', text, ts, event_ts: ts }));
    expect(res.status).toBe(200);
    await slackApi.waitFor((api) => api.callsTo('chat.postMessage').length > before);
  }

  // Deliver every support post and webhook event.
  for (let round = 0; round < 50 && tools.receiver.received.filter((r) => r.event === 'ticket.created').length < 2; round += 1) {
    await bot.outbox.runOnce();
  }
  expect(tools.receiver.received.filter((r) => r.event === 'ticket.created')).toHaveLength(2);
  return web;
}

function gather(tools: Tools, web: string[], logs: string, database: string, databaseFile?: string): Haystacks {
  const supportPosts = tools.connector.messages(TEAMS_SUPPORT_CONVERSATION).map((m) => JSON.stringify(m.activity));
  const replies = [
    ...tools.connector.posted.map((p) => JSON.stringify(p.activity)),
    ...tools.slackApi.calls.map((c) => JSON.stringify(c.args)),
    ...tools.slackApi.responsePosts.map((p) => JSON.stringify(p)),
    ...web,
  ];
  return {
    database,
    ...(databaseFile !== undefined ? { databaseFile } : {}),
    logs,
    webhooks: tools.receiver.received.map((r) => JSON.stringify(r.body)).join('\n'),
    supportPosts: supportPosts.join('\n'),
    replies: replies.join('\n'),
  };
}

/** JSON encodes some characters of the secrets ("\u0026" for & in some writers); look for both forms. */
function forms(needle: string): string[] {
  return [...new Set([needle, JSON.stringify(needle).slice(1, -1)])];
}

function hits(haystacks: Haystacks): string[] {
  const found: string[] = [];
  for (const [where, haystack] of Object.entries(haystacks) as [string, string | undefined][]) {
    if (haystack === undefined) continue;
    for (const { name, needle } of NEEDLES) {
      if (forms(needle).some((form) => haystack.includes(form))) found.push(`${name} in ${where}`);
    }
  }
  return found;
}

/** The search looks in the right places: the words around the secrets are there, and so are the markers. */
function expectTheScanSeesTheConversation(h: Haystacks): void {
  expect(h.database).toContain('Fout 34506 bij registreren');
  expect(h.database).toContain('[redacted:passphrase]');
  expect(h.database).toContain('error 34513 with this file');
  expect(h.database).toContain('SLACK_BOT_TOKEN=[redacted:slack-token]');
  expect(h.logs).toContain('Fout 34506 bij registreren. Mijn wachtwoordzin is [redacted:passphrase]');
  expect(h.webhooks).toContain('[redacted:passphrase]');
  expect(h.webhooks).toContain('[redacted:sas-token]');
  expect(h.supportPosts).toContain('[redacted:');
  expect(h.replies.length).toBeGreaterThan(1000);
}

function scanSqlite(path: string): { rows: string; bytes: string } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    const rows = tables.map(({ name }) => JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all())).join('\n');
    const bytes = ['', '-wal', '-shm', '-journal']
      .map((suffix) => `${path}${suffix}`)
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file).toString('latin1') + readFileSync(file).toString('utf8'))
      .join('\n');
    return { rows, bytes };
  } finally {
    db.close();
  }
}

async function scanPostgres(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['documents', 'tickets', 'outbox', 'interactions']));
    const dumps: string[] = [];
    for (const { table_name: table } of tables.rows) {
      const result = await client.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table}" t`);
      dumps.push(...result.rows.map((r) => r.row));
    }
    return dumps.join('\n');
  } finally {
    await client.end();
  }
}

let tools: Tools;
let logs: LogCapture;
let dir: string;

beforeAll(async () => {
  tools = {
    connector: await new FakeBotConnector().start(),
    slackApi: await startFakeSlackApi(),
    receiver: await startWebhookReceiver(WEBHOOK_SECRET),
  };
  dir = mkdtempSync(join(tmpdir(), 'marsbot-secrets-'));
});

afterAll(async () => {
  await tools.connector.stop();
  await tools.slackApi.close();
  await tools.receiver.close();
  configureLogging({ level: 'silent' });
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  tools.connector.clear();
  tools.slackApi.reset();
  tools.receiver.received.length = 0;
  logs = new LogCapture();
  // Before marsbot is built: every module takes its logger from this root.
  configureLogging({ level: 'trace', destination: logs });
});

async function run(store: Store): Promise<{ bot: FullMarsbot; web: string[] }> {
  const bot = await startFullMarsbot({ store, connectorUrl: tools.connector.url, slackApiUrl: tools.slackApi.apiUrl, webhook: { url: tools.receiver.url, secret: WEBHOOK_SECRET } });
  try {
    return { bot, web: await converse(bot, tools) };
  } catch (err) {
    await bot.stop();
    throw err;
  }
}

describe('no secret from a conversation rests anywhere', () => {
  it('on the memory store: nothing handed to the store, logged, posted or sent holds a secret', async () => {
    const written: string[] = [];
    const store = recordingStore(createMemoryStore(), written);
    const { bot, web } = await run(store);
    await bot.stop();
    const haystacks = gather(tools, web, logs.text, written.join('\n'));
    expect(hits(haystacks)).toEqual([]);
    expectTheScanSeesTheConversation(haystacks);
  });

  it('on SQLite: every table and column, and the raw bytes of the database file and its WAL', async () => {
    const path = join(dir, 'marsbot.db');
    const store = createSqliteStore(path);
    const { bot, web } = await run(store);
    // While it runs, recent writes live in the WAL.
    const live = scanSqlite(path);
    expect(existsSync(`${path}-wal`)).toBe(true);
    await bot.stop();
    await store.close();
    const closed = scanSqlite(path);
    const haystacks = gather(tools, web, logs.text, `${live.rows}\n${closed.rows}`, `${live.bytes}\n${closed.bytes}`);
    expect(hits(haystacks)).toEqual([]);
    expectTheScanSeesTheConversation(haystacks);
    expect(haystacks.databaseFile).toContain('Fout 34506 bij registreren');
  });

  const pgAvailable = postgresTestsAvailable('the PostgreSQL secrets scan');
  (pgAvailable ? describe : describe.skip)('on PostgreSQL', () => {
    let postgres: TestPostgres;
    beforeAll(async () => {
      postgres = await startTestPostgres();
    }, 120_000);
    afterAll(async () => {
      await postgres?.stop();
    });

    it('every table and column of the schema', async () => {
      const schema = await createTestSchema(postgres.url);
      const store = await createPostgresStore(schema.url);
      try {
        const { bot, web } = await run(store);
        await bot.stop();
        const haystacks = gather(tools, web, logs.text, await scanPostgres(schema.url));
        expect(hits(haystacks)).toEqual([]);
        expectTheScanSeesTheConversation(haystacks);
      } finally {
        await store.close();
        await schema.drop();
      }
    }, 60_000);
  });
});
