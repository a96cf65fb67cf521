import { MARKER_PREFIX, redactionMarker, replaceValue, type Redaction, type Rule, type SecretKind } from './rule';
import { isPlaceholder } from './values';

/**
 * Secrets recognised by their shape, wherever they stand: vault credential files and the XML
 * elements that carry keys, PEM blocks, SAS signatures (also URL-encoded), Authorization headers,
 * JWTs, Slack and Entra ID secrets, storage keys and other long random key material.
 */

function whole(match: RegExpExecArray, kind: SecretKind): Redaction {
  return { end: match.index + match[0].length, replacement: redactionMarker(kind), secret: match[0], kind };
}

// ---------------------------------------------------------------------------------------------
// Vault credential files and XML elements that carry secrets

const VAULT_ROOT = /(?:VaultCredentials|VaultAADCreds|VaultCreds)$/i;
const SECRET_ELEMENT =
  /(?:Cert|Certificate|IntegrityKey|PrivateKey|Secret|Password|Passphrase|PassPhrase|AccountKey|AccessKey|SigningKey|EncryptionKey|SecurityPin|Pin|Token)$/i;

function elementKind(name: string): SecretKind {
  if (/cert(?:ificate)?$/i.test(name)) return 'certificate';
  if (/privatekey$/i.test(name)) return 'private-key';
  if (/passphrase$|encryptionkey$/i.test(name)) return 'passphrase';
  if (/password$/i.test(name)) return 'password';
  if (/accountkey$|accesskey$/i.test(name)) return 'storage-key';
  if (/pin$/i.test(name)) return 'security-pin';
  if (/token$/i.test(name)) return 'token';
  return 'client-secret';
}

export const xmlRule: Rule = {
  // An opening tag. Attributes must start with whitespace so the name and attribute runs never overlap.
  pattern: /<([A-Za-z][\w.:-]*)(?:\s[^<>]*)?>/g,
  edit(match, text) {
    const fullName = match[1]!;
    const name = fullName.includes(':') ? fullName.slice(fullName.lastIndexOf(':') + 1) : fullName;
    const tagEnd = match.index + match[0].length;
    if (VAULT_ROOT.test(name)) {
      const close = text.indexOf(`</${fullName}`, tagEnd);
      // A truncated paste still holds the certificate: everything after the opening tag goes.
      const closeEnd = close < 0 ? -1 : text.indexOf('>', close);
      const end = closeEnd < 0 ? text.length : closeEnd + 1;
      return { end, replacement: redactionMarker('vault-credentials'), secret: text.slice(match.index, end), kind: 'vault-credentials' };
    }
    if (!SECRET_ELEMENT.test(name) || match[0].endsWith('/>')) return null;
    // Leaf content only: up to the next tag (or the end of a truncated paste).
    const next = text.indexOf('<', tagEnd);
    const contentEnd = next < 0 ? text.length : next;
    const content = text.slice(tagEnd, contentEnd);
    if (isPlaceholder(content)) return null;
    const lead = content.length - content.trimStart().length;
    const trail = content.length - content.trimEnd().length;
    return replaceValue(text, match.index, tagEnd + lead, contentEnd - trail, contentEnd, elementKind(name));
  },
};

// ---------------------------------------------------------------------------------------------
// PEM blocks (certificates and keys copied out of a .pfx export or a vault credential file)

export const pemRule: Rule = {
  pattern: /-----BEGIN ([A-Z0-9 ]{1,40})-----/g,
  edit(match, text) {
    const label = match[1]!;
    const endMarker = text.indexOf('-----END ', match.index + match[0].length);
    let end = text.length;
    if (endMarker >= 0) {
      const closing = text.indexOf('-----', endMarker + 9);
      end = closing < 0 ? text.length : closing + 5;
    }
    const kind: SecretKind = /PRIVATE KEY/.test(label) ? 'private-key' : 'certificate';
    return { end, replacement: redactionMarker(kind), secret: text.slice(match.index, end), kind };
  },
};

// ---------------------------------------------------------------------------------------------
// SAS tokens. Only the signature is secret; the other parameters stay, since the expiry (se=) and
// the permissions (sp=) are often what explains a 403.

/** The signature: plain, URL-encoded (`sig%3D…`, `%26sig%3D…`), HTML-escaped (`&amp;sig=`), or in a log line. */
export const signatureRule: Rule = {
  pattern: /(?:(?<![A-Za-z0-9])|(?<=%26|%3F|%2526|%253F))sig(?:=|%3D|%253D)(?=[A-Za-z0-9%+/])/gi,
  edit(match, text) {
    const start = match.index + match[0].length;
    let end = start;
    while (end < text.length && /[A-Za-z0-9%+/=._~-]/.test(text[end]!)) end += 1;
    if (end - start < 8) return null;
    return replaceValue(text, match.index, start, end, end, 'sas-token');
  },
};

