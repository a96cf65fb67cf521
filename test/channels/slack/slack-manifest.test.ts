import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BOT_EVENTS, BOT_SCOPES, MESSAGE_SHORTCUT, SLASH_COMMAND } from '../../../src/channels/slack/slack-app-features';

/**
 * The manifests an admin installs must declare every event, command and shortcut the code
 * handles, and ask for exactly the scopes the code's Web API calls and events need.
 */

const ROOT = join(__dirname, '..', '..', '..');
const manifests = {
  http: parse(readFileSync(join(ROOT, 'manifest/slack/manifest.yml'), 'utf8')),
  socket: parse(readFileSync(join(ROOT, 'manifest/slack/manifest.socket-mode.yml'), 'utf8')),
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}
const slackSource = sourceFiles(join(ROOT, 'src/channels/slack')).map((f) => readFileSync(f, 'utf8')).join('\n');

/**
 * Slack's scope for each Web API method and event the code may use (null: no scope needed; a list:
 * one per kind of conversation the method reads — public and private channels, DMs).
 */
const HISTORY = ['channels:history', 'groups:history', 'im:history'];
const METHOD_SCOPES: Record<string, string | string[] | null> = {
  'auth.test': null,
  'conversations.history': HISTORY,
  'conversations.replies': HISTORY,
  'chat.postMessage': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.getPermalink': null,
  'users.info': 'users:read',
  'views.open': null,
  'views.publish': null,
};
const EVENT_SCOPES: Record<string, string | null> = {
  app_home_opened: null,
  app_mention: 'app_mentions:read',
  'message.im': 'im:history',
};

describe('Slack app manifests', () => {
  const methodsCalled = [...new Set([...slackSource.matchAll(/\.(auth|chat|users|views|conversations|reactions|files)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`))];
  const eventsHandled = [...new Set([...slackSource.matchAll(/app\.event\('([\w.]+)'/g)].map((m) => m[1]!))];

  it('finds the Web API calls and event listeners in the code (guards the scan itself)', () => {
    expect(methodsCalled).toEqual(expect.arrayContaining(['chat.postMessage', 'views.publish', 'users.info']));
    expect(eventsHandled.sort()).toEqual(['app_home_opened', 'app_mention', 'message']);
  });

  it.each(Object.entries(manifests))('%s mode asks for exactly the scopes the code needs', (_mode, manifest) => {
    for (const method of methodsCalled) expect(Object.keys(METHOD_SCOPES)).toContain(method);
    const needed = new Set<string>([
      ...methodsCalled.flatMap((m) => METHOD_SCOPES[m]),
      ...BOT_EVENTS.map((e) => EVENT_SCOPES[e]),
      'commands', // the slash command and the message shortcut
    ].filter((s): s is string => typeof s === 'string'));
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
    expect(Object.keys(BOT_SCOPES).sort()).toEqual([...needed].sort());
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it.each(Object.entries(manifests))('%s mode subscribes to every event the code handles, and no other', (_mode, manifest) => {
    const declared = [...manifest.settings.event_subscriptions.bot_events].sort();
    expect(declared).toEqual([...BOT_EVENTS].sort());
    // "message.im" reaches the code as a "message" event from a DM.
    expect(declared.map((e: string) => (e === 'message.im' ? 'message' : e)).sort()).toEqual(eventsHandled.sort());
  });

  it.each(Object.entries(manifests))('%s mode declares the slash command, the message shortcut and App Home', (_mode, manifest) => {
    expect(manifest.features.slash_commands.map((c: any) => c.command)).toEqual([SLASH_COMMAND]);
    expect(manifest.features.shortcuts).toEqual([expect.objectContaining({ type: 'message', callback_id: MESSAGE_SHORTCUT.callbackId, name: MESSAGE_SHORTCUT.name })]);
    expect(manifest.features.shortcuts[0].description.length).toBeLessThanOrEqual(150);
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false });
    expect(manifest.features.bot_user.display_name).toBe('marsbot');
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.display_information.long_description.length).toBeGreaterThanOrEqual(175);
  });

  it('points events, interactivity and the command of the HTTP app at /slack/events', () => {
    const { settings, features } = manifests.http;
    expect(settings.socket_mode_enabled).toBe(false);
    expect(settings.event_subscriptions.request_url).toBe('https://YOUR-HOST/slack/events');
    expect(settings.interactivity.request_url).toBe('https://YOUR-HOST/slack/events');
    expect(features.slash_commands[0].url).toBe('https://YOUR-HOST/slack/events');
  });

  it('has no request urls in the Socket Mode app', () => {
    const { settings, features } = manifests.socket;
    expect(settings.socket_mode_enabled).toBe(true);
    expect(settings.event_subscriptions.request_url).toBeUndefined();
    expect(settings.interactivity.request_url).toBeUndefined();
    expect(features.slash_commands[0].url).toBeUndefined();
  });

  it('keeps both manifests the same apart from the transport', () => {
    const strip = (m: any) => {
      const copy = structuredClone(m);
      delete copy.settings.socket_mode_enabled;
      delete copy.settings.event_subscriptions.request_url;
      delete copy.settings.interactivity.request_url;
      for (const c of copy.features.slash_commands) delete c.url;
      return copy;
    };
    expect(strip(manifests.socket)).toEqual(strip(manifests.http));
  });
});
