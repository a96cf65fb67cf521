import type { KnowledgeBase } from '../../src/knowledge/load-knowledge';
import { LANGS, type Lang } from '../../src/shared/lang';

/** One piece of text an admin reads, with where it stands in the knowledge base. */
export interface KnowledgeText {
  where: string;
  lang: Lang;
  text: string;
  kind: 'title' | 'summary' | 'when' | 'step' | 'question' | 'label';
}

/**
 * Every user-facing text of the knowledge base, steps resolved from their procedures: what the
 * wording and UI-label rules run over. The `changes` notes are left out: they are for maintainers
 * and the ticket, and may say what the article says.
 */
export function userFacingTexts(kb: KnowledgeBase): KnowledgeText[] {
  const out: KnowledgeText[] = [];
  for (const topic of kb.topics) {
    for (const lang of LANGS) {
      const at = (path: string) => `topics/${topic.id}.yaml ${path}.${lang}`;
      out.push({ where: at('title'), lang, text: topic.title[lang], kind: 'title' });
      out.push({ where: at('summary'), lang, text: topic.summary[lang], kind: 'summary' });
      topic.cases.forEach((c, ci) => {
        out.push({ where: at(`cases.${ci}(${c.id}).title`), lang, text: c.title[lang], kind: 'title' });
        out.push({ where: at(`cases.${ci}(${c.id}).when`), lang, text: c.when[lang], kind: 'when' });
        c.steps[lang].forEach((step, si) => out.push({ where: at(`cases.${ci}(${c.id}).steps.${si}`), lang, text: step, kind: 'step' }));
      });
      topic.followUps.forEach((q, qi) => {
        out.push({ where: at(`followUps.${qi}(${q.id}).question`), lang, text: q.question[lang], kind: 'question' });
        q.options.forEach((o, oi) => out.push({ where: at(`followUps.${qi}.options.${oi}(${o.id}).label`), lang, text: o.label[lang], kind: 'label' }));
      });
    }
  }
  return out;
}

/** The resolved steps of every case, per language: the lists an admin follows. */
export function caseStepLists(kb: KnowledgeBase): { where: string; lang: Lang; steps: string[]; procedures: string[] }[] {
  return kb.topics.flatMap((topic) =>
    topic.cases.flatMap((c) => LANGS.map((lang) => ({ where: `${topic.id}/${c.id} (${lang})`, lang, steps: c.steps[lang], procedures: c.procedures }))),
  );
}
