import { labelKind } from './secret-labels';
import { MARKER_PREFIX, replaceValue, type Rule } from './rule';
import { isPlaceholder, looksLikeSecret } from './values';

/**
 * Secrets in the places admins paste them from: credentials inside URLs (proxy settings,
 * DATABASE_URL), PowerShell (`ConvertTo-SecureString "…"`), `net use` with the password as an
 * argument, a user and its password given as a pair after a sign-in word, and the secret named
 * after it ("Rode-Fiets-8842 is mijn wachtwoordzin").
 */

/**
 * `scheme://user:password@host`: the password goes, user and host stay. The password is whatever
 * lies between the first ":" and the last "@" of the authority, so an unencoded "@" in it is covered.
 */
export const urlCredentialsRule: Rule = {
  pattern: /(?<![\w+.-])[a-z][a-z0-9+.-]{1,20}:\/\//gi,
  edit(match, text) {
    const start = match.index + match[0].length;
    let end = start;
    while (end < text.length && end - start < 400 && !/[\s/?#"'<>]/.test(text[end]!)) end += 1;
    const authority = text.slice(start, end);
    const at = authority.lastIndexOf('@');
    if (at <= 0) return null;
    const userinfo = authority.slice(0, at);
    if (userinfo.startsWith(MARKER_PREFIX)) return null;
    const colon = userinfo.indexOf(':');
    if (colon < 0) {
      // A token as the user name: https://ghp_…@github.com/…
      return looksLikeSecret(userinfo) && userinfo.length >= 20 ? replaceValue(text, match.index, start, start + at, start + at, 'url-credentials') : null;
    }
    const password = userinfo.slice(colon + 1);
    if (password === '' || isPlaceholder(password)) return null;
    return replaceValue(text, match.index, start + colon + 1, start + at, start + at, 'url-credentials');
  },
};

/** The same without a scheme: `CONTOSO\svc:Pw@proxy`, or `svc:Pw@proxy.contoso.local:8080`. */
export const bareCredentialsRule: Rule = {
  pattern: /(?<![\w\\.:/[-])(?:[A-Za-z][\w.-]{0,40}(?:\\|%5C)[\w.$-]{1,64}|[\w.-]{1,64}(?=:[^\s@:/]{1,128}@[\w-]+(?:\.[\w-]+)*:\d{2,5}\b)):/gi,
  edit(match, text) {
    const start = match.index + match[0].length;
    let end = start;
    while (end < text.length && end - start < 128 && !/[\s@]/.test(text[end]!)) end += 1;
    if (text[end] !== '@' || end === start || !/[\w-]/.test(text[end + 1] ?? '')) return null;
    if (isPlaceholder(text.slice(start, end))) return null;
    return replaceValue(text, match.index, start, end, end, 'url-credentials');
  },
};

/** Words that say what follows signs somebody in: "inloggen kan met", "login", "credentials", "account". */
const SIGN_IN_WORDS = /(?:log[ \t-]?(?:in|on)|sign(?:ed)?[ \t-]?in|inlog\p{L}*|aanmeld\p{L}*|credentials?|creds|account|gebruiker\p{L}*|user(?:name)?)(?![\p{L}])/iu;
/** How far before the pair a sign-in word may stand. */
const SIGN_IN_REACH = 60;

/**
 * "inloggen kan met beheer@contoso.nl / Zomer2024!!", "login CONTOSO\svc-backup | Welkom01": a user
 * (an e-mail address or DOMAIN\user) and its password side by side after a sign-in word. The user
 * stays, the password goes; without a sign-in word before it, or with a value that does not look
 * like a secret ("Chrome / Edge"), nothing is touched.
 */
export const credentialPairRule: Rule = {
  pattern: /(?<![\w.@\\-])(?:[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+|[A-Za-z][\w.-]{0,40}\\[\w.$-]{1,64})[ \t]*(?:\/|\||[ \t]:)[ \t]*/g,
  edit(match, text) {
    if (!SIGN_IN_WORDS.test(text.slice(Math.max(0, match.index - SIGN_IN_REACH), match.index))) return null;
    const start = match.index + match[0].length;
    let end = start;
    while (end < text.length && end - start < 128 && !/[\s"'<>]/.test(text[end]!)) end += 1;
    // A comma or semicolon closing the clause ("Harbor-77-Quay, please …") is the sentence's, not the password's.
    while (end > start && /[,;]/.test(text[end - 1]!)) end -= 1;
    const value = text.slice(start, end);
    if (value === '' || value.startsWith(MARKER_PREFIX) || isPlaceholder(value) || !looksLikeSecret(value)) return null;
    // "/pass:…", "/p=…": a switch with its own label, which the labelled rule redacts and keeps.
    if (/^[\w-]{1,30}[=:]/.test(value)) return null;
    return replaceValue(text, match.index, start, end, end, 'password');
  },
};

/** `ConvertTo-SecureString "…" -AsPlainText`, with or without -String. */
export const secureStringRule: Rule = {
  pattern: /ConvertTo-SecureString(?:[ \t]+-String)?[ \t]+(["'])/gi,
  edit(match, text) {
    const start = match.index + match[0].length;
    const close = text.indexOf(match[1]!, start);
    const newline = text.indexOf('\n', start);
    if (close <= start || close - start > 512 || (newline >= 0 && newline < close)) return null;
    if (isPlaceholder(text.slice(start, close))) return null;
    return replaceValue(text, match.index, start, close, close, 'passphrase');
  },
};

/** `net use Z: \\nas01\backup Welkom2024! /user:CONTOSO\svc`: the argument after the share is the password. */
export const netUseRule: Rule = {
  pattern: /(?<![\w-])net[ \t]+use(?:[ \t]+(?:[A-Za-z]:|\*))?[ \t]+\\\\[^\s]{1,200}[ \t]+/gi,
  edit(match, text) {
    const start = match.index + match[0].length;
    let end = start;
    while (end < text.length && end - start < 128 && !/\s/.test(text[end]!)) end += 1;
    const value = text.slice(start, end);
    if (value === '' || value === '*' || value.startsWith('/') || value.startsWith(MARKER_PREFIX) || isPlaceholder(value)) return null;
    // "pwd=…" and the like are left to the labelled rule, which keeps the label.
    if (/^[\w-]{1,30}[=:]/.test(value)) return null;
    return replaceValue(text, match.index, start, end, end, 'password');
  },
};

/** "Rode-Fiets-8842 is mijn wachtwoordzin", "I set Welkom2024! as the proxy password". */
export const namedAfterRule: Rule = {
  pattern:
    /(?<![^\s"'(])(\S{6,64})[ \t]+(?:is|was|=|as|als)[ \t]+(?:(?:my|the|our|a|an|mijn|het|de|ons|onze|een)[ \t]+)?(?:(?:new|old|current|proxy|nieuwe|oude|huidige)[ \t]+)?([\p{L}_-]{2,30})/giu,
  edit(match, text) {
    const kind = labelKind(match[2]!);
    if (!kind) return null;
    const token = match[1]!;
    const quoted = /^["'“‘].*["'”’]$/.test(token);
    if (!quoted && !looksLikeSecret(token, kind === 'security-pin')) return null;
    const start = match.index + (quoted ? 1 : 0);
    const end = match.index + token.length - (quoted ? 1 : 0);
    return replaceValue(text, match.index, start, end, end, kind);
  },
};
