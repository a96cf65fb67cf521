import { createMemoryStore } from '../../src/storage/memory-store';
import { describeStoreContract } from './store-contract';

describeStoreContract('memory', async () => ({
  durable: false,
  open: async (options) => createMemoryStore(options),
  dispose: async () => undefined,
}));
