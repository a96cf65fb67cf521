import type { Reply } from './reply';

/** The knowledge base marks UI names as **bold**; a terminal shows them plainly. */
export function plainText(text: string): string {
  return text.replace(/\*\*([^*]+)\*\*/g, '$1');
}

/**
 * Plain-text rendering for the terminal and for logs. Buttons become numbered choices, so a
 * terminal user answers by typing the number; the caller maps numbers back with `choicesOf`.
 */
export function renderText(reply: Reply, firstChoiceNumber = 1): string {
  const lines: string[] = [];
  if (reply.title) lines.push(reply.title, '-'.repeat(Math.min(reply.title.length, 72)));
  for (const paragraph of reply.text ?? []) lines.push(plainText(paragraph));
  if (reply.steps && reply.steps.length > 0) {
    if (lines.length > 0) lines.push('');
    reply.steps.forEach((step, i) => lines.push(`${i + 1}. ${plainText(step)}`));
  }
  if (reply.prompt) lines.push('', reply.prompt);
  let n = firstChoiceNumber;
  for (const choice of choicesOf(reply)) lines.push(`  [${n++}] ${choice.label}`);
  if (reply.form) lines.push('', reply.form.descriptionLabel);
  if (reply.source) lines.push('', `${reply.source.label}: ${reply.source.url}`);
  if (reply.footer) lines.push('', reply.footer);
  return lines.join('\n');
}

/** The buttons of a reply in the order renderText numbers them. */
export function choicesOf(reply: Reply): NonNullable<Reply['choices']> {
  return [...(reply.choices ?? []), ...(reply.actions ?? [])];
}
