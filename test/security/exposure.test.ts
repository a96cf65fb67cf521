import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { configureLogging } from '../../src/shared/logger';
import { checkServiceUrl, BOT_FRAMEWORK_SERVICE_HOSTS } from '../../src/shared/service-url-hosts';
import { FakeBotConnector, teamsMessage } from '../helpers/fake-bot-connector';
import { sampleAnswer } from '../helpers/sample-replies';
import { startMarsbot, type RunningMarsbot } from '../helpers/start-marsbot';
import { startMarsbotProcess, type MarsbotProcess } from '../e2e/support/marsbot-process';

/**
 * What `npm start` exposes and whom it calls. Without MicrosoftAppId the Teams endpoint is open, so
 * it listens on loopback only unless HOST says otherwise, and whatever reaches it, it calls no
 * service URL but loopback and the Bot Framework's own hosts.
 */

/** This machine's address on its network (not loopback): where another machine would connect. */
function externalAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    const found = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found) return found.address;
  }
  return undefined;
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A server that stands in for whatever an attacker wants the bot to call: it only records. */
async function startCollector(host: string): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"id":"collected"}');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}/`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
}

const external = externalAddress();

describe('binding: npm start without MicrosoftAppId', () => {
  let dir: string;
  let bot: MarsbotProcess | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'marsbot-exposure-'));
  });
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const port = (url: string): number => Number(new URL(url).port);
  const startupLine = (output: string): Record<string, unknown> =>
    JSON.parse(output.split('\n').find((line) => line.includes('"webChat"')) ?? '{}') as Record<string, unknown>;

  it('listens on 127.0.0.1 only and says so at start-up; other machines cannot connect', async () => {
    // HOST empty: as in a fresh .env copied from .env.example, nothing chosen.
    bot = await startMarsbotProcess({ HOST: '', SQLITE_PATH: join(dir, 'marsbot.db') }, dir);
    expect(bot.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(String(startupLine(bot.output())['listening'])).toMatch(/^127\.0\.0\.1 only: without MicrosoftAppId the Teams endpoint is open.*HOST=0\.0\.0\.0/);
    expect(await canConnect('127.0.0.1', port(bot.url))).toBe(true);
    if (!external) throw new Error('this machine has no network address besides loopback to try from');
    expect(await canConnect(external, port(bot.url))).toBe(false);
  });

  it('listens on every interface when HOST=0.0.0.0 is chosen explicitly', async () => {
    bot = await startMarsbotProcess({ HOST: '0.0.0.0', SQLITE_PATH: join(dir, 'marsbot.db') }, dir);
    expect(String(startupLine(bot.output())['listening'])).toBe('0.0.0.0 (HOST)');
    if (!external) throw new Error('this machine has no network address besides loopback to try from');
    expect(await canConnect(external, port(bot.url))).toBe(true);
  });
});

describe('service URLs: only loopback and the Bot Framework hosts are ever called', () => {
  let connector: FakeBotConnector;
  let bot: RunningMarsbot;
  let logs: LogCapture;

  beforeAll(async () => {
    connector = await new FakeBotConnector().start();
  });
  afterAll(async () => {
    await connector.stop();
    configureLogging({ level: 'silent' });
  });
  beforeEach(async () => {
    logs = new LogCapture();
    configureLogging({ level: 'info', destination: logs });
    bot = await startMarsbot({ engine: () => ({ handle: async () => [sampleAnswer()] }), env: { LOG_LEVEL: 'info' } });
  });
  afterEach(async () => {
    await bot.stop();
  });

  it('refuses an activity whose serviceUrl is elsewhere with 403: no call goes out, and the log names the host but not the message', async () => {
    const collector = await startCollector(external ?? '127.0.0.1');
    try {
      const forged = [
        ...(external ? [collector.url] : []),
        'https://collector.example.com/',
        'https://smba.trafficmanager.net.example.com/emea/',
        'http://smba.trafficmanager.net/emea/',
        'https://user:secret@smba.trafficmanager.net/emea/',
        'file:///etc/passwd',
      ];
      for (const serviceUrl of forged) {
        const res = await bot.postActivity(teamsMessage({ serviceUrl, text: 'secret text of a forged activity' }));
        expect(res.status).toBe(403);
      }
      expect(collector.requests).toEqual([]);
      const refusals = logs.lines.filter((line) => line.includes('its serviceUrl is not a Bot Framework service'));
      expect(refusals).toHaveLength(forged.length);
      expect(logs.lines.join('\n')).not.toContain('secret text of a forged activity');
      expect(logs.lines.join('\n')).not.toContain('user:secret');

      // The same activity from the local Bot Connector stand-in is answered there.
      expect((await bot.postActivity(teamsMessage({ serviceUrl: connector.url, text: 'fout 34513' }))).status).toBe(200);
      expect(connector.messages()).toHaveLength(1);
    } finally {
      await collector.close();
    }
  });

  it('never posts to a stored conversation reference with a forged serviceUrl (a support channel written before the check existed)', async () => {
    const collector = await startCollector(external ?? '127.0.0.1');
    try {
      const forgedUrl = external ? collector.url : 'https://collector.example.com/';
      const address = { serviceUrl: forgedUrl, channelId: 'msteams', conversation: { id: '19:support@thread.tacv2' } };
      await expect(bot.teams.notifier.postToChannel(address, [sampleAnswer()])).rejects.toThrow(/refused to call the service URL/);
      expect(collector.requests).toEqual([]);
    } finally {
      await collector.close();
    }
  });

  it("knows the Bot Framework's hosts by name only: look-alikes, http and credentials are refused", () => {
    const allowed = (url: string) => checkServiceUrl(url, BOT_FRAMEWORK_SERVICE_HOSTS).allowed;
    for (const url of [
      'https://smba.trafficmanager.net/emea/',
      'https://smba.trafficmanager.net/teams/',
      'https://smba.infra.gcc.teams.microsoft.com/teams',
      'https://smba.infra.gov.teams.microsoft.us/teams',
      'https://smba.infra.dod.teams.microsoft.us/teams',
      'https://webchat.botframework.com/',
      'https://europe.directline.botframework.com/',
      'http://localhost:3979/',
      'http://127.0.0.1:56000/',
      'http://[::1]:56000/',
    ]) {
      expect([url, allowed(url)]).toEqual([url, true]);
    }
    for (const url of [
      'https://botframework.com.evil.example/',
      'https://evilbotframework.com/',
      'https://botframework.com/',
      'http://webchat.botframework.com/',
      'https://a:b@webchat.botframework.com/',
      'https://169.254.169.254/latest/meta-data/',
      'http://10.0.0.5:8080/',
      'ftp://127.0.0.1/',
      'not a url',
    ]) {
      expect([url, allowed(url)]).toEqual([url, false]);
    }
  });
});
