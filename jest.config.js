/** Tests run the TypeScript sources directly through swc; type checking happens in `npm run build`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  // A bound on a hang, not a speed check: CI runs three suites (Node 20, 22, 24) side by side on two cores.
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
  setupFiles: ['<rootDir>/test/helpers/setup-logging.ts'],
  // restify 11 loads spdy, which crashes on Node 22+; we never serve SPDY (see src/server/load-restify.ts).
  moduleNameMapper: { '^spdy$': '<rootDir>/test/helpers/spdy-stub.ts' },
};
