/**
 * Removes secrets from free text before it is stored, logged or sent anywhere: users paste vault
 * credential files, connection strings and passphrases into chats while troubleshooting.
 *
 * Every rule is a scan that only starts at a token boundary and either consumes what it looked at
 * or looks a bounded distance ahead, so the whole pass stays linear in the input length (a user
 * can paste megabytes; a backtracking blow-up would stall the bot). When editing a rule keep two
 * habits: start patterns with a negative lookbehind on the class the pattern then repeats, and
 * never put two quantifiers over overlapping characters next to each other.
 */

export type SecretKind =
  | 'vault-credentials'
  | 'certificate'
  | 'private-key'
  | 'sas-token'
  | 'storage-key'
  | 'bearer-token'
  | 'jwt'
  | 'slack-token'
  | 'client-secret'
  | 'api-key'
  | 'token'
  | 'passphrase'
  | 'security-pin'
  | 'password';

export function redactionMarker(kind: SecretKind): string {
  return `[redacted:${kind}]`;
}

const MARKER_PREFIX = '[redacted:';

/** What a rule does with one regex match: replace text[match.index, end) or leave it (null). */
type Edit = { end: number; replacement: string } | null;
type Rule = { pattern: RegExp; edit: (match: RegExpExecArray, text: string) => Edit };

function applyRule(text: string, rule: Rule): string {
  const pattern = new RegExp(rule.pattern.source, rule.pattern.flags);
  let out = '';
  let copied = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const edit = rule.edit(match, text);
    if (edit && edit.end > match.index) {
      out += text.slice(copied, match.index) + edit.replacement;
      copied = edit.end;
      pattern.lastIndex = edit.end;
    } else if (match[0].length === 0) {
      pattern.lastIndex += 1;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

// ---------------------------------------------------------------------------------------------
// Vault credential files and XML elements that carry secrets

const VAULT_ROOT = /(?:VaultCredentials|VaultAADCreds|VaultCreds)$/i;
const SECRET_ELEMENT =
  /(?:Cert|Certificate|IntegrityKey|PrivateKey|Secret|Password|Passphrase|AccountKey|AccessKey|SigningKey|EncryptionKey)$/i;

function elementKind(name: string): SecretKind {
  if (/cert(?:ificate)?$/i.test(name)) return 'certificate';
  if (/privatekey$/i.test(name)) return 'private-key';
  if (/passphrase$|encryptionkey$/i.test(name)) return 'passphrase';
  if (/password$/i.test(name)) return 'password';
  if (/accountkey$|accesskey$/i.test(name)) return 'storage-key';
  return 'client-secret';
}

const xmlRule: Rule = {
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
      return { end: closeEnd < 0 ? text.length : closeEnd + 1, replacement: redactionMarker('vault-credentials') };
    }
    if (!SECRET_ELEMENT.test(name) || match[0].endsWith('/>')) return null;
    // Leaf content only: up to the next tag (or the end of a truncated paste).
    const next = text.indexOf('<', tagEnd);
    const contentEnd = next < 0 ? text.length : next;
    const content = text.slice(tagEnd, contentEnd);
    if (content.trim() === '' || content.trim().startsWith(MARKER_PREFIX)) return null;
    const lead = content.length - content.trimStart().length;
    const trail = content.length - content.trimEnd().length;
    return {
      end: contentEnd,
      replacement:
        match[0] + content.slice(0, lead) + redactionMarker(elementKind(name)) + content.slice(content.length - trail),
    };
  },
};

// ---------------------------------------------------------------------------------------------
// PEM blocks (certificates and keys copied out of a .pfx export or a vault credential file)

const pemRule: Rule = {
  pattern: /-----BEGIN ([A-Z0-9 ]{1,40})-----/g,
  edit(match, text) {
    const label = match[1]!;
    const endMarker = text.indexOf('-----END ', match.index + match[0].length);
    let end = text.length;
    if (endMarker >= 0) {
      const closing = text.indexOf('-----', endMarker + 9);
      end = closing < 0 ? text.length : closing + 5;
    }
    return { end, replacement: redactionMarker(/PRIVATE KEY/.test(label) ? 'private-key' : 'certificate') };
  },
};

// ---------------------------------------------------------------------------------------------
// SAS tokens: a run of query parameters that holds a signature (or starts with the service version)

