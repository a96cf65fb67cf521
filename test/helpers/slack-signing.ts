import { createHmac } from 'node:crypto';

/**
 * Requests as Slack sends them: signed with the app's signing secret (v0 HMAC-SHA256 over
 * "v0:<timestamp>:<raw body>"), as JSON (Events API) or form-encoded (interactivity, slash commands).
 */

export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

export function slackSignature(secret: string, timestampSec: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSec}:${rawBody}`).digest('hex')}`;
}

export interface SignedPostOptions {
  secret?: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  /** Replaces the computed signature (to send a wrong one). */
  signature?: string | null;
  headers?: Record<string, string>;
}

export interface PostResult {
  status: number;
  text: string;
  json(): unknown;
}

async function post(url: string, rawBody: string, contentType: string, options: SignedPostOptions): Promise<PostResult> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = options.signature === undefined ? slackSignature(options.secret ?? TEST_SIGNING_SECRET, timestamp, rawBody) : options.signature;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      ...(signature === null ? {} : { 'x-slack-signature': signature }),
      ...options.headers,
    },
    body: rawBody,
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) as unknown };
}

/** An Events API delivery (application/json). */
export function postEvent(url: string, body: object, options: SignedPostOptions = {}): Promise<PostResult> {
  return post(url, JSON.stringify(body), 'application/json', options);
}

/** An interactivity payload (block_actions, view_submission, shortcut): form field payload=<json>. */
export function postInteraction(url: string, payload: object, options: SignedPostOptions = {}): Promise<PostResult> {
  return post(url, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', options);
}

/** A slash command: plain form fields. */
export function postCommand(url: string, fields: Record<string, string>, options: SignedPostOptions = {}): Promise<PostResult> {
  return post(url, new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', options);
}

let eventCounter = 0;

/** Wraps an event in the event_callback envelope Slack delivers. */
export function eventCallback(event: Record<string, unknown>, eventId = `Ev${Date.now()}${eventCounter++}`): Record<string, unknown> {
  return {
    token: 'legacy-verification-token',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    event,
  };
}
