import { loadKnowledge } from '../../src/knowledge/load-knowledge';
import { classDocuments } from '../../src/understanding/class-documents';
import { createAnalyzer } from '../../src/understanding/analyzer';
import { commandToolIn, withoutCommands } from '../../src/understanding/command-tools';
import { createMatcher } from '../../src/understanding/create-matcher';
import { createFooterCutter } from '../../src/understanding/tracker-footer';

/**
 * Messages as administrators write them on issue trackers, Q&A sites and forums: usage questions
 * about the agent's cmdlets and installer, other products that show an error text the agent shows
 * too, feature requests and feedback on the documentation, questions about the consequences of a
 * planned change, questions a fact answers while sharing a topic's words, and "every step of the
 * article" for an error id. Each kind is a rule about the shape of the text (README, "How it
 * understands a message"); these messages were written for this test, not taken from an evaluation set.
 */
const kb = loadKnowledge();
const matcher = createMatcher(kb);

describe('usage questions about the agent\'s cmdlets get the PowerShell fallback, not a fix', () => {
  it.each([
    ["What's the right way to pull one folder out of the policy with Remove-OBFileSpec? Our deploy script adds the whole D: drive and we want D:\\Temp excluded.", 'en'],
    ['Welke parameters verwacht Get-OBRecoverableSource als ik vanaf een andere server wil terugzetten? De voorbeelden in de docs gaan alleen over de lokale server.', 'nl'],
    // The cmdlet's own parameters are no symptoms: -WorkHourBandwidth is no bandwidth problem, -StartTime no schedule.
    ['Set-OBSchedule -StartTime 23:30 -DaysOfWeek Saturday throws "Cannot bind parameter". How should the time be written?', 'en'],
  ])('%j', (text, lang) => {
    expect(matcher.understand(text)).toMatchObject({ kind: 'fallback', subject: 'mars-powershell', lang, topic: null });
  });

  it('still answers a failure of ours told next to a cmdlet, in the same sentence', () => {
    const u = matcher.understand(
      'Start-OBBackup by hand works, but since Monday the nightly scheduled backup is skipped and Task Scheduler shows the OnlineBackup trigger as disabled.',
    );
    expect(u).toMatchObject({ kind: 'answer', topic: 'scheduled-backup-not-running', evidence: 'symptom' });
  });

  it('leaves the commands, their parameters and variables out when it reads the symptoms', () => {
    const prose = withoutCommands('Get-OBPolicy | Set-OBMachineSetting -WorkHourBandwidth 512 -StartWorkHour 9 $policy, and a well-known re-run fails');
    expect(prose).not.toMatch(/OBPolicy|WorkHourBandwidth|StartWorkHour|\$policy/);
    expect(prose).toContain('well-known re-run fails');
  });

  it('does not take the slug of a page or a script path for a cmdlet', () => {
    expect(commandToolIn('see https://learn.microsoft.com/en-us/azure/backup/backup-azure-mars-troubleshoot')).toBeUndefined();
    expect(commandToolIn('C:\\scripts\\restore-azure-files.ps1 ran at night')).toBeUndefined();
    expect(commandToolIn('Backup-AzRecoveryServicesBackupItem -Item $item')).toBe('az-powershell');
    expect(commandToolIn('(Get-OBPolicy)')).toBe('mars-powershell');
  });
});

describe('installing the agent with a deployment tool is the installation fallback', () => {
  it.each([
    ['Which command line parameters does MARSAgentInstaller.exe accept for an unattended rollout with PDQ Deploy? We also want to set the proxy during setup.', 'en'],
    ['Welke schakelopties heeft MARSAgentInstaller.exe voor een stille installatie via SCCM op 60 servers?', 'nl'],
  ])('%j', (text, lang) => {
    expect(matcher.understand(text)).toMatchObject({ kind: 'fallback', subject: 'agent-installation', lang });
  });
});