const SAS_PARAM = '(?:sv|sig|se|st|sp|spr|srt|ss|sr|si|sip|skoid|sktid|skt|ske|sks|skv|sdd|ses|rscc|rscd|rsce|rscl|rsct)';
const sasRule: Rule = {
  pattern: new RegExp(`(?<![\\w%])${SAS_PARAM}=[^\\s&"'<>]*(?:&[\\w.-]{1,40}=[^\\s&"'<>]*)*`, 'gi'),
  edit(match) {
    const run = match[0];
    const signed = /(?:^|&)sig=/i.test(run);
    const versioned = /^sv=/i.test(run) && run.includes('&');
    return signed || versioned ? { end: match.index + run.length, replacement: redactionMarker('sas-token') } : null;
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

const authorizationRule: Rule = {
  pattern:
    /(?<![\w-])(?:(?:Proxy-)?Authorization(["']?\s*[:=][ \t]*["']?)(?:(?:Bearer|Basic|Digest|Negotiate|NTLM|SharedKey|SharedAccessSignature|SAS)[ \t]+)?|Bearer[ \t]+(?=[A-Za-z0-9._~+/=-]{16}))/gi,
  edit(match, text) {
    const start = match.index + match[0].length;
    const end = scanWhile(text, start, TOKEN_CHARS);
    const value = text.slice(start, end);
    if (value === '' || !isValueWorthRedacting(value)) return null;
    // A bare "Bearer …" in prose must look like a token, not a word.
    if (match[1] === undefined && !/\d/.test(value)) return null;
    return { end, replacement: match[0] + redactionMarker('bearer-token') };
  },
};

const jwtRule: Rule = {
  pattern: /(?<![\w-])eyJ[\w-]+\.[\w-]+\.[\w-]*/g,
  edit: (match) => ({ end: match.index + match[0].length, replacement: redactionMarker('jwt') }),
};

// ---------------------------------------------------------------------------------------------
// Slack tokens and webhook URLs, Azure AD client secrets

const slackRule: Rule = {
  pattern:
    /(?<![\w.-])(?:(?:xoxe\.)?(?:xox[abeoprs]|xapp)-[A-Za-z0-9-]{10,}|https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[\w/-]+)/g,
  edit: (match) => ({ end: match.index + match[0].length, replacement: redactionMarker('slack-token') }),
};

/** The shape Entra ID (Azure AD) mints for client secrets: 3 characters, a digit, "Q~", then 31–34 more. */
const aadSecretRule: Rule = {
  pattern: /(?<![\w~.-])[\w~.]{3}\dQ~[\w~.-]{31,34}(?![\w~.-])/g,
  edit: (match) => ({ end: match.index + match[0].length, replacement: redactionMarker('client-secret') }),
};

// ---------------------------------------------------------------------------------------------
// Labelled secrets: "password: …", "wachtwoordzin is …", DB_PASSWORD=…, "clientSecret": "…",
// Password=… inside connection strings, -EncryptionPassphrase "…" in PowerShell.

/** The label must END in one of these, so "password reset: done" or "PASSWORD_FILE=" are left alone. */
const SECRET_LABEL =
  /(?:pass(?:word|wd)|pass[ _-]?phrase|(?:^|[^a-z])pwd|wachtwoord(?:zin)?|secret|encryption[ _-]?key|encryptie[ _-]?sleutel|versleutelingssleutel|api[ _-]?key|account[ _-]?key|shared[ _-]?access[ _-]?key|(?:access|refresh|id|auth|bot|app|api|sas|bearer|user|slack)[ _-]?token|security[ _-]?pin|beveiligings[ _-]?pin(?:code)?)$/i;

function labelKind(label: string): SecretKind {
  const l = label.toLowerCase();
  if (/phrase$|wachtwoordzin$|encryption[ _-]?key$|encryptie[ _-]?sleutel$|versleutelingssleutel$/.test(l)) return 'passphrase';
  if (/secret$|app[ _-]?password$/.test(l)) return 'client-secret';
  if (/account[ _-]?key$|shared[ _-]?access[ _-]?key$/.test(l)) return 'storage-key';
  if (/api[ _-]?key$/.test(l)) return 'api-key';
  if (/token$/.test(l)) return 'token';
  if (/pin(?:code)?$/.test(l)) return 'security-pin';
  return 'password';
}

/**
 * Words that follow "password is" / "wachtwoord:" in a sentence about the password rather than
 * in front of the password itself ("the passphrase is incorrect", "wachtwoordzin is niet ingesteld").
 */
const NOT_A_VALUE = new Set(
  (
    'not no none n/a wrong incorrect invalid expired correct right required missing empty set unset changed ' +
    'lost forgotten unknown different same too the a an still now ok okay fine good valid also already in at on ' +
    'of for with and or to by from used needed being getting locked blocked disabled enabled stored saved ' +
    'configured reset known shown visible hidden case-sensitive least most only just this that it my your our ' +
    'their mine is was be been what which where how why when ' +
    'niet geen fout onjuist ongeldig verlopen juist goed correcte leeg verplicht vereist kwijt vergeten ' +
    'gewijzigd veranderd onbekend anders hetzelfde dezelfde te nog nu ook al in op bij van voor met en of ' +
    'om door gebruikt nodig geblokkeerd uitgeschakeld ingeschakeld opgeslagen bewaard ingesteld ' +
    'geconfigureerd gereset bekend zichtbaar verborgen hoofdlettergevoelig minimaal minstens maximaal ' +
    'alleen precies dit dat het de een mijn jouw uw ons onze hun wat welke waar hoe waarom wanneer'
  ).split(' '),
);

/** Longest quoted value we look for a closing quote in: bounds the look-ahead. */
const MAX_QUOTED = 512;
const QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’', '«': '»' };

const STOP_PLAIN = /[\s"'<>]/;
/** After "key=": connection strings separate with ";" (a password holding one must be quoted there). */
const STOP_ASSIGNMENT = /[\s;"'<>]/;
/** After "&key=" or "?key=": a query string, where "&" starts the next parameter. */
const STOP_QUERY = /[\s;&"'<>]/;

/** Finds the value that starts at `start`; null when there is none worth redacting. */
function readValue(text: string, start: number, stop: RegExp): { end: number; inner: [number, number] } | null {
  const first = text[start];
  if (first === undefined || first === '\r' || first === '\n') return null;
  const close = QUOTES[first];
  if (close !== undefined) {
    const limit = Math.min(text.length, start + 1 + MAX_QUOTED);
    for (let i = start + 1; i < limit; i += 1) {
      const c = text[i]!;
      if (c === close) return i === start + 1 ? null : { end: i + 1, inner: [start + 1, i] };
      if (c === '\n') break;
    }
    // No closing quote nearby: treat it as an unquoted value that happens to start with a quote.
  }
  let end = start;
  if (close !== undefined) end += 1;
  while (end < text.length && !stop.test(text[end]!)) end += 1;
  if (end === start) return null;
  return { end, inner: [start, end] };
}

function isValueWorthRedacting(value: string): boolean {
  if (value.startsWith(MARKER_PREFIX)) return false;
  const word = value.replace(/[.,;:!?)\]]+$/, '').toLowerCase();
  if (word === '') return false;
  return !NOT_A_VALUE.has(word);
}

const labelledRule: Rule = {
  // label = one or two words (or an identifier); then ":" / "=" / " is " / " was " / " luidt ".
  pattern:
    /(?<![\p{L}\p{N}_.-])((?:[\p{L}\p{N}_.-]+ )?[\p{L}\p{N}_.-]+)["']?(?:\s*([:=])|\s+(?:is|was|luidt)(?=[\s:])(?:\s*:)?)[ \t]*/gu,
  edit(match, text) {
    const label = match[1]!;
    if (!SECRET_LABEL.test(label)) return null;
    const start = match.index + match[0].length;
    const before = text[match.index - 1];
    const stop = match[2] !== '=' ? STOP_PLAIN : before === '&' || before === '?' ? STOP_QUERY : STOP_ASSIGNMENT;
    const value = readValue(text, start, stop);
    if (!value) return null;
    const [innerStart, innerEnd] = value.inner;
    // "$password = Read-Host …" assigns an expression; only a quoted literal there is a secret.
    if (before === '$' && innerStart === start) return null;
    if (!isValueWorthRedacting(text.slice(innerStart, innerEnd))) return null;
    return {
      end: value.end,
      replacement: text.slice(match.index, innerStart) + redactionMarker(labelKind(label)) + text.slice(innerEnd, value.end),
    };
  },
};

/** PowerShell: Set-OBMachineSetting -EncryptionPassphrase "…", ConvertTo-SecureString -String "…" -AsPlainText. */
const powershellRule: Rule = {
  pattern: /(?<![\w-])-([A-Za-z]{1,40})[ \t]+(?=["'])/g,
  edit(match, text) {
    const param = match[1]!;
    const secureString =
      /^string$/i.test(param) && /ConvertTo-SecureString\s*$/i.test(text.slice(Math.max(0, match.index - 40), match.index));
    if (!secureString && !SECRET_LABEL.test(param)) return null;
    const start = match.index + match[0].length;
    const value = readValue(text, start, STOP_PLAIN);
    if (!value || value.inner[0] === start) return null;
    const [innerStart, innerEnd] = value.inner;
    const kind = secureString ? 'passphrase' : labelKind(param);
    return {
      end: value.end,
      replacement: text.slice(match.index, innerStart) + redactionMarker(kind) + text.slice(innerEnd, value.end),
    };
  },
};

// ---------------------------------------------------------------------------------------------
// Unlabelled key material

/** An Azure storage account key: 64 bytes in base64 = 86 characters and "==". */
const storageKeyRule: Rule = {
  pattern: /(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])/g,
  edit: (match) => ({ end: match.index + match[0].length, replacement: redactionMarker('storage-key') }),
};

/** A long base64 run (a certificate out of a vault credential file, a .pfx, a key). */
const base64BlobRule: Rule = {
  pattern: /(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{100,}={0,2}(?![A-Za-z0-9+/=])/g,
  edit(match) {
    const blob = match[0];
    // Mixed case and digits: random key material, not a long path or a row of dashes' cousins.
    if (!/[0-9]/.test(blob) || !/[a-z]/.test(blob) || !/[A-Z]/.test(blob)) return null;
    return { end: match.index + blob.length, replacement: redactionMarker('certificate') };
  },
};

/** Order matters: containers first (a vault credential file holds a certificate), labels before blobs. */
const RULES: Rule[] = [
  xmlRule,
  pemRule,
  sasRule,
  authorizationRule,
  jwtRule,
  slackRule,
  aadSecretRule,
  powershellRule,
  labelledRule,
  storageKeyRule,
  base64BlobRule,
];

/** Replaces every secret found in `text` with `[redacted:<kind>]`; everything else stays as it was. */
export function redactSecrets(text: string): string {
  let result = text;
  for (const rule of RULES) result = applyRule(result, rule);
  return result;
}
