import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Bot Connector that misbehaves on cue: each POST of an activity takes the next scripted
 * behaviour (an HTTP status, or 'hang' for never answering); after the script it answers 200.
 * It records every attempt and the activities it accepted.
 */

export type ConnectorBehaviour = number | 'hang';

export interface ConnectorAttempt {
  path: string;
  status: number | 'hang';
  activity: Record<string, unknown> & { type: string; attachments?: { content: unknown }[] };
}

export class FlakyConnector {
  readonly attempts: ConnectorAttempt[] = [];
  private script: ConnectorBehaviour[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private server?: Server;
  private counter = 0;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  /** The next attempts answer like this, in order. */
  plan(...behaviours: ConnectorBehaviour[]): void {
    this.script = [...behaviours];
  }

  /** Activities the Connector accepted (answered 200), in order. */
  accepted(): ConnectorAttempt['activity'][] {
    return this.attempts.filter((a) => a.status === 200).map((a) => a.activity);
  }

  reset(): void {
    this.attempts.length = 0;
    this.script = [];
  }

  /** Answers the requests left hanging (with 200), as a Connector that was only slow would. */
  release(): void {
    for (const res of this.hanging) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: `late-${++this.counter}` }));
    }
    this.hanging.clear();
  }

  async stop(): Promise<void> {
    // Answered rather than cut off: a reset connection would make the abandoned sends retry.
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const behaviour = this.script.shift() ?? 200;
    const activity = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as ConnectorAttempt['activity'];
    this.attempts.push({ path: req.url ?? '', status: behaviour, activity });
    if (behaviour === 'hang') {
      this.hanging.add(res);
      return;
    }
    res.writeHead(behaviour, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(behaviour === 200 ? { id: `activity-${++this.counter}` } : { error: { code: 'ServiceUnavailable', message: 'try again' } }));
  }
}
