import type { Lang } from '../shared/lang';
import { foldCase, tokenize } from './normalize-text';

/**
 * Dutch or English, from the user's own words. Admins paste English errors into Dutch sentences
 * (and the other way round), so lines that look pasted count for little; the words around them decide.
 */

type DetectedLanguage = Lang | 'other' | 'unknown';

// Short, frequent words that are distinctive for one language. Words both languages share
// ("is", "in", "over", "want") are left out on purpose.
const DUTCH = new Set(
  `de het een en van ik je jij u mijn onze ons wij we niet geen wel wat waarom hoe wanneer waar welke wie
  die dat deze dit er naar bij uit voor met op ook nog maar dan als of zijn heeft hebben krijg krijgen
  kan kun kunnen moet moeten mag wordt worden werd gaat gaan doet doen draait draaien lukt mislukt
  faalt gefaald sinds gisteren vandaag elke steeds zelfs alleen eigenlijk gewoon zo'n graag bedankt
  dank hallo hoi goedemorgen melding fout foutmelding terwijl omdat daarom nadat tijdens zonder tegen
  zit staat zie zien komt kom krijgt geeft gegeven opnieuw werkt nieuwe oude nieuw oud server's
  allez wa ne da hij zij hem haar daar hier hun jullie zou zouden mee toe weer nu al iets niks niets
  welk klopt verband bestand map schijf taak taken waarschuwing fouten geplande stappen
  zelf krijg hangt blijft vast gezet ingesteld gebruikt gebruiken probleem vraag alles andere ander twee nacht
  ochtend dagen uur minuten sindsdien daarna eerst toch zien gezien geprobeerd proberen lijkt zegt zei nodig
  willen wil weet weten kijk kijken zoals dezelfde hele alle geweest volgende vorige nooit altijd vaak soms
  misschien waarschijnlijk terug gelukt lukte lukken kapot ontbreekt verdwenen aangemaakt gemaakt moet
  heb hebt had hadden ben bent waren was wordt ging gingen komen kwam vind vinden gevonden staan stond
  ondersteund ondersteunt versies hoeveel mogelijk`.split(/\s+/),
);

const ENGLISH = new Set(
  `the a an and of i you my our we us not no don't doesn't didn't can't won't isn't what why how when
  where which who that this these those there to from for with on at by it its it's are was were be been
  has have had get gets getting got can could should would must may do does did keeps keep still since
  yesterday today every even only just please thanks thank hello hi morning error failed fails failing
  while because after during without against seems any some anyone anything help fix now again works
  working new old ever never whats what's where's how's i'm i've we're they them their then than
  about into out up down if so too also already yet ideas idea nightly running run runs
  cant wont dont doesnt isnt didnt wasnt find found under hangs hang stuck nothing something anyone nobody tried
  try seems shows says said told need needs want wants know see seen saw look looks like same another
  tell give gives gave took take make made should whole been being next last night days hours minutes
  getting happens happened anymore though which will shall ours your yours mine
  fine good bad broken missing gone wrong right correct
  supported support versions possible`.split(/\s+/),
);

// A few frequent words of languages we do not answer in, so "Wie kann ich …" is not read as Dutch.
const OTHER = new Set(
  `ich nicht und ist das wie kann einen eine im unter mit auf für wir sie es le la les est pas une pour
  avec dans que qui el los las por para una es con como está`.split(/\s+/),
);

export interface LanguageGuess {
  lang: DetectedLanguage;
  nl: number;
  en: number;
  other: number;
}

// Text inside quotes is usually an error message being cited.
const QUOTED = /"[^"]{12,}"|`[^`]{12,}`|(?<![a-z])'[^']{12,}'(?![a-z])/gi;
const QUOTE_MARK = /["`']/;
const QUOTED_LINE_START = /^(>|\s*PS\s?[A-Z]?:?\\?>|\s+\+ )/;
const QUOTED_LINE = /^".*"$/;
const SENTENCE_BREAK = /(?<=[.!?;])\s+|\s+[-–—]+\s+|<-+|[()[\]]/;

/**
 * Scores each sentence; sentences that look pasted (quoted, log lines, lines carrying an error id or an
 * agent message) weigh a quarter, so the user's own words win.
 */
export function detectLanguage(text: string, isPastedLine: (line: string) => boolean): LanguageGuess {
  let nl = 0;
  let en = 0;
  let other = 0;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (!line) continue;
    let quotedLine: boolean | undefined;
    // Sentence by sentence: "<pasted English error> — we zitten achter een proxy, wat nu?"
    for (const segment of line.split(SENTENCE_BREAK)) {
      if (!segment.trim()) continue;
      // Count the segment's words first: a segment without a single Dutch, English or other word
      // (most log lines) adds nothing whatever its weight, so whether it is pasted need not be asked.
      const quotedParts = QUOTE_MARK.test(segment) ? (segment.match(QUOTED) ?? []) : [];
      const unquoted = quotedParts.length > 0 ? segment.replace(QUOTED, ' ') : segment;
      let nlWords = 0;
      let enWords = 0;
      let otherWords = 0;
      for (const token of tokenize(foldCase(unquoted))) {
        if (DUTCH.has(token)) nlWords++;
        if (ENGLISH.has(token)) enWords++;
        if (OTHER.has(token)) otherWords++;
      }
      let nlQuoted = 0;
      let enQuoted = 0;
      for (const part of quotedParts) {
        for (const token of tokenize(foldCase(part))) {
          if (DUTCH.has(token)) nlQuoted++;
          if (ENGLISH.has(token)) enQuoted++;
        }
      }
      if (nlWords + enWords + otherWords + nlQuoted + enQuoted === 0) continue;
      quotedLine ??= QUOTED_LINE_START.test(rawLine) || QUOTED_LINE.test(line);
      const weight = quotedLine || isPastedLine(segment) ? 0.25 : 1;
      // Weights are quarters and sixteenths, so these products and sums are exact: the same
      // totals as adding the weight word by word.
      nl += nlWords * weight + nlQuoted * (0.25 * weight);
      en += enWords * weight + enQuoted * (0.25 * weight);
      other += otherWords * weight;
    }
  }
  let lang: DetectedLanguage = 'unknown';
  if (other >= 2 && other > nl && other > en) lang = 'other';
  else if (nl > en) lang = 'nl';
  else if (en > nl) lang = 'en';
  return { lang, nl, en, other };
}
