// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Only TypeScript is linted: the web page's script and the jest/eslint configs are small plain JS.
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'data/', '**/*.js', '**/*.mjs'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    extends: [eslint.configs.recommended, ...tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // noUncheckedIndexedAccess is on: `xs[i]!` is how this code marks an index read it knows is in range.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Numbers and booleans print as themselves in messages and log lines.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `(line) => out(line)` and `return next()` in a void function are idioms, not values someone reads.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true }],
      // `Promise<string | void>`: a port whose implementations may answer with an id or with nothing.
      '@typescript-eslint/no-invalid-void-type': 'off',
      // botbuilder's ports are classes (ConnectorFactory, ServiceClientCredentialsFactory): we implement them by shape.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      // `const { secret, ...rest } = x` is how a field is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // Ports return promises; an implementation without await (memory store, fakes) stays async so a throw is a rejection.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Jest's asymmetric matchers (expect.objectContaining, expect.any …) are typed any so they fit any field.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      // `let server: Server` set in beforeAll is unset when beforeAll failed: afterAll's `server?.close()` guards that.
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
  {
    // Open work: these tests walk Slack Web API calls and Block Kit JSON as `any` (the fake Slack API records
    // args as Record<string, any>). Typing them (a Block Kit JSON type for the fake and the rule checks) is
    // still to do; every other file is held to the rules. README "Tests" lists the counts.
    files: [
      'test/channels/one-rule-everywhere.test.ts',
      'test/channels/slack/block-kit-rules.ts',
      'test/channels/slack/reply-delivery.test.ts',
      'test/channels/slack/slack-conversations.test.ts',
      'test/channels/slack/slack-escalation.test.ts',
      'test/channels/slack/slack-harness.ts',
      'test/channels/slack/slack-manifest.test.ts',
      'test/channels/slack/slack-payloads.ts',
      'test/channels/slack/slack-receiver.test.ts',
      'test/conversation/engine-info.test.ts',
      'test/e2e/escalation-flow.test.ts',
      'test/e2e/support/slack-workspace.ts',
      'test/e2e/two-instances.test.ts',
      'test/helpers/fake-slack-api.ts',
      'test/knowledge/procedures.test.ts',
      'test/replies/render-block-kit-turn.test.ts',
      'test/replies/render-block-kit.test.ts',
      'test/security/ticket-steering.test.ts',
    ],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
