/**
 * Telling "the passphrase is not correctly configured" (a remark about a secret) from "the
 * passphrase is correct horse battery staple" (the secret itself). The words below are what
 * remarks are made of; a value made only of them is a remark, anything else is taken as a secret.
 * Where the two overlap we keep the secret out: a remark that also holds other words ("my
 * passphrase is correct but the backup still fails") is redacted. The ticket still has its error
 * ids and topic, which are stored apart from the text.
 */

/**
 * Words that never open a secret after "is" / "was": a passphrase that starts with a negation, a
 * state or a preposition ("is in the safe", "is stored on FS01") is too unlikely to pay for
 * redacting every remark that does.
 */
const REMARK_OPENERS = (
  // English
  'not no never none n/a incorrect wrong invalid expired lost forgotten missing empty unknown required mandatory ' +
  'needed necessary unset changed reset stored saved kept written configured misconfigured corrupted corrupt damaged ' +
  'broken garbled locked blocked disabled enabled accepted rejected refused used generated encrypted hidden masked ' +
  'shown visible case-sensitive still already also too only just exactly probably definitely maybe perhaps somehow ' +
  'somewhere in on at of for from with without by during after before since until via into inside under about what ' +
  'which where how why when who whose this that it these those there here being getting longer shorter less more ' +
  'different same valid ok okay fine good working failing failed ' +
  // Dutch
  'niet geen nooit onjuist fout verkeerd ongeldig verlopen kwijt vergeten ontbreekt leeg onbekend verplicht vereist ' +
  'nodig gewijzigd veranderd gereset opgeslagen bewaard weggeschreven ingesteld geconfigureerd beschadigd kapot ' +
  'geblokkeerd uitgeschakeld ingeschakeld geaccepteerd geweigerd gebruikt gegenereerd versleuteld verborgen zichtbaar ' +
  'hoofdlettergevoelig nog al ook te alleen precies waarschijnlijk misschien ergens op aan bij van voor met zonder ' +
  'door tijdens na sinds tot uit over onder wat welke waar hoe waarom wanneer wie dit dat deze die er hier langer ' +
  'korter minder meer anders hetzelfde dezelfde geldig goed prima oké juist wel toch eigenlijk even nou'
).split(' ');

/** Everything else a remark about a secret is commonly made of. */
const REMARK_WORDS = (
  // articles, pronouns, possessives
  'the a an my your our their his her its mine yours i me we you they he she de het een mijn jouw je uw ons onze ' +
  'hun zijn haar ik wij jij zij ze hij men iemand someone nobody niemand ' +
  // conjunctions and little words
  'and or but so then because nor as than if en of maar dus want omdat dan als toen zo ' +
  // verbs
  'is was are were be been has have had do does did can could will would should must may might ben bent waren ' +
  'heeft hebben had kan kun kunnen zal zou zouden moet moeten mag mogen wordt worden werd ' +
  'works work working worked werkt werken werkte fails fail faalt mislukt mislukte lukt lukte helps helped helpt ' +
  'help says said zegt zei shows showed toont gives gave geeft keeps blijft remains expires verloopt ' +
  'entered typed given provided set ingevoerd ingetypt gegeven opgegeven know knows weet weten think denk ' +
  'check checked gecontroleerd tried geprobeerd ' +
  // adverbs
  'very really quite rather heel erg echt best nogal now again anymore yet nu weer steeds opnieuw twice ' +
  'correct correctly properly right wrongly correcte juiste gewoon simply definitely zeker ' +
  // sizes, times, places
  'characters chars tekens karakters letters digits cijfers long lang lengte length short kort minimum minimaal ' +
  'maximum maximaal least most minste hoogstens minutes minuten hours uur days dagen weeks weken year years jaar jaren ' +
  'month months maand maanden today vandaag yesterday gisteren ago geleden earlier eerder time times keer ' +
  'one ones new old nieuwe oude nieuw oud current huidige default standaard original originele eerste first ' +
  'last laatste below above hieronder hierboven zie see attached bijlage attachment ' +
  'unchanged ongewijzigd yes ja nee true false null nil'
).split(' ');

export const OPENERS = new Set(REMARK_OPENERS);
export const REMARK_VOCABULARY = new Set([...REMARK_OPENERS, ...REMARK_WORDS]);
