import { bareCredentialsRule, credentialPairRule, namedAfterRule, netUseRule, secureStringRule, urlCredentialsRule } from './redaction/command-rules';
import {
  aadSecretRule,
  authorizationRule,
  jwtRule,
  keyMaterialRule,
  pemRule,
  recoveryKeyRule,
  signatureRule,
  slackRule,
  xmlRule,
} from './redaction/key-material-rules';
import { labelledRule } from './redaction/labelled-rule';
import { applyRule, redactionMarker, type FoundSecret, type Rule, type SecretKind } from './redaction/rule';

/**
 * Removes secrets from free text before it is stored, logged or sent anywhere: users paste vault
 * credential files, connection strings, proxy URLs and passphrases into chats while troubleshooting.
 * The corpus in test/shared/redaction-corpus.yaml (`npm run eval:redaction`) measures what it
 * catches and what it leaves alone. When a remark and a secret cannot be told apart, the text goes.
 */

export { redactionMarker, type FoundSecret, type SecretKind };

declare const redacted: unique symbol;
/**
 * Text that has been through redactSecrets (or is our own text with the turn's secrets taken out).
 * The conversation state only holds this type, so text cannot reach the store unredacted.
 */
export type RedactedText = string & { readonly [redacted]: true };

/** Order matters: containers first (a vault credential file holds a certificate), labels before shapes. */
const RULES: readonly Rule[] = [
  xmlRule,
  pemRule,
  urlCredentialsRule,
  bareCredentialsRule,
  signatureRule,
  authorizationRule,
  jwtRule,
  slackRule,
  aadSecretRule,
  secureStringRule,
  netUseRule,
  credentialPairRule,
  labelledRule,
  namedAfterRule,
  recoveryKeyRule,
  keyMaterialRule,
];

/** The text with every secret replaced by `[redacted:<kind>]`, and the secrets that were taken out. */
export function findSecrets(text: string): { text: RedactedText; secrets: FoundSecret[] } {
  const secrets: FoundSecret[] = [];
  let result = text;
  for (const rule of RULES) result = applyRule(result, rule, secrets);
  return { text: result as RedactedText, secrets };
}

/** Replaces every secret found in `text` with `[redacted:<kind>]`; everything else stays as it was. */
export function redactSecrets(text: string): RedactedText {
  return findSecrets(text).text;
}

/** Shorter values are too common to replace wherever they occur. */
const MIN_SCRUBBED = 4;

/**
 * Our own text (a reply built from the knowledge base) with this turn's secrets taken out wherever
 * it might quote them. Our wording is left alone otherwise: it is not a secret, and the rules above
 * would read "Bewaar ook de oude wachtwoordzin: herstelpunten …" as one.
 */
export function withoutSecrets(text: string, secrets: readonly FoundSecret[]): RedactedText {
  let result = text;
  for (const secret of secrets) {
    const value = secret.value.trim();
    // The value as found may carry the punctuation that followed it ("staple,"); a quote may not.
    for (const form of [value, value.replace(/[.,;:!?)\]]+$/, '')]) {
      if (form.length >= MIN_SCRUBBED && result.includes(form)) result = result.split(form).join(redactionMarker(secret.kind));
    }
  }
  return result as RedactedText;
}