describe('another product with an error text the agent shows too is that product\'s question', () => {
  it.each([
    ['azcmagent on our on-prem servers logs (407) Proxy Authentication Required every time it contacts Azure, even though the proxy is set.', 'azure-arc'],
    ['The Log Analytics agent (MMA) cannot send data: (407) Proxy Authentication Required in its event log. Backups are fine.', 'azure-monitor-agent'],
    ['Velero pods of the AKS backup extension keep restarting and the backup instance stays in ProtectionError.', 'backup-vault-workloads'],
    ['Item-level recovery from an Azure VM: the recovery script connects the disks but they stay Offline in Disk Management.', 'azure-vm-backup'],
    ['Onze iSCSI SAN target is na de firmware-update van de storage array verdwenen uit de initiator.', 'windows-and-network-admin'],
    ['Does installing the Azure Connected Machine agent on a server also register it with our Recovery Services vault?', 'azure-arc'],
  ])('%j → fallback about %s', (text, subject) => {
    expect(matcher.understand(text)).toMatchObject({ kind: 'fallback', subject, topic: null });
  });

  it('names the more specific product when one name holds the other ("Azure Monitor Agent", not "Azure Monitor")', () => {
    expect(matcher.understand('Azure Monitor Agent stopped sending heartbeats after the proxy change').subject).toBe('azure-monitor-agent');
  });

  it('still answers the HTTP error when it is the agent that shows it', () => {
    expect(matcher.understand('MARS agent shows (407) Proxy Authentication Required since we changed the proxy on Friday.')).toMatchObject({
      kind: 'answer',
      topic: 'agent-cannot-connect',
    });
    expect(matcher.understand('(407) Proxy Authentication Required')).toMatchObject({ kind: 'answer', topic: 'agent-cannot-connect' });
  });

  it('takes a Windows code next to another program, in a message that says nothing of Azure Backup, for that program\'s', () => {
    expect(matcher.understand('IIS logs 0x80070005 Access is denied when the app pool reads the share on our file server').kind).toBe('fallback');
    // The same code with nothing else named is still the agent's warning about files.
    expect(matcher.understand('Access is denied (0x80070005) on 12 files in D:\\Data')).toMatchObject({
      kind: 'answer',
      topic: 'backup-completed-with-warnings',
      evidence: 'shared-code',
    });
  });

  it('keeps a failure of the agent with a telling symptom, told next to another product, the agent\'s', () => {
    expect(matcher.understand('since Veeam was installed the MARS agent rejects the vault credentials')).toMatchObject({
      kind: 'answer',
      topic: 'invalid-vault-credentials',
    });
  });

  it('answers a question about the agent that names another product as the alternative with the fact', () => {
    const u = matcher.understand('Can the MARS agent run on Windows Server 2022 Core, or do we need DPM for that?');
    expect(u.kind).toBe('info');
    expect(['server-core-not-supported', 'supported-windows-versions']).toContain(u.info);
  });
});

describe('feature requests and feedback on the documentation get the feedback fallback, never steps', () => {
  it.each([
    ['It would be great if the MARS console could email us when a backup completes with warnings, instead of us checking every server.', 'en'],
    ["Tikfout in het artikel over de cachemap: er staat 'scratchmpa' in de tweede stap.", 'nl'],
    ['Broken link in the proxy section of the MARS troubleshooting article, it points to a retired IE download page.', 'en'],
    ['Graag aanpassen: de pagina noemt de wachtwoordzin een wachtwoord, dat zijn voor de agent twee verschillende dingen.', 'nl'],
    ['Outdated screenshot in the register-server section: the wizard has an extra page now.', 'en'],
  ])('%j', (text, lang) => {
    expect(matcher.understand(text)).toMatchObject({ kind: 'fallback', subject: 'product-feedback', lang, topic: null });
  });

  it('reads a wish as a request only when it is about the product or its documentation', () => {
    expect(matcher.understand('Would be nice to have an option in the agent to keep a second copy in another region.')).toMatchObject({
      kind: 'fallback',
      subject: 'product-feedback',
    });
    // "…if someone could help" asks for help with a failure of ours.
    expect(matcher.understand('Scheduled backups are not running since Monday. It would be great if someone could help.')).toMatchObject({
      kind: 'answer',
      topic: 'scheduled-backup-not-running',
    });
    expect(matcher.understand('De geplande back-up draait niet meer. Zou fijn zijn als iemand kan meekijken.')).toMatchObject({
      kind: 'answer',
      topic: 'scheduled-backup-not-running',
    });
  });

  it('does not let a request phrase outweigh an error id of ours', () => {
    const u = matcher.understand('would be nice if this got documented better: Invalid vault credentials provided (ID: 34513) on every registration attempt');
    expect(u).toMatchObject({ kind: 'answer', topic: 'invalid-vault-credentials', evidence: 'id' });
  });
});

