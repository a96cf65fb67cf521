import i18next, { type i18n, type ParseKeys, type TOptions } from 'i18next';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';
import type { Namespace } from './i18n-resources';
import { LANGS, type Lang } from './lang';

/**
 * Every user-facing string outside the knowledge base lives in locales/<lang>/<namespace>.json.
 * Namespaces keep one file per part of the product: translation (conversation), support, channels.
 */

function defaultLocalesDir(): string {
  const candidates = [join(__dirname, '..', '..', 'locales'), join(__dirname, '..', '..', '..', 'locales')];
  // Every language, not just English: tsc copies the English files into dist/locales/en, because
  // i18n-resources.ts takes the key types from them; the files read at run time are the project's.
  return candidates.find((dir) => LANGS.every((lang) => existsSync(join(dir, lang)))) ?? candidates[0]!;
}

function readResources(dir: string): Record<string, Record<string, object>> {
  const resources: Record<string, Record<string, object>> = {};
  for (const lang of LANGS) {
    resources[lang] = {};
    const langDir = join(dir, lang);
    for (const file of readdirSync(langDir).filter((f) => f.endsWith('.json'))) {
      resources[lang][basename(file, '.json')] = JSON.parse(readFileSync(join(langDir, file), 'utf8')) as object;
    }
  }
  return resources;
}

/** Every namespace, the default first: its keys go bare ("errors.turn"), the others with their name ("channels:errors.turn"). */
type AllNamespaces = ['translation', ...Exclude<Namespace, 'translation'>[]];
/** A key that exists in the locale files. */
export type MessageKey = ParseKeys<AllNamespaces>;
/** A key whose value is a list (an array in the locale files). */
export type ListKey = ParseKeys<AllNamespaces, { returnObjects: true }>;

let instance: i18n | undefined;

function getInstance(): i18n {
  if (!instance) {
    const resources = readResources(defaultLocalesDir());
    instance = i18next.createInstance();
    // initAsync is not needed: with inline resources init completes synchronously.
    void instance.init({
      resources,
      lng: 'nl',
      fallbackLng: 'en',
      ns: Object.keys(resources['en'] ?? {}),
      defaultNS: 'translation',
      interpolation: { escapeValue: false },
      returnNull: false,
      initAsync: false,
    });
  }
  return instance;
}

/**
 * Strings without variables, once looked up. The locale files are read once and never change while
 * the process runs, and a turn looks up dozens of fixed labels: i18next's lookup path (option
 * merging, namespace and fallback resolution) was a visible share of a turn's CPU.
 */
const fixedStrings = new Map<string, string>();
/** Far above the number of keys in locales/; a key built from stored data can't grow the map past it. */
const MAX_FIXED_STRINGS = 5_000;

/** Translates `key` ("ns:key.path" or "key.path" in the translation namespace) into `lang`. */
export function t(lang: Lang, key: MessageKey, vars?: TOptions): string {
  if (vars && Object.keys(vars).length > 0) return getInstance().t(key, { ...vars, lng: lang });
  const cacheKey = `${lang}\u0000${key}`;
  let text = fixedStrings.get(cacheKey);
  if (text === undefined) {
    text = getInstance().t(key, { lng: lang });
    if (fixedStrings.size < MAX_FIXED_STRINGS) fixedStrings.set(cacheKey, text);
  }
  return text;
}

/**
 * For keys made from stored data (a ticket's channel or language), which the type checker cannot
 * know: the translation when the locale files have one, else undefined.
 */
export function tIfExists(lang: Lang, key: string): string | undefined {
  const i18n = getInstance();
  // A plain boolean: exists() as a type guard would brand the key into something t() refuses.
  const known: boolean = i18n.exists(key, { lng: lang });
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- tsc needs it: the rule reads an overload that takes any string
  return known ? i18n.t(key as MessageKey, { lng: lang }) : undefined;
}

/** A list stored as an array in the locale file (e.g. the help topics). */
export function tList(lang: Lang, key: ListKey): string[] {
  const value = getInstance().t(key, { lng: lang, returnObjects: true }) as unknown;
  return Array.isArray(value) ? (value as string[]) : [];
}
