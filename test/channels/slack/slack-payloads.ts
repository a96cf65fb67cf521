/**
 * Slack payloads as Slack sends them, trimmed to the fields a real delivery always has.
 * Shapes follow the Events API and interactivity payload references.
 */
let counter = 0;
const nextTs = () => `17000${String(10000 + counter++).padStart(5, '0')}.000200`;

export function dmMessage(text: string, options: { user?: string; channel?: string; ts?: string; threadTs?: string } = {}) {
  const ts = options.ts ?? nextTs();
  return {
    type: 'message',
    channel: options.channel ?? 'D100',
    channel_type: 'im',
    user: options.user ?? 'U1',
    text,
    ts,
    event_ts: ts,
    ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
  };
}

export function appMention(text: string, options: { user?: string; channel?: string; ts?: string; threadTs?: string } = {}) {
  const ts = options.ts ?? nextTs();
  return {
    type: 'app_mention',
    channel: options.channel ?? 'C200',
    user: options.user ?? 'U2',
    text,
    ts,
    event_ts: ts,
    ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
  };
}

export interface PostedMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  blocks: any[];
}

/** A click on one element of a message the bot posted (block_actions). */
export function clickOn(
  message: PostedMessage,
  element: { actionId: string; blockId?: string; value?: string; type?: string },
  options: { user?: string; responseUrl?: string; triggerId?: string; ephemeral?: boolean } = {},
) {
  const user = options.user ?? 'U1';
  return {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy',
    team: { id: 'T1', domain: 'test' },
    trigger_id: options.triggerId ?? `trigger-${counter++}`,
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: message.channel,
      is_ephemeral: options.ephemeral ?? false,
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    },
    channel: { id: message.channel, name: 'x' },
    ...(options.ephemeral
      ? {}
      : { message: { type: 'message', user: 'UBOT', bot_id: 'BBOT', ts: message.ts, text: '', blocks: message.blocks, ...(message.threadTs ? { thread_ts: message.threadTs } : {}) } }),
    ...(options.responseUrl ? { response_url: options.responseUrl } : {}),
    actions: [
      {
        type: element.type ?? 'button',
        action_id: element.actionId,
        block_id: element.blockId ?? 'unstamped',
        ...(element.value !== undefined ? { value: element.value } : {}),
        text: { type: 'plain_text', text: 'x' },
        action_ts: nextTs(),
      },
    ],
  };
}

export function slashCommand(text: string, options: { user?: string; channel?: string; responseUrl: string; triggerId?: string }) {
  return {
    token: 'legacy',
    team_id: 'T1',
    team_domain: 'test',
    channel_id: options.channel ?? 'C300',
    channel_name: 'general',
    user_id: options.user ?? 'U3',
    user_name: 'piet',
    command: '/mars',
    text,
    api_app_id: 'A1',
    response_url: options.responseUrl,
    trigger_id: options.triggerId ?? `trigger-${counter++}`,
  };
}

export function messageShortcut(message: { text: string; ts: string; threadTs?: string; channel: string }, options: { user?: string; responseUrl: string }) {
  const user = options.user ?? 'U4';
  return {
    type: 'message_action',
    callback_id: 'analyse_with_marsbot',
    trigger_id: `trigger-${counter++}`,
    response_url: options.responseUrl,
    action_ts: nextTs(),
    message_ts: message.ts,
    team: { id: 'T1', domain: 'test' },
    channel: { id: message.channel, name: 'ops' },
    user: { id: user, name: user.toLowerCase() },
    token: 'legacy',
    message: { type: 'message', user: 'U9', ts: message.ts, text: message.text, ...(message.threadTs ? { thread_ts: message.threadTs } : {}) },
  };
}

export function homeOpened(user: string) {
  return { type: 'app_home_opened', user, channel: `D${user}`, tab: 'home', event_ts: nextTs() };
}

export function homeLanguagePicked(user: string, lang: string) {
  return {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy',
    team: { id: 'T1', domain: 'test' },
    trigger_id: `trigger-${counter++}`,
    container: { type: 'view', view_id: 'VHOME' },
    view: { id: 'VHOME', type: 'home', blocks: [] },
    actions: [
      {
        type: 'static_select',
        action_id: 'marsbot-home:lang',
        block_id: 'lang',
        selected_option: { text: { type: 'plain_text', text: lang }, value: lang },
        action_ts: nextTs(),
      },
    ],
  };
}

export function viewSubmission(view: { private_metadata?: string; callback_id?: string }, values: { description: string; urgency?: string }, user = 'U1') {
  return {
    type: 'view_submission',
    team: { id: 'T1', domain: 'test' },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: `trigger-${counter++}`,
    view: {
      id: `VMODAL${counter++}`,
      type: 'modal',
      callback_id: view.callback_id,
      private_metadata: view.private_metadata ?? '',
      hash: 'h',
      state: {
        values: {
          description: { description: { type: 'plain_text_input', value: values.description } },
          urgency: { urgency: { type: 'static_select', selected_option: values.urgency ? { value: values.urgency, text: { type: 'plain_text', text: values.urgency } } : null } },
        },
      },
    },
    response_urls: [],
  };
}