describe('questions about the consequences of a planned change get no troubleshooting steps', () => {
  it.each([
    ['We are moving the file servers to a new AD domain next month, is that going to be a problem for the MARS backups?'],
    ['We gaan de servers naar een nieuw domein verhuizen. Is dat een probleem voor de back-up met de MARS-agent?'],
    ['If we change the vault to locally redundant storage, will the registered servers keep backing up?'],
  ])('%j', (text) => {
    expect(['fallback', 'info']).toContain(matcher.understand(text).kind);
  });

  it.each([
    ['Two hosts named APP01 live in separate domains. Is that a problem if both register to the same vault?', 'en'],
    ['Twee machines met dezelfde naam in verschillende domeinen, is dat een probleem voor één kluis?', 'nl'],
  ])('reads the "problem" in "is that a problem?" as part of the question, not as a failure: %j', (text, lang) => {
    expect(matcher.understand(text)).toMatchObject({ kind: 'info', info: 'duplicate-machine-names', lang });
  });
});

describe('a fact that shares a topic\'s telling words answers the question about it', () => {
  it.each([
    ["The portal has listed two MARS backup jobs as 'In progress' since the weekend although the agent finished them. Can I remove them?", 'en'],
    ["De portal toont al een week een MARS-taak 'In progress' terwijl de server zegt dat de back-up klaar is. Hoe krijg ik die weg?", 'nl'],
  ])('%j → the jobs-stuck fact', (text, lang) => {
    expect(matcher.understand(text)).toMatchObject({ kind: 'info', info: 'jobs-stuck-in-progress', lang });
  });

  it('keeps the topic when the message is the topic\'s own warning', () => {
    expect(matcher.understand('Job could not be started as another job was in progress, every morning in the job history')).toMatchObject({
      kind: 'answer',
      topic: 'job-already-running',
    });
  });

  it.each([
    ['Is it possible to throttle the backup agent so the office VPN stays usable while it uploads?', 'bandwidth-throttling'],
    ['Nobody here knows the encryption passphrase any more since our contractor left. What could we still restore?', 'lost-passphrase'],
  ])('%j → info %s', (text, fact) => {
    expect(matcher.understand(text)).toMatchObject({ kind: 'info', info: fact });
  });
});

describe('every step of the article done for an error id is the article\'s case for contacting support', () => {
  it.each([
    ['I did every step in the article for 100110 and the wizard still refuses the vault credentials file.', 'en'],
    ['Voor 230006 heb ik alle stappen uit het artikel uitgevoerd, nog steeds dezelfde fout.', 'nl'],
  ])('%j → contact-support', (text, lang) => {
    expect(matcher.understand(text)).toMatchObject({ kind: 'answer', topic: 'contact-support', lang });
  });

  it('lets the id decide when the message does not say the steps were the article\'s', () => {
    expect(matcher.understand('tried everything for 100110, the wizard still refuses the vault credentials file')).toMatchObject({
      kind: 'answer',
      topic: 'vault-credential-wrong-vault',
    });
  });
});

