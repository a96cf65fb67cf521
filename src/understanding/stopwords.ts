/**
 * Words that say nothing about which problem someone has, in Dutch and English. Negations are
 * in here too: "not"/"niet" appear in nearly every problem description, so they do not help
 * tell topics apart.
 */
export const STOPWORDS = new Set(
  `a an the and or of to in on at by for with from as is are was were be been being it its it's this that these
  those there here i me my we us our you your he she they them their his her what which who whom why how when
  where whats do does did doing done have has had having can could should would will shall may might must not no
  nor so too very just also only even still yet again now then than if but because while after before during
  into out up down over under about above below any some all each every other such own same few more most
  although though however whereas
  something anything nothing am im ive youre dont doesnt didnt cant wont isnt arent wasnt ok okay please pls
  thanks thank hi hello hey guys anyone someone get gets got getting keep keeps kept make makes made
  de het een en van ik je jij u mijn onze ons wij we niet geen wel wat waarom hoe wanneer waar welke wie die dat
  deze dit er naar bij uit voor met op ook nog maar dan als of zijn is was waren ben bent heeft hebben heb had
  kan kun kunnen moet moeten mag mogen wordt worden werd zal zou zouden te om aan in over tot toe door nu al
  iets niks niets hier daar hun jullie hem haar zij hij zo zo'n even eens gewoon eigenlijk toch wel dus want
  graag bedankt dank hallo hoi allez wa ne da dus ff effe ofzo enzo zoiets iemand iets weer
  hoewel ofschoon echter`.split(/\s+/),
);
