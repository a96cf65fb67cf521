import { loadKnowledge } from '../../src/knowledge/load-knowledge';
import { commandToolIn } from '../../src/understanding/command-tools';
import { createMatcher } from '../../src/understanding/create-matcher';

/**
 * Answer only what we know: troubleshooting steps need evidence that the topic explains the message
 * (its error id, its agent message, its symptom words). Questions next to the article get a fact
 * (info) or a fallback that names what they are about; a word the message merely shares with a topic
 * ("support", "restore", "passphrase") is no evidence. Messages written for this test, in the kinds of
 * the evaluation sets, not taken from them.
 */
const kb = loadKnowledge();
const matcher = createMatcher(kb);

describe('questions next to the article get a fact, not troubleshooting steps', () => {
  it.each([
    // Both facts say Server Core is not supported.
    ['Is the MARS agent supported on Windows Server Core 2022?', 'server-core-not-supported|supported-windows-versions', 'en'],
    ['Wordt Server Core eigenlijk ondersteund door de backup agent?', 'server-core-not-supported', 'nl'],
    ['When is MARS going to support Windows Server 2019?', 'supported-windows-versions', 'en'],
    ['Werkt de MARS agent op Windows 11?', 'supported-windows-versions', 'nl'],
    ['Kan ik de MARS agent op een Linux server installeren?', 'linux-not-supported', 'nl'],
    ['Does the recovery services agent run on 32-bit Windows?', '64-bit-only', 'en'],
    ['Moet ik lokale admin zijn om de agent te installeren?', 'admin-rights', 'nl'],
    ['How many days can I use a vault credentials file after downloading it?', 'vault-credentials-validity', 'en'],
    ['I lost my passphrase and the server died, can Microsoft get my data back?', 'lost-passphrase', 'en'],
    ['Can I restore the backup of a 2019 server onto a 2016 machine?', 'restore-to-older-os', 'en'],
    ['What happens with the backups when I rename a server that has the MARS agent?', 'rename-server', 'en'],
    ['Hoe verplaats ik de cachemap naar de D-schijf?', 'cache-folder-move', 'nl'],
    ['Does MARS back up my OneDrive folder?', 'unsupported-file-types', 'en'],
    ['Kan MARS een DFS-R gerepliceerde map back-uppen?', 'unsupported-file-types', 'nl'],
    ['Can I throttle the bandwidth of MARS during office hours?', 'bandwidth-throttling', 'en'],
    ['How many years can I keep monthly recovery points?', 'retention-limits', 'en'],
    ['We have two servers called FS01 in different domains, can both use the same vault?', 'duplicate-machine-names', 'en'],
    ['I get the warning "Azure Backups have not been configured for this server" but a schedule is set', 'backups-not-configured-warning', 'en'],
  ])('%j → info %s', (text, facts, lang) => {
    const u = matcher.understand(text);
    expect(u).toMatchObject({ kind: 'info', lang, topic: null });
    expect(facts.split('|')).toContain(u.info);
  });

  it('never answers a support question with the topic that merely shares the word "support"', () => {
    for (const text of ['When will MARS support Server 2025?', 'Is Server Core supported by the MARS agent (2016)?', 'Ondersteunt de MARS agent Windows Server 2012?']) {
      const u = matcher.understand(text);
      expect({ text, kind: u.kind }).not.toEqual({ text, kind: 'answer' });
      expect(u.topic).not.toBe('contact-support');
    }
  });
});

describe('symptom reports still get the topic that explains them', () => {
  it.each([
    ['scheduled backup does not run anymore since yesterday, back up now works', 'scheduled-backup-not-running'],
    ['de geplande back-up draait niet meer sinds de updates', 'scheduled-backup-not-running'],
    ['mijn back-up faalt, de scratchmap staat vol', 'cache-folder-problems'],
    ['restore hangs while the recovery volume is mounted, iscsi initiator?', 'restore-volume-mount-failed'],
    ['registration keeps failing, the server clock is 20 minutes off', 'additional-recommendations'],
    ['could the antivirus be why the agent keeps rejecting the vault credentials?', 'invalid-vault-credentials'],
    // A fact question that also reports a failure the topic explains goes to the topic.
    ['kluisreferenties ongeldig bij het registreren, hoe lang is zo een bestand eigenlijk geldig?', 'invalid-vault-credentials'],
  ])('%j → %s', (text, topic) => {
    expect(matcher.understand(text)).toMatchObject({ kind: 'answer', topic, evidence: 'symptom' });
  });

  it('counts an error id or the agent message as evidence, whatever else the message says', () => {
    expect(matcher.understand('How long are vault credentials valid? I get ID: 34513 now')).toMatchObject({ kind: 'answer', topic: 'invalid-vault-credentials', evidence: 'id' });
    expect(matcher.understand('Failed to set the encryption key for secure backups')).toMatchObject({ kind: 'answer', topic: 'encryption-key-failed', evidence: 'error-text' });
  });
});