describe('what an issue tracker adds below a message is not read', () => {
  const footer = [
    '',
    '---',
    '#### Document Details',
    '',
    '⚠ *Do not edit this section. It is required for learn.microsoft.com ➟ GitHub issue linking.*',
    '',
    '* ID: 0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5',
    '* Version Independent ID: 9f8e7d6c-5b4a-3f2e-1d0c-b9a8f7e6d5c4',
    '* Content: [Troubleshoot the Azure Backup agent - Azure Backup](https://learn.microsoft.com/en-us/azure/backup/backup-azure-mars-troubleshoot)',
    '* Content Source: [articles/backup/backup-azure-mars-troubleshoot.md](https://github.com/MicrosoftDocs/azure-docs/blob/main/articles/backup/backup-azure-mars-troubleshoot.md)',
    '* Service: **backup**',
    '* GitHub Login: @example-author',
    '* Microsoft Alias: **example**',
  ].join('\n');

  it.each([
    'Can the cache folder sit on a ReFS volume? The page only talks about NTFS.',
    'What happens to the recovery points when we give our file server a new hostname?',
    'Registration fails with error 34513 after we downloaded the vault credentials again',
  ])('%j answers the same with the Learn footer below it', (body) => {
    const alone = matcher.understand(body);
    const withFooter = matcher.understand(body + footer);
    expect({ kind: withFooter.kind, topic: withFooter.topic, info: withFooter.info, subject: withFooter.subject }).toEqual({
      kind: alone.kind,
      topic: alone.topic,
      info: alone.info,
      subject: alone.subject,
    });
    expect(withFooter.errorIds).toEqual(alone.errorIds);
  });

  it('cuts at the first footer heading only when it opens a line', () => {
    const cut = createFooterCutter(kb.evidence.footers);
    expect(cut(`question${footer}`).trim()).toBe('question\n---');
    expect(cut('The document details are in the attachment')).toBe('The document details are in the attachment');
  });
});

describe('words that say nothing about the problem', () => {
  const docs = classDocuments(kb);
  const analyzer = createAnalyzer(kb.synonyms, docs.flatMap((doc) => doc.fields.flatMap((field) => field.texts)));

  it('does not "correct" a short word into a longer one ("left" is no "letter")', () => {
    expect(analyzer.analyze('the admin left last year', { correctTypos: true }).words).not.toContain('letter');
    expect(analyzer.analyze('scrach folder is full', { correctTypos: true }).words).toContain('scratch');
  });

  it('does not split a word into a part of two letters ("different" is no "differ" + "nt")', () => {
    expect(analyzer.analyze('registered to a different vault').words).not.toContain('nt');
  });

  it('gives no troubleshooting steps for counting words alone ("two servers", "a different vault")', () => {
    expect(matcher.understand('two different servers, one vault').kind).not.toBe('answer');
  });
});

describe('a program that quotes the agent\'s words is that program\'s problem', () => {
  it.each([
    ['BitLocker on the new laptops fails with "Failed to set the encryption key" when Intune pushes the policy.'],
    ['SQL Server Agent job refuses to start: the job is already running, but nothing shows in Activity Monitor.'],
    ['Windows Server Backup complains there is not enough shadow copy storage space on the E: volume.'],
    ['Our Veeam proxy reports "Failed to set the encryption key" for the repository after the password rotation.'],
    ['wbadmin geeft een fout op DC01, dit is gewoon de ingebouwde Windows Server Back-up en niet Azure.'],
  ])('%j gets no steps of ours', (text) => {
    expect(matcher.understand(text)).toMatchObject({ kind: 'fallback', topic: null });
  });

  it('keeps a product a topic talks about inside that topic ("I tried Chrome and Edge, still 403" is the download topic)', () => {
    expect(matcher.understand('Firefox en Chrome allebei geprobeerd, het downloaden van de kluisreferenties blijft 403 geven')).toMatchObject({
      kind: 'answer',
      topic: 'vault-credential-download-failed',
    });
    expect(matcher.understand('Tried Chrome as well, the vault credentials download still ends in a 403')).toMatchObject({
      kind: 'answer',
      topic: 'vault-credential-download-failed',
    });
  });

  it('reads a warning of the agent told next to robocopy or a NAS as the agent\'s', () => {
    expect(matcher.understand('Robocopy to our NAS finished, but the MARS job says Back-up voltooid met waarschuwingen.')).toMatchObject({
      kind: 'answer',
      topic: 'backup-completed-with-warnings',
    });
  });
});

describe('a correction asked of the documentation is feedback', () => {
  it.each([
    ['Please correct the article: the registry path in step 3 has a typo in it.', 'en'],
    ['Kleine fout in deze sectie van de docs: de naam van de map klopt niet, graag aanpassen.', 'nl'],
  ])('%j', (text, lang) => {
    expect(matcher.understand(text)).toMatchObject({ kind: 'fallback', subject: 'product-feedback', lang });
  });
});

