import { redactSecrets } from '../../src/shared/redact';

/** Deterministic key material, so a test failure shows the same text every run. */
function bytes(length: number, seed: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 131 + seed * 17 + ((i * i) % 251)) % 256));
}

const STORAGE_KEY = bytes(64, 1).toString('base64'); // 88 characters ending in "=="
const CERT_BLOB = bytes(1200, 2).toString('base64');
const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL2FwaS5ib3RmcmFtZXdvcmsuY29tIiwiZXhwIjoxNzM2MTUwMDAwfQ.' +
  bytes(64, 3).toString('base64url');
const AAD_SECRET = 'Xy98Q~' + 'aB3dE6gH9jK2mN5pQ8sT1vW4yZ7b0-._~';

/** Asserts the secret is gone, the marker is there, and the words around it survived. */
function expectRedacted(input: string, secret: string, kind: string, kept: string[]): string {
  const output = redactSecrets(input);
  expect(output).not.toContain(secret);
  expect(output).toContain(`[redacted:${kind}]`);
  for (const part of kept) expect(output).toContain(part);
  return output;
}

describe('redactSecrets: encryption passphrases', () => {
  it('removes a passphrase given after "passphrase:" (English), up to the end of the clause', () => {
    const out = expectRedacted('My passphrase: Zomer2024!Backup#Kantoor, and still error 34506', 'Zomer2024!Backup#Kantoor', 'passphrase', [
      'My passphrase:',
      ' and still error 34506',
    ]);
    expect(out).toBe('My passphrase: [redacted:passphrase] and still error 34506');
  });

  it('takes the whole rest of the clause: a passphrase may hold spaces, so words after it go too', () => {
    // Recall over readability: "and still error 34506" could be the end of the passphrase. The
    // ticket keeps the error id in its own field, so support does not lose it.
    expect(redactSecrets('My passphrase: Zomer 2024 Backup and still error 34506')).toBe('My passphrase: [redacted:passphrase]');
  });

  it('removes a passphrase given after "wachtwoordzin is" (Dutch)', () => {
    expect(redactSecrets('Mijn wachtwoordzin is Zomer2024!Backup#Kantoor, maar 34506 blijft')).toBe(
      'Mijn wachtwoordzin is [redacted:passphrase] maar 34506 blijft',
    );
  });

  it('removes "wachtwoordzin: …" and a quoted passphrase with spaces', () => {
    expect(redactSecrets('wachtwoordzin: "lange zin met spaties 2024"')).toBe('wachtwoordzin: "[redacted:passphrase]"');
  });

  it('removes the value of "encryption key …" and "encryptiesleutel …"', () => {
    expectRedacted('encryption key = k9F2pQ7zL1xW8vR3', 'k9F2pQ7zL1xW8vR3', 'passphrase', ['encryption key =']);
    expectRedacted('de encryptiesleutel is k9F2pQ7zL1xW8vR3; volgens mij', 'k9F2pQ7zL1xW8vR3', 'passphrase', [' volgens mij']);
  });

  it('removes a passphrase typed into a PowerShell command', () => {
    const script =
      '$PassPhrase = ConvertTo-SecureString -String "Complex!123_STRING_abc" -AsPlainText -Force\n' +
      'Set-OBMachineSetting -EncryptionPassPhrase "Complex!123_STRING_abc"';
    const out = expectRedacted(script, 'Complex!123_STRING_abc', 'passphrase', ['-AsPlainText -Force', 'Set-OBMachineSetting']);
    expect(out.match(/\[redacted:passphrase\]/g)).toHaveLength(2);
  });
});

