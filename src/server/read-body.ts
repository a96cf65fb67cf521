import type { Request, RequestHandler, Response } from 'restify';
import { MAX_JSON_DEPTH, decodeUtf8, parseJson } from '../shared/safe-json';

/**
 * Reads a request body for the routes that take one, with every limit applied before a handler
 * sees it: at most `maxBytes` (413), valid UTF-8 (400), and for JSON nested at most `maxDepth`
 * deep and well-formed (400). JSON lands parsed in `req.body`; every body's text is in
 * `req.rawBody` (Slack's signature covers exactly that text). A refused request gets a short
 * reason and nothing behind this middleware runs.
 */

export interface BodyLimits {
  maxBytes: number;
  maxDepth?: number;
}

type BodyRequest = Request & { rawBody?: string; body?: unknown };

class BodyTooLarge extends Error {}

async function readBytes(req: Request, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > maxBytes) throw new BodyTooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function refuse(res: Response, status: number, error: string, next: (err?: false) => void): void {
  // The rest of a refused body is not read: the connection closes after the answer.
  if (status === 413) res.setHeader('Connection', 'close');
  res.send(status, { error });
  next(false);
}

export function createBodyReader(limits: BodyLimits): RequestHandler {
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  const tooLarge = `request body over ${limits.maxBytes} bytes`;
  async function read(req: BodyRequest, res: Response, next: (err?: false) => void): Promise<void> {
    if (Number(req.headers['content-length'] ?? 0) > limits.maxBytes) {
      refuse(res, 413, tooLarge, next);
      return;
    }
    let bytes: Buffer;
    try {
      bytes = await readBytes(req, limits.maxBytes);
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        refuse(res, 413, tooLarge, next);
        return;
      }
      // The client went away mid-body: there is nobody to answer.
      next(false);
      return;
    }
    if (bytes.length === 0) {
      next();
      return;
    }
    const text = decodeUtf8(bytes);
    if (text === undefined) {
      refuse(res, 400, 'body is not valid UTF-8', next);
      return;
    }
    req.rawBody = text;
    if (req.getContentType() !== 'application/json') {
      req.body = text;
      next();
      return;
    }
    const parsed = parseJson(text, maxDepth);
    if (!parsed.ok) {
      refuse(res, 400, parsed.reason, next);
      return;
    }
    req.body = parsed.value;
    next();
  }
  // restify takes a callback-style handler (three arguments) only when it is not an async function.
  return (req: BodyRequest, res: Response, next: (err?: false) => void) => {
    void read(req, res, next);
  };
}
