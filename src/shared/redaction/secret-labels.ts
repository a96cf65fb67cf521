import type { SecretKind } from './rule';

/**
 * The words people put in front of a secret, in Dutch and English, and how a word is recognised
 * as one of them: written together or apart ("pass phrase", "wachtwoord zin"), as the end of an
 * identifier (DB_PASSWORD, EncryptionPassphrase, kluiswachtwoord), or with one typo (pasphrase,
 * wachtwordzin, passwrod).
 */

export type LabelKind = Extract<SecretKind, 'passphrase' | 'password' | 'security-pin' | 'client-secret' | 'storage-key' | 'api-key' | 'token' | 'recovery-key'>;

/** Labels as one lower-case word without spaces, hyphens or underscores. */
const LABELS: Record<string, LabelKind> = {
  passphrase: 'passphrase',
  wachtwoordzin: 'passphrase',
  encryptionkey: 'passphrase',
  encryptiesleutel: 'passphrase',
  versleutelingssleutel: 'passphrase',
  password: 'password',
  passwort: 'password',
  passwd: 'password',
  passcode: 'password',
  wachtwoord: 'password',
  paswoord: 'password',
  pincode: 'security-pin',
  securitypin: 'security-pin',
  beveiligingspin: 'security-pin',
  beveiligingspincode: 'security-pin',
  secret: 'client-secret',
  apppassword: 'client-secret',
  clientgeheim: 'client-secret',
  apikey: 'api-key',
  accountkey: 'storage-key',
  accesskey: 'storage-key',
  storagekey: 'storage-key',
  sharedkey: 'storage-key',
  sharedaccesskey: 'storage-key',
  opslagsleutel: 'storage-key',
  toegangssleutel: 'storage-key',
  accountsleutel: 'storage-key',
  token: 'token',
  recoverykey: 'recovery-key',
  herstelsleutel: 'recovery-key',
};

/**
 * Short labels count only as the whole word, never as the end of a longer one ("bypass" is not
 * "pass"): pw, pwd, ww (Dutch shorthand for wachtwoord), pin, and pass.
 */
const SHORT_LABELS: Record<string, LabelKind> = {
  pw: 'password',
  pwd: 'password',
  psw: 'password',
  pswd: 'password',
  ww: 'password',
  pass: 'password',
  pin: 'security-pin',
  key1: 'storage-key',
  key2: 'storage-key',
};

/** "pass" is also an ordinary verb: only a label in `$pass`, `-pass`, `/pass:` or right before ":" / "=". */
const VERB_LIKE_LABELS = new Set(['pass']);

/**
 * Labels people mistype (the ones they type themselves, not copy from a config file). One edit
 * away (a letter missing, extra, wrong, or two swapped) is found via the deletions of both words,
 * as SymSpell does: a handful of map lookups per word instead of a distance to every label.
 */
const FUZZY_LABELS = ['passphrase', 'password', 'paswoord', 'wachtwoord', 'wachtwoordzin'];
const MAX_LABEL_CHARS = 48;

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i += 1) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

const FUZZY_DELETIONS = new Map<string, LabelKind>();
for (const label of FUZZY_LABELS) {
  for (const variant of deletions(label)) if (!FUZZY_DELETIONS.has(variant)) FUZZY_DELETIONS.set(variant, LABELS[label]!);
}
const FUZZY_MIN = Math.min(...FUZZY_LABELS.map((l) => l.length)) - 1;
const FUZZY_MAX = Math.max(...FUZZY_LABELS.map((l) => l.length)) + 1;
/** People rarely mistype the first letter: only words starting like a label are compared. */
const FUZZY_STARTS = new Set(FUZZY_LABELS.map((l) => l[0]!));

function fuzzyKind(word: string): LabelKind | undefined {
  if (word.length < FUZZY_MIN || word.length > FUZZY_MAX) return undefined;
  if (!FUZZY_STARTS.has(word[0]!)) return undefined;
  // A label with a letter missing ("pasphrase").
  const missing = FUZZY_DELETIONS.get(word);
  if (missing) return missing;
  for (const variant of deletions(word)) {
    // A letter too many ("passsphrase"), or one changed or two swapped ("passwrod").
    const kind = LABELS[variant] ?? FUZZY_DELETIONS.get(variant);
    if (kind) return kind;
  }
  return undefined;
}

/** Labels by their last three letters, so a word is only compared with labels it could end in. */
const BY_ENDING = new Map<string, [string, LabelKind][]>();
// Longest first, so "MicrosoftAppPassword" ends in "apppassword" before it ends in "password".
for (const [label, kind] of Object.entries(LABELS).sort((a, b) => b[0].length - a[0].length)) {
  const ending = label.slice(-3);
  BY_ENDING.set(ending, [...(BY_ENDING.get(ending) ?? []), [label, kind]]);
}

/** Every proper end of a label of three letters or more ("phrase", "zin", "key"): a word that may finish a label written apart. */
const LABEL_ENDINGS = new Set(Object.keys(LABELS).flatMap((label) => Array.from({ length: label.length - 3 }, (_, i) => label.slice(i + 1))));

/** The word written the way LABELS spells it: lower case, no separators, no leading `$`. */
function foldLabel(word: string): string {
  const lower = word.toLowerCase();
  return /[\s_.\-$]/.test(lower) ? lower.replace(/[\s_.\-$]/g, '') : lower;
}

/** Whether `word` could be the last part of a label written as two or three words. */
export function mayEndLabel(word: string): boolean {
  return LABEL_ENDINGS.has(foldLabel(word));
}

/**
 * The kind of secret a label announces, or undefined when `word` is not one. `word` may hold two
 * or three words ("pass phrase", "security PIN", "wachtwoord zin").
 */
export function labelKind(word: string): LabelKind | undefined {
  if (word.length > MAX_LABEL_CHARS) return undefined;
  const folded = foldLabel(word);
  if (folded.length < 2) return undefined;
  const exact = LABELS[folded] ?? SHORT_LABELS[folded];
  if (exact) return exact;
  for (const [label, kind] of BY_ENDING.get(folded.slice(-3)) ?? []) if (folded.length > label.length && folded.endsWith(label)) return kind;
  return fuzzyKind(folded);
}

/** True for a short label that also is an ordinary word, which needs stronger context. */
export function isVerbLikeLabel(word: string): boolean {
  return VERB_LIKE_LABELS.has(foldLabel(word));
}
