import { truncate } from '../../src/shared/truncate';
import { localeLang, langOr } from '../../src/shared/lang';

describe('truncate: the one way text is shortened', () => {
  it('leaves text that fits alone and cuts longer text to the limit, mark included', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('abcdefghij', 6)).toBe('abcde…');
    expect(truncate('abcdefghij', 6)).toHaveLength(6);
    expect(truncate('abcdefghij', 4, { ellipsis: '' })).toBe('abcd');
  });

  it('never cuts an emoji (a surrogate pair) in half', () => {
    expect(truncate('abcd😀😀', 5, { ellipsis: '' })).toBe('abcd');
    expect(truncate('abc😀defgh', 5)).toBe('abc…');
  });

  it('puts the mark against the last word, not after a space', () => {
    expect(truncate('one two three', 9)).toBe('one two…');
  });

  it('drops an HTML entity cut in half when asked (escaped Slack text)', () => {
    expect(truncate('Tom &amp; Jerry', 8, { wholeEntities: true })).toBe('Tom…');
    expect(truncate('Tom &amp; Jerry', 8)).toBe('Tom &am…');
  });
});

describe('the one locale rule', () => {
  it.each([
    ['nl-NL', 'nl'],
    ['nl_BE', 'nl'],
    ['NL', 'nl'],
    ['en-GB', 'en'],
    ['de-DE', 'en'],
    ['fr', 'en'],
  ] as const)('%s → %s whatever the default', (locale, lang) => {
    expect(localeLang(locale, 'nl')).toBe(lang);
    expect(localeLang(locale, 'en')).toBe(lang);
  });

  it('no locale → the configured default', () => {
    expect(localeLang(undefined, 'en')).toBe('en');
    expect(localeLang('  ', 'nl')).toBe('nl');
    expect(langOr('fr', 'en')).toBe('en');
    expect(langOr('nl', 'en')).toBe('nl');
  });
});
