#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadKnowledge, KnowledgeError, type KnowledgeBase } from '../knowledge/load-knowledge';
import { isLang, type Lang } from '../shared/lang';
import { loadConfig } from '../config';
import { configureLogging } from '../shared/logger';
import { createMatcher } from '../understanding/create-matcher';
import { buildAskReply } from './ask-reply';
import { formatAskReply, runAskJsonl } from './ask-command';
import { formatKnowledgeList } from './kb-command';
import { runChat } from './chat-command';
import { withMarsbot } from './with-marsbot';
import { createChatJsonlSession, runChatJsonl } from './chat-jsonl';
import { reporterFrom } from './reporter';

const USAGE = `marsbot — troubleshoot the Azure Recovery Services (MARS) agent

Usage:
  marsbot ask "text"            answer one message (title, numbered steps, follow-up questions)
  marsbot ask --json "text"     the reply object as JSON (contract: shared/eval/README.md)
  marsbot ask --jsonl           JSON lines {"text": "...", "lang"?: "nl"|"en"} on stdin → one reply per line
  marsbot chat                  an interactive conversation in the terminal (answer follow-ups by number)
  marsbot chat --jsonl          JSON lines {"conversation": "c1", "text": "...", "lang"?: "nl"|"en"} on stdin
                                → one line per turn (contract: test/eval/README.md); --user, --contact name
                                the reporter of tickets (default: MARSBOT_USER / MARSBOT_CONTACT, the OS user)
  marsbot kb check              validate every knowledge file against the schema
  marsbot kb list               topics (titles, error ids, cases) and facts (sources, related topics)
  marsbot tickets list|show ID|export --format csv|json
  marsbot tickets claim|resolve ID [--by name]
  marsbot stats                 questions per topic, answered vs fallback, escalations, feedback
Options:
  --lang nl|en                  reply language (overrides detection)
  --help                        this text`;

function parseLangOption(value: string | undefined): Lang | undefined {
  if (value === undefined) return undefined;
  if (isLang(value)) return value;
  throw new UsageError(`--lang must be nl or en, not "${value}"`);
}

class UsageError extends Error {}

/** The configured DEFAULT_LANG for `ask`, which needs nothing else of the configuration: a wrong setting elsewhere does not stop it. */
function defaultLangOf(): Lang | undefined {
  try {
    return loadConfig().defaultLang;
  } catch {
    return undefined;
  }
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

async function main(argv: string[]): Promise<number> {
  configureLogging({ level: 'warn', destination: process.stderr });
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      jsonl: { type: 'boolean' },
      lang: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      status: { type: 'string' },
      format: { type: 'string' },
      by: { type: 'string' },
      user: { type: 'string' },
      contact: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return command || values.help ? 0 : 1;
  }
  const forceLang = parseLangOption(values.lang);

  switch (command) {
    case 'ask': {
      const kb = loadKnowledgeOrExit();
      const matcher = createMatcher(kb, { defaultLang: defaultLangOf() });
      if (values.jsonl) {
        await runAskJsonl(kb, matcher, process.stdin, (line) => process.stdout.write(`${line}\n`), forceLang);
        return 0;
      }
      const text = rest.join(' ');
      const reply = buildAskReply(kb, matcher.understand(text, { forceLang }));
      process.stdout.write(values.json ? `${JSON.stringify(reply)}\n` : `${formatAskReply(reply)}\n`);
      return 0;
    }
    case 'chat': {
      loadKnowledgeOrExit();
      return withMarsbot(async (marsbot) => {
        if (values.jsonl) {
          const session = createChatJsonlSession({
            engine: marsbot.engine,
            store: marsbot.store,
            reporter: reporterFrom({ user: values.user, contact: values.contact }, marsbot.config.cliReporter),
            defaultLang: marsbot.config.defaultLang,
          });
          await runChatJsonl(session, process.stdin, (line) => process.stdout.write(`${line}\n`));
          return 0;
        }
        await runChat(marsbot.engine, process.stdin, process.stdout, forceLang ?? marsbot.config.defaultLang, forceLang);
        return 0;
      });
    }
    case 'kb': {
      const kb = loadKnowledgeOrExit();
      if (rest[0] === 'check') {
        process.stdout.write(`Knowledge base OK: ${kb.topics.length} topics, ${kb.topics.reduce((n, t) => n + t.cases.length, 0)} cases, ${kb.facts.length} facts, ${kb.procedures.size} shared procedures, ${kb.glossary?.labels.length ?? 0} UI labels, ${kb.synonyms.groups.length} synonym groups, ${kb.outOfScope.subjects.length} out-of-scope subjects.\n`);
        return 0;
      }
      if (rest[0] === 'list') {
        process.stdout.write(`${formatKnowledgeList(kb, forceLang ?? 'en')}\n`);
        return 0;
      }
      throw new UsageError('kb takes "check" or "list"');
    }
    case 'tickets':
    case 'stats': {
      return withMarsbot(async (marsbot) => {
        const out = (line: string) => process.stdout.write(`${line}\n`);
        if (command === 'stats') {
          const { runStatsCommand } = await import('./stats-command');
          await runStatsCommand(marsbot.store, out);
          return 0;
        }
        const { runTicketsCommand } = await import('./tickets-command');
        return runTicketsCommand(marsbot, argv.slice(argv.indexOf('tickets') + 1), out, forceLang);
      });
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`marsbot: ${(err as Error).message}\n\n${USAGE}\n`);
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`marsbot: ${(err as Error).message}\n`);
    process.exitCode = 2;
  },
);
