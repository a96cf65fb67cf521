import fc from 'fast-check';
import { loadKnowledge } from '../../src/knowledge/load-knowledge';
import { createMemoryStore } from '../../src/storage/memory-store';
import { createMatcher } from '../../src/understanding/create-matcher';
import { FakeSupportDesk } from '../helpers/fake-support-desk';
import { buttonsOf, createHarness } from './harness';

const knowledge = loadKnowledge();
const matcher = createMatcher(knowledge);

const PHRASES = [
  '34513', 'ja', 'nee', 'yes', 'no', '1', '3', 'proxy', 'werkt niet', 'en als dat niet werkt?', "what if I don't have a proxy?",
  'wat als het bestand nieuw is?', 'in English please', 'nederlands graag', 'escaleer', 'skip', 'cancel', 'opnieuw', 'help',
  'hallo', 'bedankt', 'kluisreferenties', 'waarom draait mijn geplande back-up niet', 'SalLowDiskSpace', '0x1FC07',
  'mijn printer doet het niet', '', '   ', '?', 'x'.repeat(10_000),
];

describe('any sequence of messages and button presses, with the real matcher and knowledge', () => {
  it('always answers, never throws, and keeps the state small', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constantFrom(...PHRASES), fc.string({ maxLength: 60 }), fc.nat({ max: 9 })), { minLength: 1, maxLength: 12 }),
        async (turns) => {
          const h = createHarness({ matcher, knowledge, store: createMemoryStore(), supportDesk: new FakeSupportDesk() });
          for (const turn of turns) {
            let replies;
            if (typeof turn === 'number') {
              const buttons = buttonsOf(h.last);
              if (buttons.length === 0) continue;
              replies = await h.act(buttons[turn % buttons.length]!.action);
            } else {
              replies = await h.say(turn);
            }
            expect(replies.length).toBeGreaterThan(0);
            for (const reply of replies) expect(['nl', 'en']).toContain(reply.lang);
          }
          const state = await h.state();
          expect(JSON.stringify(state).length).toBeLessThan(50 * 2100 + 20_000);
        },
      ),
      { numRuns: 60 },
    );
  });
});
