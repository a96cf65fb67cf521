import { loadConfig } from '../config';
import { createMarsbot, type Marsbot } from '../create-marsbot';

/**
 * Builds marsbot from the configuration (DATABASE_URL or the SQLite file) for one CLI command, the
 * same way the server does, and closes it afterwards. Nothing listens and no background work runs:
 * what the command enqueues (a ticket's notifications) goes out from the server's outbox.
 */
export async function withMarsbot(run: (marsbot: Marsbot) => Promise<number>): Promise<number> {
  const config = loadConfig();
  // The rate limits guard the network endpoints against floods; the operator at the terminal (a
  // conversation eval of hundreds of turns, say) is not one.
  const off = { perMinute: 0, burst: 0 };
  const marsbot = await createMarsbot({ ...config, rateLimits: { user: off, conversation: off, address: off } });
  try {
    return await run(marsbot);
  } finally {
    await marsbot.close();
  }
}