describe('redactSecrets: vault credential files and certificates', () => {
  const vaultFile =
    '<?xml version="1.0" encoding="utf-8"?><VaultCredentials xmlns:i="http://www.w3.org/2001/XMLSchema-instance">' +
    '<ACSInfo><GlobalAcsNamespace>example</GlobalAcsNamespace></ACSInfo>' +
    `<ChannelIntegrityKey>${bytes(32, 5).toString('base64')}</ChannelIntegrityKey>` +
    `<ManagementCert>${CERT_BLOB}</ManagementCert>` +
    '<ResourceName>backupvault01</ResourceName></VaultCredentials>';

  it('removes a pasted .VaultCredentials file as a whole (English)', () => {
    const out = expectRedacted(`I uploaded this file:\n${vaultFile}\nand got error 34513`, CERT_BLOB, 'vault-credentials', [
      'I uploaded this file:',
      'and got error 34513',
    ]);
    expect(out).not.toContain('ChannelIntegrityKey');
  });

  it('removes a truncated vault credential file up to the end (Dutch)', () => {
    const truncated = vaultFile.slice(0, 400);
    const out = redactSecrets(`Dit staat in het bestand: ${truncated}`);
    expect(out).toBe('Dit staat in het bestand: <?xml version="1.0" encoding="utf-8"?>[redacted:vault-credentials]');
  });

  it('removes the certificate from a lone ManagementCert element and keeps the tags', () => {
    expect(redactSecrets(`zie <ManagementCert>${CERT_BLOB}</ManagementCert> hierboven`)).toBe(
      'zie <ManagementCert>[redacted:certificate]</ManagementCert> hierboven',
    );
    expect(redactSecrets(`<ServicePrincipalCertificate>${CERT_BLOB}</ServicePrincipalCertificate>`)).toBe(
      '<ServicePrincipalCertificate>[redacted:certificate]</ServicePrincipalCertificate>',
    );
  });

  it('removes a bare base64 certificate blob and a PEM block', () => {
    expectRedacted(`certificaat: ${CERT_BLOB} (uit de kluis)`, CERT_BLOB, 'certificate', ['(uit de kluis)']);
    const pem = `-----BEGIN CERTIFICATE-----\n${CERT_BLOB.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----`;
    expect(redactSecrets(`cert:\n${pem}\nklaar`)).toBe('cert:\n[redacted:certificate]\nklaar');
    const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----';
    expect(redactSecrets(key)).toBe('[redacted:private-key]');
  });
});

describe('redactSecrets: storage secrets', () => {
  it('removes the signature of a SAS URL and keeps the rest: the expiry (se=) often explains a 403', () => {
    const url =
      'https://backupacct.blob.core.windows.net/restore/disk.vhd?sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2025-01-07T00:00:00Z&spr=https&sig=Ab3%2Bcd%2Fef%3D';
    expect(redactSecrets(`Download via ${url} lukt niet`)).toBe(
      'Download via https://backupacct.blob.core.windows.net/restore/disk.vhd?sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2025-01-07T00:00:00Z&spr=https&sig=[redacted:sas-token] lukt niet',
    );
  });

  it('removes a signature that is not the first query parameter', () => {
    expectRedacted('https://x.blob.core.windows.net/c?comp=list&sig=Zm9vYmFy%3D&se=2025', 'Zm9vYmFy', 'sas-token', ['comp=list']);
  });

  it('removes an AccountKey from a storage connection string and keeps the account name', () => {
    const conn = `DefaultEndpointsProtocol=https;AccountName=backupacct;AccountKey=${STORAGE_KEY};EndpointSuffix=core.windows.net`;
    expect(redactSecrets(conn)).toBe(
      'DefaultEndpointsProtocol=https;AccountName=backupacct;AccountKey=[redacted:storage-key];EndpointSuffix=core.windows.net',
    );
  });

  it('removes a bare 88-character storage account key (Dutch sentence)', () => {
    expect(redactSecrets(`de sleutel ${STORAGE_KEY} werkt niet`)).toBe('de sleutel [redacted:storage-key] werkt niet');
  });
});

describe('redactSecrets: connection strings', () => {
  it('removes Password= and keeps server and user', () => {
    expect(redactSecrets('Server=tcp:sql01.contoso.local,1433;User Id=backupsvc;Password=S3cr3t!pw;Encrypt=True')).toBe(
      'Server=tcp:sql01.contoso.local,1433;User Id=backupsvc;Password=[redacted:password];Encrypt=True',
    );
  });

  it('removes Pwd= in an ODBC string', () => {
    expect(redactSecrets('Driver={SQL Server};Server=sql01;Uid=sa;Pwd=Geheim123;')).toBe(
      'Driver={SQL Server};Server=sql01;Uid=sa;Pwd=[redacted:password];',
    );
  });
});

