/**
 * What users send, for the HTTP and memory benchmarks: short questions in Dutch and English (with
 * the typos admins make), pasted agent errors, and now and then a 1–2 KB pasted log. Written for the
 * benchmark, not taken from an evaluation set: the matcher's cost depends on the kind of text, and
 * these cover answers, clarifications, fallbacks and small talk.
 */

const QUESTIONS = [
  'waarom draait mijn geplande back-up niet?',
  'scheduled backup didnt run last night, backup now works fine',
  'hoe vergroot ik de schaduwkopie opslag voor de cache map?',
  'agent cant reach azure behind our proxy, getting 407',
  'de agent kan geen verbinding maken met Azure, we zitten achter een proxy',
  'restore hangs while mounting the recovery volume',
  'herstel blijft hangen bij koppelen van het volume, iscsi initiator?',
  'vault credentials file says invalid, downloaded it 2 weeks ago',
  'kluisreferenties ongeldig na het opnieuw registreren van de server',
  'where do I find the passphrase? lost it after reinstall',
  'wachtwoordzin kwijt, server opnieuw geinstalleerd',
  'server renamed and now backups fail',
  'another job is already running, but nothing is running',
  'backup completed with warnings, some files failed',
  'cache folder is on a network share, is that allowed?',
  'antivirus scant de scratch map, moet ik die uitsluiten?',
  'how long are vault credentials valid?',
  'MARS agent activation does not complete',
  'kan de vault credential file niet downloaden, 403',
  'what is the weather tomorrow in utrecht',
  'my azure vm backup fails with UserErrorGuestAgentStatusUnavailable',
  'hallo',
  'thanks, that fixed it!',
  'help',
];

const PASTES = [
  'Invalid vault credentials provided. The file is either corrupted or does not have the latest credentials associated with recovery service. (ID: 34513)',
  'Error 34506. The encryption passphrase stored on this computer is not correctly configured.',
  'The Microsoft Azure Recovery Services Agent was unable to connect to Microsoft Azure Backup. (ID: 100050) Check your network settings and ensure that you are able to connect to the internet. (407) Proxy Authentication Required.',
  'Kan de versleutelingssleutel voor veilige back-ups niet instellen. De activering is niet voltooid',
  'The activation did not complete successfully. The current operation failed due to an internal service error [0x1FC07].',
  'Job failed: SalLowDiskSpace. Not enough free space on the volume hosting the scratch folder',
  'SalChecksumStoreInitializationFailed op twee servers sinds gisteren, iemand een idee?',
  'Resource not provisioned in service stamp. Please ensure the server is registered (ID: 230006)',
  'The specified vault credential file cannot be used as it is not downloaded from the vault associated with this server. (ID: 100110)',
  'Backup jobs completed with warning: 0x80070005 Access is denied on C:\\Data\\Finance\\locked.xlsx',
];

/** A pasted agent log of about `size` characters with one real error in it, unique per `seed`. */
function pastedLog(seed: number, size = 1500): string {
  const lines: string[] = [];
  let length = 0;
  for (let n = 0; length < size; n++) {
    const line = `2025-03-${String((n % 28) + 1).padStart(2, '0')} 01:${String(n % 60).padStart(2, '0')}:12.341 CBEngine WARN job-${seed}-${n} CloudServiceHelper retry ${n} host srv${seed % 997}`;
    lines.push(line);
    length += line.length + 1;
  }
  lines.splice(Math.min(4, lines.length), 0, PASTES[seed % PASTES.length]!);
  return `${lines.join('\n')}\nwat is hier aan de hand?`;
}

/**
 * The n-th message of a run: about 60 % questions, 30 % pasted errors, 10 % pasted logs, mixed so
 * that consecutive requests differ.
 */
export function messageFor(n: number): string {
  const slot = n % 10;
  if (slot === 9) return pastedLog(n);
  if (slot >= 6) return PASTES[(n * 7) % PASTES.length]!;
  return QUESTIONS[(n * 13) % QUESTIONS.length]!;
}
