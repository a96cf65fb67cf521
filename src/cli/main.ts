#!/usr/bin/env node
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadKnowledge, KnowledgeError, type KnowledgeBase } from '../knowledge/load-knowledge';
import { isLang, type Lang } from '../shared/lang';
import { loadConfig, type Config } from '../config';
import { t, tList } from '../shared/i18n';
import { configureLogging } from '../shared/logger';
import { createMatcher } from '../understanding/create-matcher';
import { buildAskReply } from './ask-reply';
import { formatAskReply, runAskJsonl } from './ask-command';
import { formatKnowledgeList } from './kb-command';
import { parseArgsMessage } from './parse-args-message';

/**
 * The command line. Every command reads its options with node:util's parseArgs, strictly: an
 * unknown option, a missing value or a stray word stops it with a message and exit code 2, before
 * anything runs. --help on any command says what it takes and which database it reads.
 *
 * The commands that open the store and the engine (chat, tickets, stats) import them when they run:
 * loading the platform SDKs takes about a second, which --help, a wrong option and `ask` need not wait for.
 */

const COMMANDS = ['ask', 'chat', 'kb', 'tickets', 'stats'] as const;
type Command = (typeof COMMANDS)[number];

/** A command line that cannot run: exit code 2, with what is wrong. */
class UsageError extends Error {
  constructor(
    readonly command: string,
    message: string,
  ) {
    super(message);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;
const LANG_OPTION: Options = { lang: { type: 'string' } };
const HELP_OPTION: Options = { help: { type: 'boolean', short: 'h' } };

/** The options of each command (tickets reads its own, per subcommand). */
const COMMAND_OPTIONS: Record<Exclude<Command, 'tickets'>, { options: Options; positionals: boolean }> = {
  ask: { options: { json: { type: 'boolean' }, jsonl: { type: 'boolean' } }, positionals: true },
  chat: { options: { jsonl: { type: 'boolean' }, user: { type: 'string' }, contact: { type: 'string' } }, positionals: false },
  kb: { options: {}, positionals: true },
  stats: { options: { json: { type: 'boolean' } }, positionals: false },
};

function readOptions(command: Exclude<Command, 'tickets'>, args: string[]): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const spec = COMMAND_OPTIONS[command];
  try {
    return parseArgs({ args, options: { ...spec.options, ...LANG_OPTION, ...HELP_OPTION }, allowPositionals: spec.positionals, strict: true }) as {
      values: Record<string, string | boolean | undefined>;
      positionals: string[];
    };
  } catch (err) {
    throw new UsageError(command, parseArgsMessage(err));
  }
}

function langOption(command: string, value: string | boolean | undefined): Lang | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && isLang(value)) return value;
  throw new UsageError(command, `--lang must be nl or en, not "${String(value)}"`);
}

/** Which database chat, tickets and stats use, for --help: never the connection string (it holds a password). */
function describeDatabase(lang: Lang): string {
  try {
    const { storage } = loadConfig();
    return storage.databaseUrl ? t(lang, 'cli:database.postgres') : t(lang, 'cli:database.sqlite', { path: storage.sqlitePath });
  } catch (err) {
    return (err as Error).message.split('\n')[0] ?? '';
  }
}

function help(lang: Lang, name: Command | 'main'): string {
  return tList(lang, `cli:help.${name}`)
    .map((line) => line.replace('{{database}}', describeDatabase(lang)))
    .join('\n');
}

