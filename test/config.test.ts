import { ConfigError, loadConfig } from '../src/config';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('loadConfig', () => {
  it('starts with no configuration at all: open Teams on loopback only, web chat, SQLite in ./data, Dutch', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3978,
      host: '127.0.0.1',
      hostConfigured: false,
      logLevel: 'info',
      logMessageText: false,
      defaultLang: 'nl',
      maxMessageChars: 1_048_576,
      teams: { secured: false, appType: 'MultiTenant' },
      storage: { sqlitePath: './data/marsbot.db' },
    });
    expect(config.slack).toBeUndefined();
    expect(config.escalationWebhook).toBeUndefined();
  });

  it('treats blank variables (as copied from .env.example) as unset', () => {
    expect(loadConfig({ PORT: '', MicrosoftAppId: '  ', SLACK_BOT_TOKEN: '', DEFAULT_LANG: '' })).toMatchObject({ port: 3978, defaultLang: 'nl', teams: { secured: false } });
  });

  it('returns a frozen config', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.teams)).toBe(true);
  });

  it('names each variable that is wrong', () => {
    const message = problemsOf({ PORT: 'eighty', LOG_LEVEL: 'loud', DEFAULT_LANG: 'de', LOG_MESSAGE_TEXT: 'maybe', MAX_MESSAGE_CHARS: '5' });
    for (const name of ['PORT', 'LOG_LEVEL', 'DEFAULT_LANG', 'LOG_MESSAGE_TEXT', 'MAX_MESSAGE_CHARS']) expect(message).toContain(`${name}:`);
  });

  it('secures Teams with an app id and password, and insists on the password and the tenant where needed', () => {
    expect(loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw' }).teams).toMatchObject({ secured: true, appId: 'app' });
    expect(problemsOf({ MicrosoftAppId: 'app' })).toContain('MicrosoftAppPassword:');
    expect(problemsOf({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MicrosoftAppType: 'SingleTenant' })).toContain('MicrosoftAppTenantId:');
    expect(problemsOf({ MicrosoftAppType: 'Personal' })).toContain('MicrosoftAppType:');
    expect(loadConfig({ MicrosoftAppId: 'app', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 't' }).teams.secured).toBe(true);
  });

  it('turns Slack on for HTTP (token + signing secret) or Socket Mode (token + app token), not half-configured', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).slack).toMatchObject({ botToken: 'xoxb-1', signingSecret: 's' });
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack).toMatchObject({ appToken: 'xapp-1' });
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1' })).toContain('SLACK_SIGNING_SECRET:');
    expect(problemsOf({ SLACK_SIGNING_SECRET: 's' })).toContain('SLACK_BOT_TOKEN:');
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'not a url' })).toContain('SLACK_API_URL:');
  });

  it('reads the Teams support conversation as a JSON conversation reference', () => {
    const reference = { serviceUrl: 'https://smba.trafficmanager.net/emea/', channelId: 'msteams', conversation: { id: '19:support@thread.tacv2' } };
    expect(loadConfig({ SUPPORT_TEAMS_CONVERSATION: JSON.stringify(reference) }).teams.supportConversation).toEqual(reference);
    expect(problemsOf({ SUPPORT_TEAMS_CONVERSATION: '{not json' })).toContain('SUPPORT_TEAMS_CONVERSATION:');
    expect(problemsOf({ SUPPORT_TEAMS_CONVERSATION: '{"channelId":"msteams"}' })).toContain('SUPPORT_TEAMS_CONVERSATION:');
  });

  it('uses PostgreSQL when DATABASE_URL is set, and wants a signed escalation webhook', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db/marsbot' }).storage.databaseUrl).toBe('postgres://u:p@db/marsbot');
    expect(problemsOf({ DATABASE_URL: 'mysql://db' })).toContain('DATABASE_URL:');
    expect(loadConfig({ ESCALATION_WEBHOOK_URL: 'https://hooks.example/mars', ESCALATION_WEBHOOK_SECRET: 'k' }).escalationWebhook).toEqual({
      url: 'https://hooks.example/mars',
      secret: 'k',
      timeoutMs: 10_000,
    });
    expect(
      loadConfig({ ESCALATION_WEBHOOK_URL: 'https://hooks.example/mars', ESCALATION_WEBHOOK_SECRET: 'k', ESCALATION_WEBHOOK_TIMEOUT_MS: '30000' }).escalationWebhook?.timeoutMs,
    ).toBe(30_000);
    expect(problemsOf({ ESCALATION_WEBHOOK_TIMEOUT_MS: '10' })).toContain('ESCALATION_WEBHOOK_TIMEOUT_MS:');
    expect(problemsOf({ ESCALATION_WEBHOOK_URL: 'https://hooks.example/mars' })).toContain('ESCALATION_WEBHOOK_SECRET:');
    expect(problemsOf({ ESCALATION_WEBHOOK_URL: 'ftp://x', ESCALATION_WEBHOOK_SECRET: 'k' })).toContain('ESCALATION_WEBHOOK_URL:');
  });

  it('reads the support admins as a list of Teams and Slack user ids; none means only configuration sets the support channel', () => {
    expect(loadConfig({}).supportAdmins).toEqual([]);
    expect(loadConfig({ SUPPORT_ADMINS: ' 00000000-0000-0000-0000-0000000000a1, U0ADMIN;W0OWNER ' }).supportAdmins).toEqual([
      '00000000-0000-0000-0000-0000000000a1',
      'U0ADMIN',
      'W0OWNER',
    ]);
    expect(problemsOf({ SUPPORT_ADMINS: 'U1, <script>' })).toContain('SUPPORT_ADMINS:');
  });

  it('listens on loopback only while the Teams endpoint is open, on every interface once it is secured, and where HOST says whenever it is set', () => {
    expect(loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw' })).toMatchObject({ host: '0.0.0.0', hostConfigured: false });
    expect(loadConfig({ HOST: '0.0.0.0' })).toMatchObject({ host: '0.0.0.0', hostConfigured: true });
    expect(loadConfig({ HOST: '127.0.0.1', MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw' })).toMatchObject({ host: '127.0.0.1', hostConfigured: true });
    expect(loadConfig({ HOST: '  ' })).toMatchObject({ host: '127.0.0.1', hostConfigured: false });
  });

  it("calls only the Bot Framework's service hosts (or TEAMS_SERVICE_URL_HOSTS), and refuses a support channel elsewhere", () => {
    expect(loadConfig({}).teams.serviceUrlHosts).toEqual(expect.arrayContaining(['smba.trafficmanager.net', '*.botframework.com', 'smba.infra.gov.teams.microsoft.us']));
    expect(loadConfig({ TEAMS_SERVICE_URL_HOSTS: 'smba.example.cn, *.Bot.Example.cn' }).teams.serviceUrlHosts).toEqual(['smba.example.cn', '*.bot.example.cn']);
    expect(problemsOf({ TEAMS_SERVICE_URL_HOSTS: 'https://smba.example.cn/' })).toContain('TEAMS_SERVICE_URL_HOSTS:');
    const reference = (serviceUrl: string) => JSON.stringify({ serviceUrl, channelId: 'msteams', conversation: { id: '19:support@thread.tacv2' } });
    expect(problemsOf({ SUPPORT_TEAMS_CONVERSATION: reference('https://collector.example.com/') })).toContain('SUPPORT_TEAMS_CONVERSATION:');
    expect(loadConfig({ SUPPORT_TEAMS_CONVERSATION: reference('https://collector.example.com/'), TEAMS_SERVICE_URL_HOSTS: 'collector.example.com' }).teams.supportConversation).toBeDefined();
  });

  it('reads the client-address limits, the ticket caps and the proxy hops, with documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      rateLimits: { address: { perMinute: 60, burst: 30 } },
      ticketLimits: { perConversationPerHour: 3, perAddressPerHour: 10 },
      http: { trustProxyHops: 0 },
    });
    expect(loadConfig({ TICKETS_PER_ADDRESS_PER_HOUR: '0', TRUST_PROXY_HOPS: '1' })).toMatchObject({ ticketLimits: { perAddressPerHour: 0 }, http: { trustProxyHops: 1 } });
    expect(problemsOf({ TICKETS_PER_CONVERSATION_PER_HOUR: '-1', TRUST_PROXY_HOPS: 'yes' })).toMatch(/TICKETS_PER_CONVERSATION_PER_HOUR:[\s\S]*TRUST_PROXY_HOPS:|TRUST_PROXY_HOPS:[\s\S]*TICKETS_PER_CONVERSATION_PER_HOUR:/);
  });
});
