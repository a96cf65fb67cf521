import type * as AdaptiveCardsModule from 'adaptivecards';

// The package's main entry is untranspiled ESM; its UMD build loads in Node without a DOM for parsing.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCardsModule;

// Properties the parser leaves out of its output because they hold the default value, or because they
// are host extensions it does not model (msteams). Anything else it drops is a property it does not know.
const DROPPED_WHEN_DEFAULT: Record<string, unknown[]> = {
  wrap: [false],
  isMultiSelect: [false],
  associatedInputs: ['auto'],
  msteams: [{ width: 'Full' }],
};

function droppedProperties(input: unknown, output: unknown, path: string, problems: string[]): void {
  if (Array.isArray(input)) {
    const out = Array.isArray(output) ? output : [];
    input.forEach((item, i) => droppedProperties(item, out[i], `${path}[${i}]`, problems));
    return;
  }
  if (!input || typeof input !== 'object') return;
  const out = (output && typeof output === 'object' ? output : {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (key in out) {
      // Action data is free-form: the parser keeps it as is.
      if (key !== 'data') droppedProperties(value, out[key], `${path}.${key}`, problems);
      continue;
    }
    const defaults = DROPPED_WHEN_DEFAULT[key] ?? [];
    if (!defaults.some((d) => JSON.stringify(d) === JSON.stringify(value))) {
      problems.push(`${path}.${key}: not understood by the Adaptive Cards parser`);
    }
  }
}

/**
 * Parses a card with the official Adaptive Cards library (targeting 1.5) and returns every problem:
 * parse warnings, validation failures, and properties the parser did not recognise (typos).
 */
export function validateAdaptiveCard(json: unknown): string[] {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of card.validateProperties().validationEvents) problems.push(`validate: ${event.message}`);
  droppedProperties(json, card.toJSON(context), '$', problems);
  const declared = (json as { version?: string }).version;
  if (declared !== '1.5') problems.push(`version: expected 1.5, got ${String(declared)}`);
  return problems;
}

export function expectValidCard(json: unknown): void {
  const problems = validateAdaptiveCard(json);
  if (problems.length > 0) throw new Error(`invalid Adaptive Card:\n${problems.join('\n')}`);
}

/** The text a person reads on the card, in order (TextBlocks, TextRuns, input labels), for assertions. */
export function visibleTexts(card: unknown): string[] {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const element = node as Record<string, unknown>;
    if ((element['type'] === 'TextBlock' || element['type'] === 'TextRun') && typeof element['text'] === 'string') texts.push(element['text']);
    if (typeof element['type'] === 'string' && element['type'].startsWith('Input.') && typeof element['label'] === 'string') texts.push(element['label']);
    for (const key of ['body', 'items', 'columns', 'inlines']) if (key in element) walk(element[key]);
  };
  walk((card as { body?: unknown }).body);
  return texts;
}

export interface CardButton {
  title: string;
  type: string;
  data?: unknown;
  url?: string;
}

/** Every button on the card, in reading order, with what it sends back. */
export function cardButtons(card: unknown): CardButton[] {
  const buttons: CardButton[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const element = node as Record<string, unknown>;
    if (typeof element['type'] === 'string' && element['type'].startsWith('Action.')) {
      buttons.push({ title: typeof element['title'] === 'string' ? element['title'] : '', type: element['type'], data: element['data'], url: element['url'] as string | undefined });
    }
    for (const key of ['body', 'items', 'columns', 'actions', 'inlines', 'selectAction']) if (key in element) walk(element[key]);
  };
  walk(card);
  return buttons;
}

/** The numbered steps as shown: "1. text", "2. text" … (styled runs joined back into one line). */
export function cardSteps(card: unknown): string[] {
  const steps: string[] = [];
  for (const element of ((card as { body?: unknown[] }).body ?? []) as Record<string, unknown>[]) {
    if (element['type'] !== 'ColumnSet') continue;
    const [number, ...runs] = visibleTexts({ body: [element] });
    if (number && /^\d+\.$/.test(number)) steps.push(`${number} ${runs.join('')}`);
  }
  return steps;
}
