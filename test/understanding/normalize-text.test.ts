import { loadKnowledge } from '../../src/knowledge/load-knowledge';
import { createAnalyzer } from '../../src/understanding/analyzer';
import { foldCase, repairOcrWords, stripMarkup, stripTimestamps } from '../../src/understanding/normalize-text';

describe('text normalisation', () => {
  it('repairs digits typed for letters inside words, and leaves ids, hex codes and versions alone', () => {
    expect(repairOcrWords('the vau1t file is c0rrupted, credentia1s 0x1fc07 srv9 v12 win10 1fc07 34513')).toBe(
      'the vault file is corrupted, credentials 0x1fc07 srv9 v12 win10 1fc07 34513',
    );
  });

  it('folds case, accents, typographic quotes and dashes', () => {
    expect(foldCase('Geïnstalleerd “Vault” ‘x’ – wait…')).toBe('geinstalleerd "vault" \'x\' - wait...');
    expect(foldCase('PLAIN ASCII Text')).toBe('plain ascii text');
  });

  it('drops Slack and Teams markup but keeps the words', () => {
    expect(stripMarkup('<@U123> see <https://x.y/z|the doc> and <https://a.b> @marsbot *bold* `code` ```fence``` <at>Bot</at>\n> quoted')).toBe(
      '  see the doc and     bold   code   fence   Bot \n  quoted',
    );
    expect(stripMarkup('plain question without markup?')).toBe('plain question without markup?');
  });

  it('drops timestamps and dates so they never read as error ids', () => {
    expect(stripTimestamps('2025-03-01 01:00:12.341 CBEngine WARN on 1/2/2024 at 10:30, id 34513')).toBe('  CBEngine WARN on   at  , id 34513');
  });
});

describe('synonyms', () => {
  const analyzer = createAnalyzer(loadKnowledge().synonyms, []);

  it('rewrites every name of a thing to one word, the longest name first', () => {
    expect(analyzer.clean("Our CBEngine.exe behind the Proxy Server, .NET Framework 4.8 en 's nachts kluisreferentiebestanden")).toBe(
      'our mars behind the proxy, dotnet 4.8 en scheduled vault credentials',
    );
    expect(analyzer.clean('backupserver mars-agent: back up now; the vault credential file (vaultcredentials)')).toBe(
      'backupserver mars: backup now; the vault credentials (vault credentials)',
    );
  });

  it('only rewrites whole words', () => {
    expect(analyzer.clean('hostname, hosting, host. rsv? rsvp')).toBe('hostname, hosting, server. vault? rsvp');
  });
});