describe('redactSecrets: tokens', () => {
  it('removes the value of an Authorization header (English) and a bare Bearer token (Dutch)', () => {
    expect(redactSecrets('curl -H "Authorization: Bearer abc123.def456-ghi789" https://api')).toBe(
      'curl -H "Authorization: Bearer [redacted:bearer-token]" https://api',
    );
    expect(redactSecrets('ik stuurde Bearer 0a1b2c3d4e5f6a7b8c9d0e1f en kreeg 401')).toBe(
      'ik stuurde Bearer [redacted:bearer-token] en kreeg 401',
    );
  });

  it('removes a JWT wherever it stands', () => {
    expect(redactSecrets(`token=${JWT}; expired`)).not.toContain('eyJhbGci');
    expect(redactSecrets(`het token ${JWT} is verlopen`)).toBe('het token [redacted:jwt] is verlopen');
  });

  it.each([
    ['xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx'],
    ['xoxp-1234567890-0987654321-1122334455-abcdef0123456789abcdef0123456789'],
    ['xapp-1-A0123456789-1234567890123-abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789'],
    ['xoxa-2-1234567890-abcdefghijklmnop'],
    ['xoxs-1234567890-abcdefghijklmnop'],
  ])('removes the Slack token %s', (token) => {
    expect(redactSecrets(`SLACK token ${token} gaf invalid_auth`)).toBe('SLACK token [redacted:slack-token] gaf invalid_auth');
  });

  it('removes a Slack token assigned to an environment variable', () => {
    expect(redactSecrets('SLACK_BOT_TOKEN=xoxb-1234567890-abcdefghij')).toBe('SLACK_BOT_TOKEN=[redacted:slack-token]');
  });
});

describe('redactSecrets: client secrets and app passwords', () => {
  it('removes client_secret= in a form body (English)', () => {
    expect(redactSecrets('grant_type=client_credentials&client_id=1f0e&client_secret=Zx8~plainSecretValue1&scope=x')).toBe(
      'grant_type=client_credentials&client_id=1f0e&client_secret=[redacted:client-secret]&scope=x',
    );
  });

  it('removes an Entra ID client secret by its shape, even without a label (Dutch)', () => {
    expect(redactSecrets(`het geheim ${AAD_SECRET} is gisteren aangemaakt`)).toBe(
      'het geheim [redacted:client-secret] is gisteren aangemaakt',
    );
  });

  it('removes a Bot Framework app password from config', () => {
    expect(redactSecrets('MicrosoftAppId=2b3c\nMicrosoftAppPassword=q7R!x2$Lm9#Tz4&Wp1')).toBe(
      'MicrosoftAppId=2b3c\nMicrosoftAppPassword=[redacted:client-secret]',
    );
    expect(redactSecrets('{"appPassword": "q7R!x2$Lm9#Tz4&Wp1"}')).toBe('{"appPassword": "[redacted:client-secret]"}');
  });
});

describe('redactSecrets: passwords', () => {
  it('removes "password: …" (English)', () => {
    expect(redactSecrets('proxy user: CONTOSO\\svc-backup password: Welkom2024! still 407')).toBe(
      'proxy user: CONTOSO\\svc-backup password: [redacted:password] still 407',
    );
  });

  it('removes "wachtwoord: …" and "wachtwoord is …" (Dutch)', () => {
    expect(redactSecrets('wachtwoord: Welkom2024!')).toBe('wachtwoord: [redacted:password]');
    expect(redactSecrets('het wachtwoord is Welkom2024! toch?')).toBe('het wachtwoord is [redacted:password] toch?');
  });

  it('removes a quoted password assigned in PowerShell but keeps a prompt for one', () => {
    expect(redactSecrets('$Password = "Welkom2024!"')).toBe('$Password = "[redacted:password]"');
    expect(redactSecrets('$Password = Read-Host -AsSecureString')).toBe('$Password = Read-Host -AsSecureString');
  });

  it('removes pwd=… and a quoted JSON password', () => {
    expect(redactSecrets('net use \\\\nas\\backup pwd=Welkom2024!')).toBe('net use \\\\nas\\backup pwd=[redacted:password]');
    expect(redactSecrets('{"user":"svc","password":"p@ss word"}')).toBe('{"user":"svc","password":"[redacted:password]"}');
  });
});

