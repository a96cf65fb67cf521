/**
 * Stands in for `spdy` under jest (wired in jest.config.js moduleNameMapper): restify 11 loads spdy at
 * start-up and spdy crashes on Node 22+. src/server/load-restify.ts does the same for `npm start`, but
 * jest keeps its own module registry, so it needs its own mapping.
 */
export function createServer(): never {
  throw new Error('SPDY is not supported by marsbot');
}
