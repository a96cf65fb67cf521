import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import type { Request, Response } from 'restify';
import { loadRestify } from '../../src/server/load-restify';

/**
 * The two reference servers of the HTTP benchmark, each on POST /api/messages with restify's body
 * parser (as marsbot has):
 *   restify   — answers 200 and nothing else: what restify on this machine can do at all;
 *   echo-bot  — botbuilder's CloudAdapter without auth, replying with one text message to the
 *               activity's serviceUrl: the ceiling of a bot built on this stack.
 * Usage (via child_process.fork): reference-servers.js <restify|echo-bot>; sends { port } when listening.
 */

const kind = process.argv[2];
const restify = loadRestify();
const server = restify.createServer({ name: `bench-${kind}`, handleUncaughtExceptions: false });
const body = restify.plugins.bodyParser({ mapParams: false, mapFiles: false });

if (kind === 'restify') {
  server.post('/api/messages', body, async (_req: Request, res: Response) => {
    res.send(200);
  });
} else if (kind === 'echo-bot') {
  const auth = new ConfigurationBotFrameworkAuthentication({}, new ConfigurationServiceClientCredentialFactory({}));
  const adapter = new CloudAdapter(auth);
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(`echo: ${context.activity.text}`);
    await next();
  });
  server.post('/api/messages', body, async (req: Request, res: Response) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
} else {
  process.stderr.write(`unknown reference server "${kind ?? ''}": use restify or echo-bot\n`);
  process.exit(2);
}

server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address()).port });
});
process.on('disconnect', () => process.exit(0));