describe('redactSecrets: leaves ordinary text alone', () => {
  it.each([
    ['error ids', 'Fout 0x80070570, 34513, 100050, 0x1FC07, 230006 en SalChecksumStoreInitializationFailed'],
    ['a ticket id and a GUID', 'MARS-1042 / job 6f1c2b7e-8d4a-4c1e-9b3f-2a7d5e9c0b11'],
    ['Windows paths', 'C:\\Program Files\\Microsoft Azure Recovery Services Agent\\Scratch\\MARSAgentInstaller.exe'],
    ['a long Windows temp path', 'C:\\Windows\\Temp\\' + 'tmp1A2B.tmp '.repeat(20)],
    ['an Azure resource id', '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/vault01'],
    ['a documentation URL', 'https://learn.microsoft.com/en-us/azure/backup/backup-azure-mars-troubleshoot#invalid-vault-credentials-provided'],
    ['the article title about the encryption key', 'Failed to set the encryption key for secure backups'],
    ['a sentence about a wrong passphrase', 'The passphrase is incorrect and I get 34506'],
    ['a Dutch sentence about a wrong passphrase', 'De wachtwoordzin is niet correct, ik krijg 34506'],
    ['a Dutch sentence about passphrase length', 'De wachtwoordzin is minimaal 16 tekens lang'],
    ['a lost passphrase', 'Ik ben mijn wachtwoordzin kwijt. Where do I reset my password?'],
    ['the word Bearer in prose', 'Bearer token expired, how do I renew it?'],
    ['a plain status line', 'Status: Failed, Error: 0x80070005 (Access is denied)'],
    ['a password policy remark', 'password reset: done yesterday'],
  ])('keeps %s intact', (_name, text) => {
    expect(redactSecrets(text)).toBe(text);
  });

  it('keeps everything around several secrets in one message', () => {
    const input = `Fout 34513 op server BACKUP01.\nwachtwoordzin: Zomer2024!Backup#Kantoor\nAccountKey=${STORAGE_KEY}\nLogbestand: C:\\Program Files\\Microsoft Azure Recovery Services Agent\\Temp\\CBEngineCurr.errlog`;
    expect(redactSecrets(input)).toBe(
      'Fout 34513 op server BACKUP01.\nwachtwoordzin: [redacted:passphrase]\nAccountKey=[redacted:storage-key]\nLogbestand: C:\\Program Files\\Microsoft Azure Recovery Services Agent\\Temp\\CBEngineCurr.errlog',
    );
  });

  it('is idempotent: redacting twice changes nothing more', () => {
    const once = redactSecrets(`password: x1y2z3 and ${JWT} and sig=abc&sv=2020-01-01`);
    expect(redactSecrets(once)).toBe(once);
  });
});

describe('redactSecrets: adversarial input of 1 MB completes with the right result', () => {
  const MB = 1 << 20;
  const fill = (unit: string): string => unit.repeat(Math.ceil(MB / unit.length));

  it.each([
    ['JWT prefixes without dots', fill('eyJ')],
    ['XML secret tags without content', fill('<ManagementCert>')],
    ['unclosed tags with attributes', fill('<a b')],
    ['labels without values', fill('password ')],
    ['two-word labels without separators', fill('encryption key ')],
    ['bare Bearer words', fill('Bearer ')],
    ['a run of spaces after a label', 'password' + ' '.repeat(MB) + 'x'],
    ['colons and words', fill('a:')],
    ['underscored identifiers', fill('a_b_SECRET_')],
    ['long lowercase word', 'a'.repeat(MB)],
    ['dashes', '-'.repeat(MB)],
    ['almost-secret Entra ID shapes', fill('abc1Q~ ')],
    ['query-string-like runs without a signature', fill('&se=1')],
    ['remarks after a label, one after the other', fill('the passphrase is not set ')],
    ['labels with a gap and no separator', fill('the password for the proxy of ')],
    ['labels at line ends without a value', fill('Passphrase:\n')],
    ['labels written apart', fill('wachtwoord zin ')],
    ['encoded signature prefixes without a value', fill('%26sig%3D ')],
    ['user-and-host shapes without a password', fill('a:b c@d ')],
    ['net use without a password', fill('net use \\\\nas\\b /user:x ')],
    ['words before "is my password" that are no secret', fill('something is my password ')],
    ['typo-like words', fill('passwordd passphrasse wachtwoordd ')],
  ])('%s', (_name, input) => {
    expect(redactSecrets(input)).toBe(input);
  });

  it('a single 1 MB base64 run becomes one certificate marker', () => {
    expect(redactSecrets(fill('Ab1/'))).toBe('[redacted:certificate]');
  });

  it('an unclosed vault credential file of 1 MB is removed to the end', () => {
    expect(redactSecrets('zie: ' + fill('<VaultCredentials>'))).toBe('zie: [redacted:vault-credentials]');
  });

  it('a 1 MB quoted value without a closing quote is still removed', () => {
    expect(redactSecrets('password: "' + 'x'.repeat(MB))).toBe('password: [redacted:password]');
  });

  it('many short secrets in a row are each removed', () => {
    const input = fill('pwd=abc123 ');
    const output = redactSecrets(input);
    expect(output).not.toContain('abc123');
    expect(output.split('[redacted:password]').length - 1).toBe(input.split('abc123').length - 1);
  });
});
