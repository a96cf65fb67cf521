import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { defaultKnowledgeDir, KnowledgeError, loadKnowledge } from '../../src/knowledge/load-knowledge';
import { createMatcher } from '../../src/understanding/create-matcher';
import { buildAskReply } from '../../src/cli/ask-reply';

/**
 * One procedure, one name: a task several causes need (moving the scratch folder, antivirus
 * exclusions, deleting a server from the vault …) is written once in knowledge/procedures/ and
 * referenced from every case, so it can never drift apart again. The loader resolves the
 * references, so everything that reads steps — answers, tickets, `marsbot ask`, the eval — sees
 * the procedure's steps.
 */
const kb = loadKnowledge();
const KNOWLEDGE = defaultKnowledgeDir();

/** Facts that only the named procedures may state: a step with one of them anywhere else is a copy. */
const OWNED_BY: Record<string, string[]> = {
  'CBSSBVol_': ['move-scratch-folder'],
  'Config\\CloudBackupProvider': ['move-scratch-folder', 'check-scratch-location'],
  'Copy the whole `Scratch` folder': ['move-scratch-folder'],
  'psexec -i -s': ['open-system-account-proxy-settings'],
  'vssadmin Resize ShadowStorage': ['increase-shadow-storage'],
  '20.190.128.0/18': ['allow-backup-urls'],
  'www.msftconnecttest.com': ['allow-backup-urls', 'add-trusted-sites'],
  'CSC.exe': ['antivirus-exclusions'],
  '**Backup Credentials**': ['download-vault-credentials'],
  '**Delete**': ['delete-server-from-vault'],
  'Exclusion Settings': ['add-exclusion-rule'],
  'Task Scheduler Library': ['open-onlinebackup-tasks'],
  '-Filter *.tmp': ['clear-windows-temp'],
  'tzutil': ['check-clock'],
  '**Microsoft iSCSI Initiator Service**': ['restart-iscsi-service'],
  '**Individual files and folders**': ['recover-from-another-server'],
};

/** The step strings written in a file itself (not the ones its procedure references stand for). */
function literalSteps(file: string): string[] {
  const doc = parse(readFileSync(file, 'utf8')) as { steps?: { nl: unknown[]; en: unknown[] }; cases?: { steps: { nl: unknown[]; en: unknown[] } }[] };
  const lists = doc.steps ? [doc.steps] : (doc.cases ?? []).map((c) => c.steps);
  return lists.flatMap((l) => [...l.nl, ...l.en]).filter((s): s is string => typeof s === 'string');
}