// ---------------------------------------------------------------------------------------------
// Authorization headers and bearer tokens

const TOKEN_CHARS = /[A-Za-z0-9._~+/=:-]/;

function scanWhile(text: string, from: number, allowed: RegExp): number {
  let end = from;
  while (end < text.length && allowed.test(text[end]!)) end += 1;
  return end;
}

export const authorizationRule: Rule = {
  pattern:
    /(?<![\w-])(?:(?:Proxy-)?Authorization(["']?\s*[:=][ \t]*["']?)(?:(?:Bearer|Basic|Digest|Negotiate|NTLM|SharedKey|SharedAccessSignature|SAS)[ \t]+)?|Bearer[ \t]+(?=[A-Za-z0-9._~+/=-]{16}))/gi,
  edit(match, text) {
    const start = match.index + match[0].length;
    const end = scanWhile(text, start, TOKEN_CHARS);
    const value = text.slice(start, end);
    if (value === '' || value.startsWith(MARKER_PREFIX) || isPlaceholder(value)) return null;
    // A bare "Bearer …" in prose must look like a token, not a word.
    if (match[1] === undefined && !/\d/.test(value)) return null;
    return replaceValue(text, match.index, start, end, end, 'bearer-token');
  },
};

export const jwtRule: Rule = {
  pattern: /(?<![\w-])eyJ[\w-]+\.[\w-]+\.[\w-]*/g,
  edit: (match) => whole(match, 'jwt'),
};

// ---------------------------------------------------------------------------------------------
// Slack tokens and webhook URLs, Entra ID (Azure AD) client secrets

export const slackRule: Rule = {
  pattern:
    /(?<![\w.-])(?:(?:xoxe\.)?(?:xox[abeoprs]|xapp)-[A-Za-z0-9-]{10,}|https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[\w/-]+)/g,
  edit: (match) => whole(match, 'slack-token'),
};

/** The shape Entra ID mints for client secrets: 3 characters, a digit, "Q~", then 31–34 more. */
export const aadSecretRule: Rule = {
  pattern: /(?<![\w~.-])[\w~.]{3}\dQ~[\w~.-]{31,34}(?![\w~.-])/g,
  edit: (match) => whole(match, 'client-secret'),
};

// ---------------------------------------------------------------------------------------------
// Unlabelled key material

/** A BitLocker recovery key: eight groups of six digits. */
export const recoveryKeyRule: Rule = {
  pattern: /(?<![\d-])\d{6}(?:-\d{6}){7}(?![\d-])/g,
  edit: (match) => whole(match, 'recovery-key'),
};

function characterClass(c: string): number {
  if (c >= 'a' && c <= 'z') return 0;
  if (c >= 'A' && c <= 'Z') return 1;
  if (c >= '0' && c <= '9') return 2;
  return 3;
}

/**
 * Random bytes in base64 switch between lower case, upper case and digits about every other
 * character; identifiers and words ("Windows10Enterprise2019") switch a few times at most.
 */
function looksRandom(run: string): boolean {
  const counts = [0, 0, 0, 0];
  let switches = 0;
  for (let i = 0; i < run.length; i += 1) {
    const cls = characterClass(run[i]!);
    counts[cls]! += 1;
    if (i > 0 && cls !== characterClass(run[i - 1]!)) switches += 1;
  }
  return counts[0]! >= 2 && counts[1]! >= 2 && counts[2]! >= 2 && switches >= run.length * 0.35;
}

/** An Azure resource path or URL path: every segment between slashes a word ("resourceGroups/rg01/providers"). */
function isPath(run: string): boolean {
  if (!run.includes('/')) return false;
  const segments = run.split('/').filter((segment) => segment !== '');
  const average = segments.reduce((sum, segment) => sum + segment.length, 0) / Math.max(1, segments.length);
  return average >= 4 && segments.every((segment) => /^[A-Za-z]+\d*$|^\d+$/.test(segment));
}

/**
 * Key material without a label: storage account keys (88 base64 characters, also with the "=="
 * cut off), certificates out of a vault credential file, API keys, a key cut off by the paste.
 */
export const keyMaterialRule: Rule = {
  pattern: /(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{32,}={0,2}(?![A-Za-z0-9+/=])/g,
  edit(match) {
    const run = match[0].replace(/=+$/, '');
    if (isPath(run) || !looksRandom(run)) return null;
    const kind: SecretKind = run.length >= 100 ? 'certificate' : run.length >= 84 && run.length <= 88 ? 'storage-key' : 'key-material';
    return whole(match, kind);
  },
};
