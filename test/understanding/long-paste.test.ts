import { loadConfig } from '../../src/config';
import { loadKnowledge } from '../../src/knowledge/load-knowledge';
import { createMatcher } from '../../src/understanding/create-matcher';
import { excerptForScoring, MAX_MATCH_CHARS } from '../../src/understanding/long-paste';
import { MAX_INPUT_CHARS } from '../../src/understanding/normalize-text';
import { createHarness, textOf } from '../conversation/harness';

/**
 * A long paste is read whole: the error is usually on the last line of a log, and a log that starts
 * with other things must not be answered from its first 8,000 characters.
 */
const kb = loadKnowledge();
const matcher = createMatcher(kb);

/** A night of agent log lines, `size` characters, that talk about proxies, vaults and jobs but carry no error. */
function agentLog(size: number, seed = 1): string[] {
  const lines: string[] = [];
  let length = 0;
  for (let n = 0; length < size; n++) {
    const line = `2025-03-${String((n % 28) + 1).padStart(2, '0')} 01:${String(n % 60).padStart(2, '0')}:12.341 CBEngine INFO job-${seed}-${n} CloudServiceHelper: upload chunk ${n} (${n % 997} items) via proxy none, vault srv-${seed}, retry 0`;
    lines.push(line);
    length += line.length + 1;
  }
  return lines;
}

describe('a pasted log is read whole', () => {
  it.each([
    [10_000, 'CBEngine ERROR Microsoft Azure Recovery Services Agent was unable to access the scratch location to initialize VHD', 'sal-vhd-init-failed'],
    [10_000, 'CBEngine FATAL Backup failed due to insufficient storage in volume where the scratch folder is located', 'sal-low-disk-space'],
    [200_000, 'CBEngine ERROR SalChecksumStoreInitializationFailed', 'sal-checksum-store-failed'],
    [
      200_000,
      'Start-OBRegistration : Invalid vault credentials provided. The file is either corrupted or does not have the latest credentials associated with recovery service. (ID: 34513)',
      'invalid-vault-credentials',
    ],
  ])('finds the error on the last line of a %d-character log', (size, last, topic) => {
    const text = ['Hoi, hieronder de log van vannacht. Wat gaat er mis?', ...agentLog(size), last].join('\n');
    expect(text.length).toBeGreaterThan(size);
    const u = matcher.understand(text);
    expect(u).toMatchObject({ kind: 'answer', topic, truncated: false });
  });

  it('answers the error at the end, not the subject of the first 8,000 characters', () => {
    // The first part is a proxy discussion; the error that matters is the last line.
    const chatter = Array.from({ length: 60 }, (_, i) => `note ${i}: we changed the proxy settings for the system account and the firewall rules again`);
    const text = [...chatter, ...agentLog(12_000), 'ERROR Error 34506. The encryption passphrase stored on this computer is not correctly configured.'].join('\n');
    expect(text.indexOf('34506')).toBeGreaterThan(MAX_MATCH_CHARS);
    expect(matcher.understand(text)).toMatchObject({ kind: 'answer', topic: 'passphrase-not-configured', errorIds: ['34506'] });
  });

  it('does not take the numbers of a long log (job-403, 407 items) for HTTP errors', () => {
    const text = [...agentLog(200_000, 7), 'CBEngine ERROR SalChecksumStoreInitializationFailed'].join('\n');
    expect(text).toMatch(/job-7-403\b/);
    expect(matcher.understand(text).errorIds).toEqual(['SalChecksumStoreInitializationFailed']);
  });

  it('reads everything a channel can deliver (1 MiB), and only cuts beyond that', () => {
    expect(MAX_INPUT_CHARS).toBe(1_048_576);
    expect(loadConfig({}).maxMessageChars).toBe(MAX_INPUT_CHARS);
    const almostMiB = [...agentLog(1_000_000, 3), 'CBEngine ERROR SalLowDiskSpace'].join('\n');
    expect(almostMiB.length).toBeLessThan(MAX_INPUT_CHARS);
    expect(matcher.understand(almostMiB)).toMatchObject({ topic: 'sal-low-disk-space', truncated: false });
  });
});

describe('the excerpt that is scored closely', () => {
  const lines = agentLog(30_000, 2);
  const text = ['please look at this log, thanks', ...lines.slice(0, 100), 'ERROR (ID: 100050) unable to connect', ...lines.slice(100), 'last line of the paste'].join('\n');
  const excerpt = excerptForScoring(text, (line) => line.includes('ID: 100050'));

  it('stays within the budget and keeps lines in their order', () => {
    expect(excerpt.partial).toBe(true);
    expect(excerpt.text.length).toBeLessThanOrEqual(MAX_MATCH_CHARS);
    const kept = excerpt.text.split('\n');
    const positions = kept.map((line) => text.split('\n').indexOf(line));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('keeps the line with the error and its neighbours, the user\'s first words and the end', () => {
    const kept = excerpt.text.split('\n');
    expect(kept).toContain('ERROR (ID: 100050) unable to connect');
    expect(kept).toContain(lines[99]);
    expect(kept).toContain(lines[100]);
    expect(kept[0]).toBe('please look at this log, thanks');
    expect(kept[kept.length - 1]).toBe('last line of the paste');
  });

  it('leaves a short message as it is', () => {
    expect(excerptForScoring('fout 34513', () => true)).toEqual({ text: 'fout 34513', partial: false });
  });
});

describe('through the engine', () => {
  it('answers a 200 KB paste with the error on its last line, without saying it was cut', async () => {
    const h = createHarness({ matcher, knowledge: kb, inbound: { locale: 'en-US' } });
    const text = ['Last night on FS01:', ...agentLog(200_000, 5), 'CBEngine ERROR SalLowDiskSpace: not enough space on the scratch volume'].join('\n');
    const replies = await h.say(text);
    expect(replies[0]).toMatchObject({ kind: 'answer', title: expect.stringMatching(/space/i) });
    expect(textOf(replies)).not.toMatch(/only read the first part/);
    const state = await h.state();
    expect(state.errorIds).toEqual(['SalLowDiskSpace']);
    expect(state.topic).toBe('sal-low-disk-space');
  });
});