function loadKnowledgeOrExit(): KnowledgeBase {
  try {
    return loadKnowledge();
  } catch (err) {
    if (err instanceof KnowledgeError) {
      process.stderr.write(`Knowledge base invalid: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

/** The configured DEFAULT_LANG for `ask`, which needs nothing else of the configuration: a wrong setting elsewhere does not stop it. */
function defaultLangOf(): Lang | undefined {
  try {
    return loadConfig().defaultLang;
  } catch {
    return undefined;
  }
}

/**
 * The interactive chat logs to a file next to the SQLite file, so no log line ever lands between
 * the bot's words; when that file cannot be opened, only errors go to stderr.
 */
function logToFile(config: Readonly<Config>): string | undefined {
  const file = resolve(join(dirname(config.storage.sqlitePath), 'marsbot-chat.log'));
  try {
    mkdirSync(dirname(file), { recursive: true });
    const stream = createWriteStream(file, { flags: 'a' });
    stream.on('error', () => configureLogging({ level: 'error', destination: process.stderr }));
    configureLogging({ level: 'info', destination: stream });
    return file;
  } catch {
    configureLogging({ level: 'error', destination: process.stderr });
    return undefined;
  }
}

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const err = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function ask(args: string[]): Promise<number> {
  const { values, positionals } = readOptions('ask', args);
  const forceLang = langOption('ask', values['lang']);
  if (values['json'] && values['jsonl']) throw new UsageError('ask', '--json and --jsonl cannot be used together');
  if (values['jsonl'] && positionals.length > 0) throw new UsageError('ask', '--jsonl reads its messages from stdin, not from the command line');
  if (!values['jsonl'] && positionals.length === 0) throw new UsageError('ask', 'no question given (for example: marsbot ask "fout 34513")');
  const kb = loadKnowledgeOrExit();
  const matcher = createMatcher(kb, { defaultLang: defaultLangOf() });
  if (values['jsonl']) {
    await runAskJsonl(kb, matcher, process.stdin, out, forceLang);
    return 0;
  }
  const reply = buildAskReply(kb, matcher.understand(positionals.join(' '), { forceLang }));
  out(values['json'] ? JSON.stringify(reply) : formatAskReply(reply));
  return 0;
}

async function chat(args: string[]): Promise<number> {
  const { values } = readOptions('chat', args);
  const forceLang = langOption('chat', values['lang']);
  if (!values['jsonl'] && (values['user'] !== undefined || values['contact'] !== undefined)) {
    throw new UsageError('chat', '--user and --contact go with --jsonl; the interactive chat asks for a name and e-mail address when it files a ticket');
  }
  loadKnowledgeOrExit();
  const logFile = values['jsonl'] ? undefined : logToFile(loadConfig());
  const { withMarsbot } = await import('./with-marsbot');
  return withMarsbot(async (marsbot) => {
    if (values['jsonl']) {
      const { createChatJsonlSession, runChatJsonl } = await import('./chat-jsonl');
      const { reporterFrom } = await import('./reporter');
      const session = createChatJsonlSession({
        engine: marsbot.engine,
        store: marsbot.store,
        reporter: reporterFrom({ user: values['user'] as string | undefined, contact: values['contact'] as string | undefined }, marsbot.config.cliReporter),
        defaultLang: marsbot.config.defaultLang,
      });
      await runChatJsonl(session, process.stdin, out);
      return 0;
    }
    const { runChat } = await import('./chat-command');
    await runChat(marsbot.engine, process.stdin, process.stdout, {
      introLang: forceLang ?? marsbot.config.defaultLang,
      ...(forceLang ? { forceLang } : {}),
      ...(logFile ? { logFile } : {}),
    });
    return 0;
  });
}

async function kb(args: string[]): Promise<number> {
  const { values, positionals } = readOptions('kb', args);
  const lang = langOption('kb', values['lang']);
  const [sub, ...extra] = positionals;
  if ((sub !== 'check' && sub !== 'list') || extra.length > 0) throw new UsageError('kb', sub === undefined ? 'say which: check or list' : `kb takes "check" or "list", not "${positionals.join(' ')}"`);
  const knowledge = loadKnowledgeOrExit();
  if (sub === 'check') {
    out(
      `Knowledge base OK: ${knowledge.topics.length} topics, ${knowledge.topics.reduce((n, topic) => n + topic.cases.length, 0)} cases, ${knowledge.facts.length} facts, ${knowledge.procedures.size} shared procedures, ${knowledge.glossary?.labels.length ?? 0} UI labels, ${knowledge.synonyms.groups.length} synonym groups, ${knowledge.outOfScope.subjects.length} out-of-scope subjects.`,
    );
    return 0;
  }
  out(formatKnowledgeList(knowledge, lang ?? 'en'));
  return 0;
}

async function stats(args: string[]): Promise<number> {
  const { values } = readOptions('stats', args);
  const lang = langOption('stats', values['lang']) ?? 'en';
  const { withMarsbot } = await import('./with-marsbot');
  return withMarsbot(async (marsbot) => {
    const { runStatsCommand } = await import('./stats-command');
    await runStatsCommand(marsbot.store, out, lang, undefined, values['json'] === true);
    return 0;
  });
}

async function tickets(args: string[]): Promise<number> {
  // Checked before the store is opened: a wrong command line must not wait for a database.
  if (args.length === 0) throw new UsageError('tickets', 'say which: list, show, export, claim or resolve');
  const { withMarsbot } = await import('./with-marsbot');
  return withMarsbot(async (marsbot) => {
    const { runTicketsCommand } = await import('./tickets-command');
    return runTicketsCommand(marsbot, args, out, 'en', err);
  });
}

async function main(argv: string[]): Promise<number> {
  configureLogging({ level: 'warn', destination: process.stderr });
  const [first, ...rest] = argv;
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  const helpLang = (() => {
    const at = argv.indexOf('--lang');
    const value = at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith('--lang='))?.slice('--lang='.length);
    return value !== undefined && isLang(value) ? value : 'en';
  })();
  if (first === undefined) {
    err(help(helpLang, 'main'));
    return 2;
  }
  if (first === 'help' || first === '--help' || first === '-h') {
    out(help(helpLang, 'main'));
    return 0;
  }
  if (!COMMANDS.includes(first as Command)) throw new UsageError(first.startsWith('-') ? 'marsbot' : first, first.startsWith('-') ? `a command comes first, not "${first}"` : `unknown command "${first}"`);
  const command = first as Command;
  if (wantsHelp) {
    out(help(helpLang, command));
    return 0;
  }
  switch (command) {
    case 'ask':
      return ask(rest);
    case 'chat':
      return chat(rest);
    case 'kb':
      return kb(rest);
    case 'stats':
      return stats(rest);
    case 'tickets':
      return tickets(rest);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      const known = COMMANDS.includes(error.command as Command);
      err(known ? t('en', 'cli:usageError', { command: error.command, message: error.message }) : t('en', 'cli:usageErrorMain', { message: error.message }));
      process.exitCode = 2;
      return;
    }
    err(`marsbot: ${(error as Error).message}`);
    process.exitCode = 1;
  },
);
