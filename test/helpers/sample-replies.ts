import type { Reply } from '../../src/replies/reply';

/**
 * A typical turn for renderer and delivery tests: the answer to 34513 and its follow-up question.
 * Overrides change what a test is about; the rest stays realistic.
 */

export function sampleAnswer(overrides: Partial<Reply> = {}): Reply {
  return {
    kind: 'answer',
    lang: 'en',
    title: 'Invalid vault credentials provided',
    text: ['The vault credentials file is invalid or expired.'],
    steps: ['Download a new vault credentials file.', 'Run the registration again.'],
    actions: [{ id: 'escalate', label: 'Ask support', action: { type: 'escalate' } }],
    source: { label: 'Troubleshoot the MARS agent', url: 'https://learn.microsoft.com/azure/backup/backup-azure-mars-troubleshoot' },
    ...overrides,
  };
}

export function sampleQuestion(overrides: Partial<Reply> = {}): Reply {
  return {
    kind: 'question',
    lang: 'en',
    prompt: 'Did you download the vault credentials file today?',
    choices: [
      { id: 'yes', label: 'Yes, today', action: { type: 'follow-up', topic: 'invalid-vault-credentials', question: 'fresh', option: 'yes' } },
      { id: 'no', label: 'No, earlier', action: { type: 'follow-up', topic: 'invalid-vault-credentials', question: 'fresh', option: 'no' } },
    ],
    ...overrides,
  };
}
