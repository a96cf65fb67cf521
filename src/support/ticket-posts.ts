import { ConflictError, type Store } from '../storage/store';

/**
 * Where each ticket's summary was posted: the support channels that may Claim and Resolve it.
 * Written before the post goes out, so a click on the post always finds its place recorded.
 */

interface TicketPost {
  channel: string;
  place: string;
}

export interface TicketPosts {
  record(ticketId: string, post: TicketPost): Promise<void>;
  of(ticketId: string): Promise<TicketPost[]>;
}

export const postsKey = (ticketId: string): string => `ticket-posts:${ticketId}`;
const MAX_TRIES = 5;

function readPosts(value: unknown): TicketPost[] {
  const posts = (value as { posts?: unknown } | undefined)?.posts;
  if (!Array.isArray(posts)) return [];
  return (posts as unknown[]).filter((p): p is TicketPost => typeof (p as Partial<TicketPost> | null)?.channel === 'string' && typeof (p as Partial<TicketPost> | null)?.place === 'string');
}

export function createTicketPosts(store: Pick<Store, 'getDocument' | 'putDocument'>): TicketPosts {
  return {
    async record(ticketId, post) {
      // Read, add, write with the eTag: two instances recording different posts both keep theirs.
      for (let attempt = 1; ; attempt++) {
        const current = await store.getDocument(postsKey(ticketId));
        const posts = readPosts(current?.value);
        if (posts.some((p) => p.channel === post.channel && p.place === post.place)) return;
        try {
          await store.putDocument(postsKey(ticketId), { posts: [...posts, post] }, current?.etag ?? null);
          return;
        } catch (err) {
          if (!(err instanceof ConflictError) || attempt >= MAX_TRIES) throw err;
        }
      }
    },
    async of(ticketId) {
      return readPosts((await store.getDocument(postsKey(ticketId)))?.value);
    },
  };
}