describe('shared procedures', () => {
  it('are all used by at least one case', () => {
    const used = new Set(kb.topics.flatMap((t) => t.cases.flatMap((c) => c.procedures)));
    expect([...kb.procedures.keys()].filter((id) => !used.has(id))).toEqual([]);
  });

  it('state their facts in one place only: no topic or other procedure copies them', () => {
    const copies: string[] = [];
    const files = [
      ...readdirSync(join(KNOWLEDGE, 'topics')).map((f) => join(KNOWLEDGE, 'topics', f)),
      ...readdirSync(join(KNOWLEDGE, 'procedures')).map((f) => join(KNOWLEDGE, 'procedures', f)),
    ];
    for (const file of files) {
      const owner = file.includes('/procedures/') ? file.replace(/^.*\/|\.yaml$/g, '') : undefined;
      for (const step of literalSteps(file)) {
        for (const [fact, owners] of Object.entries(OWNED_BY)) {
          if (step.includes(fact) && !owners.includes(owner ?? '')) copies.push(`${file.replace(KNOWLEDGE, 'knowledge')}: "${fact}" belongs in ${owners.join(' or ')}`);
        }
      }
    }
    expect(copies).toEqual([]);
  });

  it('give every case that moves the scratch folder the whole canonical procedure, in order', () => {
    const move = kb.procedures.get('move-scratch-folder')!;
    const users = kb.topics.flatMap((t) => t.cases.filter((c) => c.procedures.includes('move-scratch-folder')).map((c) => ({ topic: t.id, c })));
    expect(users.map((u) => u.topic).sort()).toEqual(
      expect.arrayContaining(['activation-failed', 'cache-folder-problems', 'passphrase-not-configured', 'sal-checksum-store-failed', 'sal-low-disk-space', 'sal-vhd-init-failed']),
    );
    for (const { c } of users) {
      for (const lang of ['nl', 'en'] as const) {
        const procedureSteps = move.steps[lang] as string[];
        const at = c.steps[lang].indexOf(procedureSteps[0]!);
        expect(c.steps[lang].slice(at, at + procedureSteps.length)).toEqual(procedureSteps);
      }
    }
    // The canonical procedure itself: unmount CBSSBVol for System State, copy (not move), start the
    // service once (it was stopped once), delete the old folder only after a successful backup.
    const en = (move.steps.en as string[]).join('\n');
    expect(en).toMatch(/CBSSBVol_<ID>/);
    expect(en).toMatch(/copy it, don't move it/);
    expect(en.match(/net stop obengine/g)).toHaveLength(1);
    expect(en.match(/net start obengine/g)).toHaveLength(1);
    expect((move.steps.en as string[]).at(-1)).toMatch(/Delete the old scratch folder only after that backup has succeeded/);
  });

  it('include a nested procedure only once per case (two scratch checks both find the folder first)', () => {
    const c = kb.byId.get('cache-folder-problems')!.cases.find((x) => x.id === 'scratch-prerequisites')!;
    const find = kb.procedures.get('find-scratch-folder')!.steps.en[0] as string;
    expect(c.steps.en.filter((s) => s === find)).toHaveLength(1);
  });

  it('reach every consumer: `marsbot ask` and the eval see the procedure steps of the case they show', () => {
    const matcher = createMatcher(kb);
    const reply = buildAskReply(kb, matcher.understand('the cache folder is on a network share and backups fail', { forceLang: 'en' }));
    expect(reply).toMatchObject({ kind: 'answer', topic: 'cache-folder-problems', case: 'scratch-prerequisites' });
    const steps = reply.steps.join('\n');
    expect(steps).toContain('net stop obengine');
    expect(steps).toContain('CBSSBVol_<ID>');
  });
});

describe('a procedure reference the loader cannot resolve', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'marsbot-procedures-'));
    cpSync(KNOWLEDGE, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function editYaml(relative: string, change: (doc: Record<string, any>) => void): void {
    const file = join(dir, relative);
    const doc = parse(readFileSync(file, 'utf8')) as Record<string, any>;
    change(doc);
    writeFileSync(file, stringify(doc));
  }

  function loadError(): KnowledgeError {
    try {
      loadKnowledge(dir);
    } catch (err) {
      if (err instanceof KnowledgeError) return err;
      throw err;
    }
    throw new Error('expected the knowledge base to be rejected');
  }

  it('fails kb check when a case names an unknown procedure, with the file and field', () => {
    editYaml('topics/sal-bitmap-error.yaml', (doc) => {
      doc['cases'][0].steps.nl[0] = { procedure: 'no-such-procedure' };
      doc['cases'][0].steps.en[0] = { procedure: 'no-such-procedure' };
    });
    const error = loadError();
    expect(error.file).toMatch(/sal-bitmap-error\.yaml$/);
    expect(error.message).toContain('cases.0.steps (nl): unknown procedure "no-such-procedure"');
  });

  it('fails when the Dutch and English steps name different procedures', () => {
    editYaml('topics/sal-bitmap-error.yaml', (doc) => {
      doc['cases'][0].steps.nl[0] = { procedure: 'check-clock' };
    });
    expect(loadError().message).toContain('nl and en must include the same procedures in the same order');
  });

  it('fails when a procedure includes itself', () => {
    editYaml('procedures/find-scratch-folder.yaml', (doc) => {
      doc['steps'].nl.push({ procedure: 'check-scratch-location' });
      doc['steps'].en.push({ procedure: 'check-scratch-location' });
    });
    expect(loadError().message).toMatch(/includes itself \(.*find-scratch-folder.*check-scratch-location.*find-scratch-folder\)/);
  });

  it('shows a changed procedure in every case that uses it', () => {
    editYaml('procedures/antivirus-exclusions.yaml', (doc) => {
      doc['steps'].en.push('Restart the antivirus service.');
      doc['steps'].nl.push('Herstart de antivirusservice.');
    });
    const changed = loadKnowledge(dir);
    const users = changed.topics.flatMap((t) => t.cases.filter((c) => c.procedures.includes('antivirus-exclusions')));
    expect(users.length).toBeGreaterThanOrEqual(6);
    for (const c of users) expect(c.steps.en).toContain('Restart the antivirus service.');
  });
});