describe('other products and scripting tools get a fallback that names them', () => {
  it.each([
    ['Get-AzRecoveryServicesBackupItem returns nothing for my server, how do I restore from it?', 'az-powershell'],
    ['az backup container unregister does not remove the items from the vault', 'azure-cli'],
    ['Add-OBFileSpec -Exclusions gives "Invalid input error", how do I exclude a file type?', 'mars-powershell'],
    ['MABS console shows replica inconsistent on a Hyper-V VM', 'mabs-dpm'],
    ['DPM failed to communicate with the protection agent because access is denied (0x80070005)', 'mabs-dpm'],
    ['Our Azure VM backup fails with a snapshot error every night', 'azure-vm-backup'],
    ['Can I back up Azure Files shares with the recovery services vault?', 'azure-files'],
    ['How do I restore a deleted email in Exchange Online?', 'microsoft-365-and-mail'],
  ])('%j → fallback about %s', (text, subject) => {
    expect(matcher.understand(text)).toMatchObject({ kind: 'fallback', subject, topic: null });
  });

  it('recognises the tools by the shape of their commands, not by a list of names', () => {
    expect(commandToolIn('PS> Get-AzRecoveryServicesVault -Name rsv01')).toBe('az-powershell');
    expect(commandToolIn('set-azrecoveryservicesbackupproperty -vault $v')).toBe('az-powershell');
    expect(commandToolIn('New-OBPolicy | Set-OBSchedule')).toBe('mars-powershell');
    expect(commandToolIn('az backup item list -g rg -v vault')).toBe('azure-cli');
    expect(commandToolIn('Get-ExecutionPolicy -List')).toBeUndefined();
    expect(commandToolIn('the non-azure servers')).toBeUndefined();
  });

  it('keeps a scheduled run that fails in the agent\'s own cmdlets a troubleshooting question', () => {
    const text =
      'Get-OBPolicy | Get-OBSchedule shows 22:00 every weekday, but the scheduled backup never runs. Start-OBBackup works by hand. Execution policy is Restricted for LocalMachine, is that it?';
    expect(matcher.understand(text)).toMatchObject({ kind: 'answer', topic: 'scheduled-backup-not-running' });
  });
});

describe('shared codes and shared sentences are no evidence on their own', () => {
  it('answers a bare Windows code, but not next to another product\'s code', () => {
    expect(matcher.understand('0x80070005')).toMatchObject({ kind: 'answer', topic: 'backup-completed-with-warnings', evidence: 'shared-code' });
    const other = matcher.understand('The sync job failed (ID 3115). Access is denied (0x80070005)');
    expect(other.kind).not.toBe('answer');
  });

  it('does not take the ending every Microsoft message shares for the one agent message that has it', () => {
    const u = matcher.understand(
      'Enabling backup in the admin tool fails: "An internal error occurred. Wait for a few minutes and then try the operation again. If the issue persists, please contact Microsoft support."',
    );
    expect(u.topic).not.toBe('activation-failed');
    expect(u.kind).not.toBe('answer');
  });

  it('does not take a unit of time for a symptom ("after ten minutes" is when, not what)', () => {
    expect(matcher.understand('it ran again last night but failed after ten minutes').kind).not.toBe('answer');
    expect(matcher.understand('de taak liep vannacht weer, maar stopte na een paar minuten').kind).not.toBe('answer');
    // The restore topic's real symptom still is one.
    expect(matcher.understand('the restore hangs for minutes while mounting the recovery volume')).toMatchObject({ kind: 'answer', topic: 'restore-volume-mount-failed' });
  });

  it('does not take a proxy error of another program for the agent\'s (no word of Azure Backup in it)', () => {
    const u = matcher.understand('The package manager shows a 407 error when it downloads extensions, with and without the proxy set');
    expect(u.kind).not.toBe('answer');
  });
});

describe('Windows Server Backup belongs to the article (its schedule conflict)', () => {
  it.each([
    ['Windows Server backup schedule conflicts with the Azure files and folders backup schedule', 'en'],
    ['Het schema van Windows Server Back-up conflicteert met het back-upschema van Azure-bestanden en -mappen', 'nl'],
    ['wbadmin runs at the same time as the MARS backup and now the scheduled backup is skipped', 'en'],
  ])('%j → scheduled-backup-not-running', (text, lang) => {
    expect(matcher.understand(text)).toMatchObject({ kind: 'answer', topic: 'scheduled-backup-not-running', lang });
  });

  it('still falls back for a local Windows Server Backup to a USB disk with its own error', () => {
    const u = matcher.understand('Windows Server Backup to an external USB drive fails with 0x807800C5, no Azure involved at all');
    expect(u.kind).toBe('fallback');
  });
});
