import { loadKnowledge } from '../../src/knowledge/load-knowledge';
import { renderAdaptiveCard } from '../../src/replies/render-adaptive-card';
import { renderBlockKit } from '../../src/replies/render-block-kit';
import { renderText } from '../../src/replies/render-text';
import { createMatcher } from '../../src/understanding/create-matcher';
import { cardButtons, expectValidCard, visibleTexts } from '../helpers/adaptive-card-validator';
import { allElements, allTexts, blockKitViolations } from '../channels/slack/block-kit-rules';
import { buttonsOf, createHarness, textOf } from './harness';

/**
 * The info tier in a conversation, with the real knowledge base and matcher: a question next to the
 * article gets the fact in the user's language, the Microsoft Learn section it comes from and the
 * troubleshooting topic that usually follows; another product's question gets a fallback that names
 * it and links its documentation. Every channel can show both.
 */
const knowledge = loadKnowledge();
const matcher = createMatcher(knowledge);
const harness = (locale: string) => createHarness({ matcher, knowledge, inbound: { locale } });

describe('a question the MARS FAQ answers', () => {
  it('gets the fact, its source and the related topic, in English', async () => {
    const h = harness('en-US');
    const [reply, ...rest] = await h.say('How long is a vault credentials file valid after I download it?');
    expect(rest).toEqual([]);
    expect(reply).toMatchObject({ kind: 'info', lang: 'en', title: 'How long are vault credentials valid?' });
    expect(reply!.text![0]).toBe('A downloaded vault credentials file expires after 10 days. If it has expired, download a new one from the vault in the Azure portal.');
    expect(reply!.text).toContain('• Current vault credentials files carry a parameter that only MARS agent 2.0.9249.0 and later can read: update an older agent before you register.');
    expect(reply!.source).toEqual({
      label: 'How long are vault credentials valid? — MARS agent FAQ, Microsoft Learn',
      url: 'https://learn.microsoft.com/en-us/azure/backup/backup-azure-file-folder-backup-faq#how-long-are-vault-credentials-valid-',
    });
    expect(reply!.prompt).toBe('Not working as it should? This usually comes next:');
    expect(reply!.choices).toEqual([
      { id: 'topic-invalid-vault-credentials', label: knowledge.byId.get('invalid-vault-credentials')!.title.en, action: { type: 'choose-topic', topic: 'invalid-vault-credentials' } },
    ]);
    expect(buttonsOf([reply!]).map((b) => b.action.type)).toContain('escalate');
    expect(await h.store.listInteractions()).toEqual([
      expect.objectContaining({ type: 'question', topic: null }),
      expect.objectContaining({ type: 'answer', topic: 'info:vault-credentials-validity' }),
    ]);
  });

  it('gets the same fact in Dutch, in our own Dutch words', async () => {
    const h = harness('nl-NL');
    const [reply] = await h.say('Hoe lang blijft een kluisreferentiebestand geldig?');
    expect(reply).toMatchObject({ kind: 'info', lang: 'nl', title: 'Hoe lang is een kluisreferentiebestand geldig?' });
    expect(reply!.text![0]).toMatch(/verloopt na 10 dagen/);
    expect(reply!.source!.label).toBe('How long are vault credentials valid? — Veelgestelde vragen over de MARS-agent, Microsoft Learn (Engelstalig)');
    expect(reply!.prompt).toBe('Werkt het niet zoals het hoort? Dit komt meestal daarna:');
  });

  it('opens the related topic from its button, or by typing its number', async () => {
    const h = harness('en-US');
    await h.say('How much free space does the scratch folder need?');
    const [answer] = await h.press('Cache (scratch) folder problems');
    expect(answer).toMatchObject({ kind: 'answer', title: 'Cache (scratch) folder problems' });

    const typed = harness('nl-NL');
    await typed.say('Hoe lang zijn kluisreferenties geldig?');
    const [viaNumber] = await typed.say('1');
    expect(viaNumber).toMatchObject({ kind: 'answer', lang: 'nl' });
    expect((await typed.state()).topic).toBe('invalid-vault-credentials');
  });

  it('answers a support-matrix question without troubleshooting steps', async () => {
    const h = harness('en-US');
    const replies = await h.say('Is the MARS agent supported on Windows Server Core?');
    expect(replies.map((r) => r.kind)).toEqual(['info']);
    expect(textOf(replies)).toMatch(/doesn't support the Server Core editions/);
    expect(replies[0]!.steps).toBeUndefined();
    expect(replies[0]!.source!.url).toBe('https://learn.microsoft.com/en-us/azure/backup/backup-support-matrix-mars-agent#supported-operating-systems');
  });
});

describe('a question about another product or tool', () => {
  it('names it and links its documentation, in English', async () => {
    const h = harness('en-US');
    const [reply] = await h.say('Get-AzRecoveryServicesBackupItem returns nothing for my server, how do I restore from it?');
    expect(reply).toMatchObject({ kind: 'fallback', lang: 'en' });
    expect(reply!.text![0]).toBe(
      "That's a question about Azure PowerShell (the Az.RecoveryServices cmdlets). Microsoft's documentation for it is linked below, and our support team can take it from here.",
    );
    expect(reply!.source).toEqual({ label: 'Az.RecoveryServices module reference (Microsoft Learn)', url: 'https://learn.microsoft.com/en-us/powershell/module/az.recoveryservices/' });
    expect(buttonsOf([reply!]).map((b) => b.action)).toEqual([{ type: 'escalate' }]);
  });

  it('names it in Dutch', async () => {
    const h = harness('nl-NL');
    const [reply] = await h.say('De MABS-console meldt dat de replica inconsistent is voor een Hyper-V VM');
    expect(reply).toMatchObject({ kind: 'fallback', lang: 'nl' });
    expect(reply!.text![0]).toMatch(/^Dit is een vraag over Microsoft Azure Backup Server \(MABS\) en System Center DPM\./);
    expect(reply!.source!.url).toBe('https://learn.microsoft.com/en-us/azure/backup/backup-azure-mabs-troubleshoot');
  });
});

describe('every channel shows an info reply with its link and the related-topic button', () => {
  const infoReply = async () => (await harness('en-US').say('Can two servers with the same name use one vault?'))[0]!;

  it('as a valid Adaptive Card (Teams, web chat)', async () => {
    const reply = await infoReply();
    expect(reply.kind).toBe('info');
    const card = renderAdaptiveCard(reply);
    expectValidCard(card);
    expect(visibleTexts(card)[0]).toBe('Can two machines with the same name use one vault?');
    const buttons = cardButtons(card);
    expect(buttons.find((b) => b.type === 'Action.OpenUrl')).toMatchObject({
      url: 'https://learn.microsoft.com/en-us/azure/backup/backup-support-matrix-mars-agent#other-limitations',
    });
    expect(buttons.filter((b) => b.type === 'Action.Submit').map((b) => b.data)).toEqual([{ marsbot: { type: 'escalate' } }]);
  });

  it('as Block Kit (Slack) and as text (CLI), with the related topic as a button and as a numbered choice', async () => {
    const reply = (await harness('en-US').say('How much free space does the scratch folder need?'))[0]!;
    const { blocks } = renderBlockKit(reply);
    expect(blockKitViolations(blocks)).toEqual([]);
    expect(allElements(blocks).filter((e) => e.type === 'button').map((e) => e.text.text)).toEqual(
      expect.arrayContaining(['Cache (scratch) folder problems', 'Escalate to support']),
    );
    expect(allTexts(blocks).map((t) => t.text).join('\n')).toContain('backup-azure-file-folder-backup-faq#what-s-the-minimum-size-requirement-for-the-cache-folder-');
    const text = renderText(reply);
    expect(text).toMatch(/^How much free space does the cache folder need\?/);
    expect(text).toContain('[1] Cache (scratch) folder problems');
    expect(text).toContain('https://learn.microsoft.com/en-us/azure/backup/backup-azure-file-folder-backup-faq#');
  });
});
