import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import type { RequestMaker } from './payloads';

/**
 * The two load shapes of the HTTP benchmark:
 *   throughput — autocannon, N connections each sending its next request as soon as the previous
 *                one is answered (closed loop): the most the server completes per second;
 *   paced      — an open-loop generator sending at evenly spaced instants (200/s = one every 5 ms)
 *                whether or not earlier requests are done; latency counts from the planned instant,
 *                so a server that falls behind shows it (no coordinated omission).
 * autocannon's own overallRate is not used for the steady run: each connection sends its share
 * for the second back to back at the top of the second, which is bursts, not a steady rate.
 */

export interface LoadResult {
  /** Requests answered with 2xx. */
  ok: number;
  /** Answered with another status, or failed (connection error, timeout). */
  failed: number;
  durationS: number;
  /** 2xx per second of the run. */
  rate: number;
  /** Latency percentiles of the 2xx answers, milliseconds. */
  p50: number;
  p99: number;
  max: number;
  /** Send instant (wall clock ms) per reply key of the requests answered with 2xx, for end-to-end timing. */
  sentAt: Map<string, number>;
  /** Wall clock ms when the first request went out. */
  startedAt: number;
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function summarize(latencies: number[], ok: number, failed: number, durationS: number, sentAt: Map<string, number>, startedAt: number): LoadResult {
  const sorted = Float64Array.from(latencies).sort();
  return {
    ok,
    failed,
    durationS,
    rate: ok / durationS,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    sentAt,
    startedAt,
  };
}

export interface ThroughputOptions {
  url: string;
  path: string;
  connections: number;
  durationS: number;
  make: RequestMaker;
}

export async function runThroughput(options: ThroughputOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const sentAt = new Map<string, number>();
  const startedAt = performance.timeOrigin + performance.now();
  let ok = 0;
  let failed = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${options.url}${options.path}`,
        connections: options.connections,
        duration: options.durationS,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            path: options.path,
            // autocannon keeps one context per connection and sends one request at a time on it, so the
            // context carries this request's reply key from setupRequest to onResponse.
            setupRequest: (req, context) => {
              const next = options.make();
              Object.assign(context, { replyKey: next.replyKey, sentAt: performance.timeOrigin + performance.now() });
              return { ...req, body: next.body, headers: next.headers };
            },
            onResponse: (status, _body, context) => {
              const { replyKey, sentAt: at } = context as { replyKey?: string; sentAt: number };
              if (replyKey && status >= 200 && status < 300) sentAt.set(replyKey, at);
            },
          },
        ],
      },
      (error, done) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) {
        ok++;
        latencies.push(responseTime);
      } else failed++;
    });
  });
  return summarize(latencies, ok, failed + result.errors, result.duration, sentAt, startedAt);
}

export interface PacedOptions {
  url: string;
  path: string;
  rate: number;
  durationS: number;
  make: RequestMaker;
  /**
   * Seconds sent at the same rate before the measured part and not counted, so the measurement
   * starts in the steady state (connections open, the previous run's effects gone).
   */
  leadInS?: number;
  /** Called when the measured part starts sending and when it has sent its last request. */
  onWindow?: (edge: 'start' | 'end') => void;
  /** How long to wait for the last answers after the last send. */
  drainTimeoutMs?: number;
}

export async function runPaced(options: PacedOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  // Enough sockets that a slow answer never delays the next planned send.
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const skipped = Math.round(options.rate * (options.leadInS ?? 0));
  const total = skipped + Math.round(options.rate * options.durationS);
  const intervalMs = 1000 / options.rate;
  const latencies: number[] = [];
  const sentAt = new Map<string, number>();
  let ok = 0;
  let failed = 0;
  let sent = 0;
  let settled = 0;
  const start = performance.now();
  const startedAt = performance.timeOrigin + start + skipped * intervalMs;

  let allSettled!: () => void;
  const done = new Promise<void>((resolve) => (allSettled = resolve));
  const settle = () => {
    if (++settled === total) allSettled();
  };

  const fire = (index: number, plannedAt: number) => {
    const counted = index >= skipped;
    if (index === skipped) options.onWindow?.('start');
    const next = options.make();
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: options.path,
        method: 'POST',
        headers: { ...next.headers, 'content-length': String(Buffer.byteLength(next.body)) },
        timeout: 10_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const success = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300;
          if (counted && success) {
            ok++;
            latencies.push(performance.now() - plannedAt);
            if (next.replyKey) sentAt.set(next.replyKey, performance.timeOrigin + plannedAt);
          } else if (counted) failed++;
          settle();
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => {
      if (counted) failed++;
      settle();
    });
    req.end(next.body);
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / intervalMs) + 1);
      while (sent < due) {
        fire(sent, start + sent * intervalMs);
        sent++;
      }
      if (sent >= total) {
        options.onWindow?.('end');
        resolve();
      }
      else setTimeout(tick, Math.max(0, start + sent * intervalMs - performance.now()));
    };
    tick();
  });
  const drained = await Promise.race([
    done.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), options.drainTimeoutMs ?? 30_000).unref()),
  ]);
  agent.destroy();
  // Still unanswered after the drain timeout: failed.
  const unanswered = drained ? 0 : total - settled;
  return summarize(latencies, ok, failed + unanswered, options.durationS, sentAt, startedAt);
}
