import { Writable } from 'node:stream';
import { configureLogging, createLogger } from '../../src/shared/logger';
import { FakeBotConnector, teamsMessage } from '../helpers/fake-bot-connector';
import { startHardenedMarsbot, webMessage, webReplies } from './hardened-marsbot';

/**
 * Log lines go to log stores that many people can read: no credentials, no tokens, and by default
 * none of what users typed (they paste passphrases and credential files while troubleshooting).
 */

const BEARER = 'eyJhbGciOiJSUzI1NiIsImtpZCI6InRlc3QifQ.eyJpc3MiOiJodHRwczovL2V2aWwifQ.c2lnbmF0dXJlLXNlY3JldC12YWx1ZQ';
const PASSPHRASE = 'Sunfl0wer-Kluis-2025!';
const MESSAGE = `Fout 34506 bij Set-OBMachineSetting, mijn wachtwoordzin is ${PASSPHRASE} en nu?`;

class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
  records(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

let capture: LogCapture;
let connector: FakeBotConnector;

beforeAll(async () => {
  connector = await new FakeBotConnector().start();
});
afterAll(async () => {
  await connector.stop();
  configureLogging({ level: 'silent' });
});
beforeEach(() => {
  capture = new LogCapture();
  // Before the bot is built: every module takes its logger from this root.
  configureLogging({ level: 'trace', destination: capture });
});

describe('logs', () => {
  it('carry neither the bearer token of a refused Teams request nor a passphrase typed in a message', async () => {
    const bot = await startHardenedMarsbot({ credentials: { appId: 'app-id-1', appPassword: 'app-password-1' } });
    try {
      const refused = await bot.postActivity(teamsMessage({ serviceUrl: connector.url, text: MESSAGE }), { Authorization: `Bearer ${BEARER}` });
      expect(refused.status).toBe(401);
      const answered = await webReplies(await bot.postWeb(webMessage(MESSAGE)));
      expect(answered.length).toBeGreaterThan(0);
    } finally {
      await bot.stop();
    }
    // The requests were logged (structured, one JSON object a line) …
    const records = capture.records();
    expect(records.some((r) => r['msg'] === 'teams request rejected: no valid Bot Framework token')).toBe(true);
    expect(records.some((r) => r['msg'] === 'web chat message' && r['chars'] === MESSAGE.length)).toBe(true);
    // … and nothing secret, at any level down to trace.
    for (const secret of [BEARER, BEARER.split('.')[2]!, PASSPHRASE, 'app-password-1', 'wachtwoordzin is']) {
      expect(capture.text).not.toContain(secret);
    }
  });

  it('with LOG_MESSAGE_TEXT=true, show what users typed, with the secrets in it replaced', async () => {
    const bot = await startHardenedMarsbot({ logMessageText: true });
    try {
      await bot.postWeb(webMessage(MESSAGE));
      await bot.postActivity(teamsMessage({ serviceUrl: connector.url, text: MESSAGE }));
    } finally {
      await bot.stop();
    }
    const texts = capture.records().filter((r) => typeof r['text'] === 'string').map((r) => r['text'] as string);
    expect(texts).toHaveLength(2);
    for (const text of texts) {
      expect(text).toContain('Fout 34506 bij Set-OBMachineSetting');
      expect(text).toContain('[redacted:passphrase]');
      expect(text).not.toContain(PASSPHRASE);
    }
  });

  it('redact secrets in every string of a line: fields, the message, its arguments and errors', () => {
    const log = createLogger('test');
    log.error({ err: new Error('connect to postgres://marsbot:Db-Secret-2024@db:5432/marsbot failed') }, 'store down, password: Welkom2024!');
    log.warn({ reason: 'the passphrase is Rode-Fiets-8842', nested: { lines: ['ww: Winter-Zon-2024'] } }, 'odd input');
    log.info('user said %s', 'PASSPHRASE IS correct horse battery staple');
    log.error(new Error('proxy http://CONTOSO\\svc:Pw0rd-Proxy!@proxy:8080 refused'));
    const text = capture.text;
    for (const secret of ['Db-Secret-2024', 'Welkom2024!', 'Rode-Fiets-8842', 'Winter-Zon-2024', 'correct horse battery staple', 'Pw0rd-Proxy!']) {
      expect(text).not.toContain(secret);
    }
    const records = capture.records();
    expect(records).toHaveLength(4);
    expect(records[0]!['msg']).toBe('store down, password: [redacted:password]');
    expect((records[0]!['err'] as { type: string; message: string }).type).toBe('Error');
    expect((records[0]!['err'] as { message: string }).message).toBe('connect to postgres://marsbot:[redacted:url-credentials]@db:5432/marsbot failed');
    expect(records[1]!['nested']).toEqual({ lines: ['ww: [redacted:password]'] });
    expect(records[2]!['msg']).toBe('user said PASSPHRASE IS [redacted:passphrase]');
    expect(records[3]!['msg']).toBe('proxy http://CONTOSO\\svc:[redacted:url-credentials]@proxy:8080 refused');
  });

  it('redact credentials wherever a module puts them in a log object', () => {
    const log = createLogger('test');
    log.info(
      {
        appPassword: 'pw-1',
        config: { signingSecret: 'sig-2', botToken: 'xoxb-3', databaseUrl: 'postgres://u:pw-4@db/marsbot' },
        req: { headers: { authorization: 'Bearer tok-5', cookie: 'session=tok-6' } },
        headers: { authorization: 'Basic tok-7' },
      },
      'settings',
    );
    const record = capture.records()[0]!;
    expect(JSON.stringify(record)).not.toMatch(/pw-1|sig-2|xoxb-3|pw-4|tok-5|tok-6|tok-7/);
    expect(record['appPassword']).toBe('[redacted]');
    expect((record['req'] as { headers: Record<string, string> }).headers.authorization).toBe('[redacted]');
  });

  it('log an error with pino\'s serializer: type, message, stack and its own fields, with the secrets in them censored', () => {
    const log = createLogger('test');
    const cause = new Error('socket hang up at https://bot:Hidden-Pass-77@smba.example/v3');
    const failure = Object.assign(new Error('reply failed', { cause }), {
      statusCode: 503,
      code: 'REQUEST_SEND_ERROR',
      config: { url: 'https://smba.example/v3', headers: { Authorization: 'Bearer tok-deep-8' } },
    });
    log.error({ err: failure }, 'reply to Teams failed');
    log.error({ err: 'a thrown string with password: Lente-2025!' }, 'odd failure');
    expect(capture.text).not.toMatch(/Hidden-Pass-77|tok-deep-8|Lente-2025!/);
    const [first, second] = capture.records() as { err: Record<string, unknown> }[];
    expect(first!.err).toMatchObject({ type: 'Error', statusCode: 503, code: 'REQUEST_SEND_ERROR', config: { url: 'https://smba.example/v3', headers: { Authorization: '[redacted]' } } });
    // The cause's message is part of the line, as the serializer joins them.
    expect(first!.err['message']).toBe('reply failed: socket hang up at https://bot:[redacted:url-credentials]@smba.example/v3');
    expect(first!.err['stack']).toMatch(/^Error: reply failed\n\s+at /);
    expect(second!.err).toBe('a thrown string with password: [redacted:password]');
  });
});
