import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { t, tIfExists, tList } from '../../src/shared/i18n';

const LOCALES = join(__dirname, '..', '..', 'locales');

/** Every leaf key of a locale file ("a.b.c"); a list counts as one leaf. */
function leafKeys(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix.slice(0, -1)];
  return Object.entries(value).flatMap(([key, child]) => leafKeys(child, `${prefix}${key}.`));
}

function keysOf(lang: string, file: string): string[] {
  return leafKeys(JSON.parse(readFileSync(join(LOCALES, lang, file), 'utf8')) as unknown);
}

describe('locale files', () => {
  // The key types come from the English files only: a key missing in Dutch would type-check and then
  // show a Dutch admin English text, so the two languages must hold the same keys.
  it.each(readdirSync(join(LOCALES, 'en')).filter((file) => file.endsWith('.json')))('%s has the same keys in Dutch and English', (file) => {
    expect(keysOf('nl', file).sort()).toEqual(keysOf('en', file).sort());
  });
});

describe('typed translation keys', () => {
  it('a misspelt or missing key does not type-check (npm test runs tsc over this file)', () => {
    // @ts-expect-error 'reset.donee' is not a key in locales/en/translation.json
    expect(t('en', 'reset.donee')).toBe('reset.donee');
    // @ts-expect-error the namespace exists, the key does not
    expect(t('nl', 'support:cli.noTicketz')).toBe('cli.noTicketz');
    // @ts-expect-error a key of another namespace needs that namespace's prefix
    expect(t('en', 'web.title')).toBe('web.title');
  });

  it('a real key gives each language its own text', () => {
    expect(t('en', 'channels:web.title')).not.toBe(t('nl', 'channels:web.title'));
    expect(tList('nl', 'channels:web.examples').length).toBeGreaterThan(0);
  });

  it('a key built from stored data gives the translation when there is one, else nothing', () => {
    expect(tIfExists('nl', 'support:language.nl')).toBe(t('nl', 'support:language.nl'));
    expect(tIfExists('en', 'support:platform.fax')).toBeUndefined();
  });
});
