import type { Logger } from 'pino';
import type { Server } from 'restify';

/**
 * Stopping without dropping a conversation: on SIGTERM the server stops accepting connections and
 * reports not-ready, turns in flight finish and get their replies out (their connections close
 * after the response instead of idling in keep-alive), then the background work stops — the outbox
 * worker after the batch it is delivering — and the store closes. All within a deadline: a turn
 * stuck on an unreachable service must not keep the process from being replaced.
 */

export interface Lifecycle {
  readonly draining: boolean;
  /** Marks the process as going away; listeners (the HTTP server) react at once. */
  drain(): void;
  onDrain(listener: () => void): void;
}

export function createLifecycle(): Lifecycle {
  let draining = false;
  const listeners: (() => void)[] = [];
  return {
    get draining() {
      return draining;
    },
    drain() {
      if (draining) return;
      draining = true;
      for (const listener of listeners) listener();
    },
    onDrain(listener) {
      if (draining) listener();
      else listeners.push(listener);
    },
  };
}

export interface ShutdownStep {
  name: string;
  run(): Promise<void>;
}

export interface ShutdownSettings {
  server: Server;
  lifecycle: Lifecycle;
  /** After the server has finished its requests, in order: outbox worker, Slack socket, store … */
  steps: ShutdownStep[];
  timeoutMs: number;
  logger: Logger;
}

/** Resolves with the exit code: 0 when everything finished in time and without error, 1 otherwise. */
export async function shutDown(settings: ShutdownSettings): Promise<0 | 1> {
  const { server, lifecycle, logger } = settings;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), settings.timeoutMs);
  });

  let failedSteps = 0;
  const work = (async (): Promise<'done'> => {
    const closed = new Promise<void>((resolve) => {
      server.close(() => resolve());
    });
    lifecycle.drain();
    await closed;
    logger.info('HTTP server closed; requests in flight have been answered');
    for (const step of settings.steps) {
      try {
        await step.run();
      } catch (err) {
        failedSteps += 1;
        logger.error({ step: step.name, err }, 'shutdown step failed');
      }
    }
    return 'done';
  })();

  const outcome = await Promise.race([work, deadline]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    logger.error({ timeoutMs: settings.timeoutMs }, 'shutdown did not finish in time; closing the remaining connections');
    server.server.closeAllConnections();
    return 1;
  }
  return failedSteps === 0 ? 0 : 1;
}
