import type { Inbound } from './inbound';
import type { Reply } from '../replies/reply';

/**
 * The channel-neutral conversation engine: one user turn in, the replies out.
 * State lives in the Store; adapters only translate wire formats.
 */
export interface Engine {
  handle(inbound: Inbound): Promise<Reply[]>;
}
