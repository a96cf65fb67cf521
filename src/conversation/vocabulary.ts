/**
 * The words the engine listens for, in both languages at once (people switch mid-sentence).
 * These are recognised, never shown: what the bot says lives in locales/.
 * All entries are folded (lower case, no accents), as text-match produces tokens.
 */

const set = (text: string): ReadonlySet<string> => new Set(text.split(/\s+/).filter(Boolean));

export const YES = set('ja yes y yep yup yeah jazeker jawel zeker klopt correct inderdaad sure affirmative');
export const NO = set('nee no n nope nah neen niet not geen none never nooit');

/** Negation words that flip the meaning of what follows ("geen proxy", "don't have a proxy"). */
export const NEGATIONS = set(
  "geen niet zonder nooit no not without never don't dont doesn't doesnt didn't didnt isn't isnt aren't arent haven't havent hasn't hasnt can't cant cannot nor",
);

/** Typed "it works now". Checked after the negations, so "werkt niet" is never a yes. */
export const SOLVED_WORDS = set('opgelost gelukt werkt werken doet solved fixed works working resolved sorted verholpen');
export const SOLVED_PHRASES = ['het werkt', 'werkt weer', 'werkt nu', 'it works', 'works now', 'all good', 'alles goed'];

/** "Still broken", beyond plain negations. */
export const NOT_SOLVED_PHRASES = ['nog steeds', 'still', 'helaas', 'unfortunately', 'zelfde fout', 'same error', 'same problem', 'zelfde probleem'];

/** "If that doesn't work" / "what else could it be": move on to the next cause of the current topic. */
export const NEXT_CASE_PHRASES = [
  'als dat niet werkt',
  'als dat niet helpt',
  'als dit niet werkt',
  'als dit niet helpt',
  'werkt niet',
  'helpt niet',
  'hielp niet',
  'werkte niet',
  'niet opgelost',
  'nog steeds',
  'wat nog meer',
  'wat kan het nog meer',
  'wat kan ik nog meer',
  'andere oorzaak',
  'iets anders',
  'volgende stap',
  'volgende optie',
  'heb ik al gedaan',
  'al geprobeerd',
  "if that doesn't work",
  "if that does not work",
  "if it doesn't work",
  "if this doesn't work",
  "if that doesn't help",
  "doesn't work",
  "didn't work",
  'did not work',
  'does not work',
  "didn't help",
  "doesn't help",
  'did not help',
  'does not help',
  "won't help",
  "if that doesn't",
  'if that does not',
  'if it does not',
  'if not',
  'als dat niet',
  'als het niet',
  'als dit niet',
  'en anders',
  'wat anders',
  'anders nog',
  'not working',
  'still failing',
  'still not',
  'still fails',
  'what else',
  'other cause',
  'something else',
  'next step',
  'next option',
  'already tried',
  'already did',
];

/** Words that may surround a language name in "in English please" / "nederlands graag". */
export const LANGUAGE_NAMES: Readonly<Record<string, 'nl' | 'en'>> = {
  english: 'en',
  engels: 'en',
  engelsk: 'en',
  dutch: 'nl',
  nederlands: 'nl',
  nederlandse: 'nl',
  nl: 'nl',
  en: 'en',
};
/** "nl"/"en" alone are too short to trust: only after "lang"/"taal". */
export const LANGUAGE_CODES = set('nl en');
export const LANGUAGE_COMMAND_WORDS = set('lang language taal');
export const LANGUAGE_FILLER = set(
  `in het the please pls graag alsjeblieft aub svp switch to naar change answer reply respond talk speak continue
  verder antwoord antwoorden praat spreek schakel over op can you could kun kan je wil we let's lets language taal
  mag ook dat dit dan ok oke okay i prefer liever would like it now nu voortaan from on en can't zet set taalkeuze
  switching use gebruik in't mode versie version`,
);

export const RESET_PHRASES = [
  'reset',
  'restart',
  'start over',
  'start again',
  'begin again',
  'new question',
  'new problem',
  'another question',
  'opnieuw',
  'opnieuw beginnen',
  'begin opnieuw',
  'start opnieuw',
  'overnieuw',
  'nieuwe vraag',
  'nieuw probleem',
  'andere vraag',
  'ik heb een andere vraag',
  'i have another question',
];

export const HELP_PHRASES = [
  'help',
  'hulp',
  'menu',
  'about',
  'info',
  'help me',
  'wat kun je',
  'wat kan je',
  'wat kun jij',
  'wat kan jij',
  'wat kun je allemaal',
  'wat kan je allemaal',
  'wat weet je',
  'waar kun je mee helpen',
  'waarmee kun je helpen',
  'what can you do',
  'what do you know',
  'what can you help with',
  'what can you help me with',
  'how does this work',
  'hoe werkt dit',
];

/** Asking for a person of our own support team. "Microsoft support" is a knowledge topic instead. */
export const ESCALATE_PHRASES = [
  'escaleer',
  'escaleren',
  'escalatie',
  'escalate',
  'escalation',
  'medewerker spreken',
  'een medewerker',
  'mens spreken',
  'met een mens',
  'echt persoon',
  'echte persoon',
  'echt mens',
  'echte mens',
  'talk to a human',
  'speak to a human',
  'talk to a person',
  'speak to a person',
  'real person',
  'a human',
  'human please',
  'contact support',
  'contact met support',
  'support bellen',
  'support spreken',
  'servicedesk',
  'helpdesk',
  'ticket aanmaken',
  'maak een ticket',
  'create a ticket',
  'open a ticket',
  'raise a ticket',
  'log a ticket',
];
/** Words that make an escalation request the contact-support topic (Microsoft's support) instead. */
export const VENDOR_WORDS = set('microsoft azure portal msft');

export const SKIP_WORDS = set('skip overslaan sla geen nothing niks none');
export const CANCEL_PHRASES = ['cancel', 'annuleer', 'annuleren', 'laat maar', 'never mind', 'nevermind', 'stop', 'toch niet', 'no ticket', 'geen ticket'];
export const URGENT_WORDS = set('urgent urgente spoed dringend asap acuut emergency noodgeval');

/** Ordinals for picking an option by position ("de tweede", "the first one"). */
export const ORDINALS: Readonly<Record<string, number>> = {
  eerste: 1,
  first: 1,
  een: 1,
  one: 1,
  tweede: 2,
  second: 2,
  twee: 2,
  two: 2,
  derde: 3,
  third: 3,
  drie: 3,
  three: 3,
  vierde: 4,
  fourth: 4,
  vier: 4,
  four: 4,
  vijfde: 5,
  fifth: 5,
  vijf: 5,
  five: 5,
};
export const ORDINAL_FILLER = set('de het the one optie option nummer number nr keuze choice die that deze this');