describe('a failure of Azure Backup that nothing pins down gets the first checks', () => {
  it.each([
    ['Azure Backup is acting up on our file server.', 'en'],
    ['Onze Azure back-up doet raar op de fileserver, geen idee waar ik moet beginnen.', 'nl'],
  ])('%j', (text, lang) => {
    expect(matcher.understand(text)).toMatchObject({ kind: 'answer', topic: 'basic-troubleshooting', lang });
  });
});

describe('questions a fact answers, also with a failure word that reports nothing', () => {
  it.each([
    ['How long can I use the vault credentials file after downloading it?', 'vault-credentials-validity'],
    ['Can I back up an external USB drive with the MARS agent?', 'unsupported-volumes'],
    ['Onze externe USB-schijf staat niet in de lijst met items om te back-uppen.', 'unsupported-volumes'],
    ['no problem with the agent, just wondering how much cache space it needs', 'cache-folder-size'],
    ['Can I restore files from the old server to a new server?', 'restore-to-another-machine'],
    ['Our file server was stolen last night. We still have the passphrase, can we get the data back on another box?', 'restore-to-another-machine'],
    ['Onze server is afgebrand, de wachtwoordzin hebben we nog. Kunnen we de bestanden op een nieuwe machine terugzetten?', 'restore-to-another-machine'],
  ])('%j → %s', (text, info) => {
    expect(matcher.understand(text)).toMatchObject({ kind: 'info', info });
  });

  it('gives no steps for a disk that "hangt aan" (is attached to) the server', () => {
    expect(matcher.understand('De LUN hangt via iSCSI aan de server, kan de agent die meenemen in de back-up?').kind).not.toBe('answer');
  });

  it('gives no steps for a question about what would happen, also after a condition', () => {
    expect(matcher.understand('Will files that are open during the backup be skipped?').kind).not.toBe('answer');
    expect(matcher.understand('If a file is open during the backup, will it be skipped?').kind).not.toBe('answer');
    // A report of what happens, with a question after it, is a failure.
    expect(matcher.understand('If the backup runs while the file is locked, it gets skipped every night. Why?')).toMatchObject({
      kind: 'answer',
      topic: 'backup-completed-with-warnings',
    });
  });
});

describe('vault settings are vault management, not the agent', () => {
  it.each([['How do I turn on soft delete and immutability for the Recovery Services vault?'], ['Multi-user authorization blocks me from changing the passphrase, what now?']])(
    '%j',
    (text) => {
      expect(matcher.understand(text)).toMatchObject({ kind: 'fallback', subject: 'vault-management' });
    },
  );
});

describe('a message that says it is not about backup is not ours', () => {
  it.each([
    ['Our own scheduled script does not run anymore since the GPO change, nothing to do with backup. What changed?'],
    ['Onze eigen geplande taak met een opschoonscript draait niet meer, heeft niets met de back-up te maken.'],
    ['Edge users get (407) Proxy Authentication Required from the proxy since Monday, not backup related, Firefox works.'],
  ])('%j gets no steps', (text) => {
    expect(matcher.understand(text)).toMatchObject({ kind: 'fallback', topic: null });
  });

  it('still answers the part that is ours when only another part is disclaimed', () => {
    expect(matcher.understand('Nothing to do with the backup, but the scheduled backup also stopped running on FS01')).toMatchObject({
      kind: 'answer',
      topic: 'scheduled-backup-not-running',
    });
    expect(matcher.understand('It is not related to the agent update I think: the backup fails since Monday with 0x1FC07')).toMatchObject({
      kind: 'answer',
      topic: 'activation-failed',
    });
  });

  it('takes "docs feedback" for feedback on the documentation', () => {
    expect(matcher.understand("Docs feedback: the page spells the log folder as 'Recovery Service Agent', the s is missing.")).toMatchObject({
      kind: 'fallback',
      subject: 'product-feedback',
    });
  });
});

describe('antivirus that quarantines the agent\'s cache is the cache folder\'s exclusions', () => {
  it('answers with the cache folder topic', () => {
    expect(
      matcher.understand('Sophos keeps quarantining files in the cache folder of the backup agent, jobs stop midway. What should we exclude?'),
    ).toMatchObject({ kind: 'answer', topic: 'cache-folder-problems' });
  });
});
