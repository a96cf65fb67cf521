import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * Slack's side of Socket Mode, just enough of it: a websocket endpoint (RFC 6455 handshake, text
 * frames, ping/pong, close) that says "hello", sends envelopes and records the app's acks.
 * Written out here so the test needs no websocket server package.
 */
/** What the app sends back for an envelope. */
interface SocketAck {
  envelope_id?: string;
  payload?: unknown;
}

export interface FakeSocketModeServer {
  url: string;
  /** Messages the app sent (acks: { envelope_id, payload? }). */
  received: SocketAck[];
  connected(): Promise<void>;
  send(message: object): void;
  waitForAck(envelopeId: string, timeoutMs?: number): Promise<SocketAck>;
  close(): Promise<void>;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.alloc(2) : length < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  header[0] = 0x80 | opcode;
  if (length < 126) header[1] = length;
  else if (length < 65536) {
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

/** Splits complete client frames (always masked) off the buffer; returns the rest. */
function readFrames(buffer: Buffer, onFrame: (opcode: number, payload: Buffer) => void): Buffer {
  let offset = 0;
  for (;;) {
    if (buffer.length - offset < 2) break;
    const opcode = buffer[offset]! & 0x0f;
    let length = buffer[offset + 1]! & 0x7f;
    const masked = (buffer[offset + 1]! & 0x80) !== 0;
    let pos = offset + 2;
    if (length === 126) {
      if (buffer.length < pos + 2) break;
      length = buffer.readUInt16BE(pos);
      pos += 2;
    } else if (length === 127) {
      if (buffer.length < pos + 8) break;
      length = Number(buffer.readBigUInt64BE(pos));
      pos += 8;
    }
    const maskLength = masked ? 4 : 0;
    if (buffer.length < pos + maskLength + length) break;
    const mask = masked ? buffer.subarray(pos, pos + 4) : undefined;
    pos += maskLength;
    const payload = Buffer.from(buffer.subarray(pos, pos + length));
    if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
    onFrame(opcode, payload);
    offset = pos + length;
  }
  return buffer.subarray(offset);
}

export async function startFakeSocketModeServer(): Promise<FakeSocketModeServer> {
  const received: SocketAck[] = [];
  let socket: Duplex | undefined;
  let onConnected: () => void;
  const connectedPromise = new Promise<void>((resolve) => (onConnected = resolve));

  const server: Server = createServer((_req, res) => {
    res.writeHead(426);
    res.end();
  });
  server.on('upgrade', (req, s: Duplex) => {
    const key = String(req.headers['sec-websocket-key']);
    const accept = createHash('sha1').update(key + GUID).digest('base64');
    s.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`, '', ''].join('\r\n'));
    socket = s;
    let pending: Buffer = Buffer.alloc(0);
    s.on('data', (chunk: Buffer) => {
      pending = readFrames(Buffer.concat([pending, chunk]), (opcode, payload) => {
        if (opcode === 0x1) received.push(JSON.parse(payload.toString('utf8')) as SocketAck);
        else if (opcode === 0x9) s.write(frame(0xa, payload));
        else if (opcode === 0x8) {
          s.write(frame(0x8, payload.subarray(0, 2)));
          s.end();
        }
      });
    });
    s.on('error', () => undefined);
    s.write(frame(0x1, Buffer.from(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' }, connection_info: { app_id: 'A1' } }))));
    onConnected();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `ws://127.0.0.1:${port}/link/?ticket=test`,
    received,
    connected: () => connectedPromise,
    send(message) {
      socket?.write(frame(0x1, Buffer.from(JSON.stringify(message))));
    },
    async waitForAck(envelopeId, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const ack = received.find((m) => m.envelope_id === envelopeId);
        if (ack) return ack;
        if (Date.now() > deadline) throw new Error(`no ack for ${envelopeId}; received ${JSON.stringify(received)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        socket?.destroy();
        server.close(() => resolve());
      }),
  };
}
