import Module from 'node:module';
import { dirname } from 'node:path';

type Restify = typeof import('restify');

/**
 * restify 11 loads `spdy` at start-up even when SPDY is not used, and spdy's dependencies call
 * process.binding('http_parser' | 'stream_wrap' | 'uv'), which Node 22+ no longer has: requiring
 * restify would crash there (and warns DEP0111 on Node 20). We never serve SPDY, so a stand-in takes
 * its place in the module cache before restify asks for it.
 */
export function loadRestify(): Restify {
  try {
    const spdyPath = require.resolve('spdy', { paths: [dirname(require.resolve('restify'))] });
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a bundler's or test runner's require may have no cache
    if (require.cache && !require.cache[spdyPath]) {
      const stub = new Module(spdyPath);
      stub.filename = spdyPath;
      stub.loaded = true;
      stub.exports = {
        createServer(): never {
          throw new Error('SPDY is not supported by marsbot; use plain HTTP behind a TLS-terminating proxy');
        },
      };
      require.cache[spdyPath] = stub;
    }
  } catch {
    // Module resolution differs (a bundler, a test runner with its own registry): load restify as is.
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('restify') as Restify;
}
