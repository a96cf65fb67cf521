import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature, type WebhookBody } from '../../../src/support/webhook-delivery';

/**
 * The system on the other end of ESCALATION_WEBHOOK_URL, recording every request raw. Its mood is
 * set by the test: accept (200), unavailable (503), or hold (reads the request, never answers:
 * a delivery that is in flight when marsbot dies).
 */

export type ReceiverMode = 'accept' | 'unavailable' | 'hold';

interface ReceivedWebhook {
  deliveryId: string;
  event: string;
  /** What the receiver answered; undefined while held (or when the sender went away first). */
  status?: number;
  signatureValid: boolean;
  body: WebhookBody;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly received: ReceivedWebhook[];
  setMode(mode: ReceiverMode): void;
  /** How many 2xx answers each delivery id got, for one event type. */
  acceptedPerDelivery(event: string): Map<string, number>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWebhookReceiver(secret: string, initialMode: ReceiverMode = 'accept'): Promise<WebhookReceiver> {
  let mode = initialMode;
  const received: ReceivedWebhook[] = [];
  const held = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const record: ReceivedWebhook = {
        deliveryId: String(req.headers['x-marsbot-delivery'] ?? ''),
        event: String(req.headers['x-marsbot-event'] ?? ''),
        signatureValid: verifyWebhookSignature(secret, req.headers, raw, 300),
        body: JSON.parse(raw) as WebhookBody,
      };
      received.push(record);
      if (mode === 'hold') {
        held.add(res);
        res.once('close', () => held.delete(res));
        return;
      }
      record.status = mode === 'accept' ? 200 : 503;
      res.writeHead(record.status, { 'content-type': 'text/plain' });
      res.end(mode === 'accept' ? 'ok' : 'try again later');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/marsbot`,
    received,
    setMode(next) {
      mode = next;
    },
    acceptedPerDelivery(event) {
      const counts = new Map<string, number>();
      for (const r of received) {
        if (r.event !== event || r.status === undefined || r.status < 200 || r.status >= 300) continue;
        counts.set(r.deliveryId, (counts.get(r.deliveryId) ?? 0) + 1);
      }
      return counts;
    },
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
