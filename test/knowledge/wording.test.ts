import { loadKnowledge } from '../../src/knowledge/load-knowledge';
import { caseStepLists, userFacingTexts } from './knowledge-texts';

/**
 * How the knowledge base talks to an admin, checked over every text it shows (steps resolved
 * from their procedures): natural Dutch and English, one name per thing, safe steps in a safe
 * order. Each rule names the offending texts, so a failure says where to fix.
 */
const kb = loadKnowledge();
const texts = userFacingTexts(kb);
const nl = texts.filter((t) => t.lang === 'nl');
const en = texts.filter((t) => t.lang === 'en');
/** Text outside `code` and **UI labels**: what the rules about our own words look at. */
const prose = (text: string) => text.replace(/`[^`]*`/g, '').replace(/\*\*[^*]+\*\*/g, '');
const offenders = (list: typeof texts, bad: RegExp) => list.filter((t) => bad.test(prose(t.text))).map((t) => `${t.where}: ${t.text}`);

describe('the wording of the knowledge base', () => {
  it('joins with colons, not with " - " dashes', () => {
    expect(offenders(texts, / - /)).toEqual([]);
  });

  it('never refers the admin to "the article": they do not see it', () => {
    expect(offenders(texts, /\b(the|this) article\b|\bhet artikel\b|\bdit artikel\b/i)).toEqual([]);
  });

  it('spells the portal one way per language: "Azure-portal" in Dutch, "Azure portal" in English', () => {
    expect(offenders(nl, /Azure[ ]+portal/i)).toEqual([]);
    expect(offenders(en, /Azure-portal|Azure Portal/)).toEqual([]);
  });

  it('names the backup service, not "the engine"', () => {
    expect(offenders(nl, /\bengine\b/i)).toEqual([]);
    expect(offenders(en, /\bengine\b/i)).toEqual([]);
  });

  it('says "terugzetten" in Dutch, not "restore" (Instant Restore is a name)', () => {
    expect(offenders(nl, /\brestore\b(?<!Instant Restore)/i)).toEqual([]);
  });

  it('writes the scratch space rule the same way: "5 à 10%" in Dutch, "5% to 10%" in English', () => {
    expect(offenders(nl, /\b5\s*%?\s*(tot|-|–)\s*10\s*%/)).toEqual([]);
    expect(offenders(en, /\b5 to 10 ?%|\b5\s?-\s?10 ?%|10 %/)).toEqual([]);
  });

  it('labels alternatives as Option A / Option B, never as a sequence of steps', () => {
    const lists = caseStepLists(kb);
    const problems: string[] = [];
    for (const { where, steps, lang } of lists) {
      const option = lang === 'nl' ? 'Optie' : 'Option';
      steps.forEach((step, i) => {
        if (/^(Or|Of|Alternatively|Anders)\b/.test(step)) problems.push(`${where} step ${i + 1} starts an alternative without a label: ${step}`);
      });
      const labels = steps.map((s) => new RegExp(`^${option} ([A-Z])\\b`).exec(s)?.[1]).filter((l): l is string => l !== undefined);
      if (labels.length > 0 && labels.join('') !== 'ABCD'.slice(0, labels.length)) problems.push(`${where}: options ${labels.join(', ')}`);
      if (labels.length === 1) problems.push(`${where}: an ${option} A without an ${option} B`);
    }
    expect(problems).toEqual([]);
  });

  it('offers RemoteSigned, with its scope, before it ever mentions Unrestricted', () => {
    const problems: string[] = [];
    for (const { where, steps } of caseStepLists(kb)) {
      const unrestricted = steps.findIndex((s) => s.includes('Unrestricted'));
      if (unrestricted < 0) continue;
      const remoteSigned = steps.findIndex((s) => /Set-ExecutionPolicy RemoteSigned -Scope (Process|LocalMachine)/.test(s));
      if (remoteSigned < 0 || remoteSigned > unrestricted) problems.push(where);
      if (/Set-ExecutionPolicy Unrestricted/.test(steps.join('\n'))) problems.push(`${where} tells to run Set-ExecutionPolicy Unrestricted`);
    }
    expect(problems).toEqual([]);
  });

  it('warns that deleting a server from the vault deletes its recovery points, and how to keep what is needed, before the step that deletes it', () => {
    const deletes = /\*\*Delete\*\*|delete (the |a )?servers? (from|in) (the|this) vault|verwijder (de |een )?servers? uit de kluis/i;
    const problems: string[] = [];
    let found = 0;
    for (const { where, steps, lang } of caseStepLists(kb)) {
      const at = steps.findIndex((s) => deletes.test(s));
      if (at < 0) continue;
      found++;
      const before = steps.slice(0, at).join('\n');
      const warns = lang === 'nl' ? /herstelpunten/ : /recovery points/;
      const keeps = lang === 'nl' ? /Zet eerst terug/ : /Restore what you still need first/;
      if (!warns.test(before)) problems.push(`${where}: no warning about the recovery points before step ${at + 1}`);
      if (!keeps.test(before)) problems.push(`${where}: no "restore what you need first" before step ${at + 1}`);
      // Nothing after the deletion may reason about restoring what was just deleted.
      const after = steps.slice(at + 1).join('\n');
      if (/earlier backups|eerdere back-ups|old passphrase|oude wachtwoordzin/i.test(after)) problems.push(`${where}: reasons about the deleted backups after deleting them`);
    }
    expect(found).toBeGreaterThanOrEqual(5);
    expect(problems).toEqual([]);
  });
});
