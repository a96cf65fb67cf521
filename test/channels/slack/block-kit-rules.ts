/**
 * Slack's documented Block Kit limits, checked on rendered output: Slack rejects the whole message
 * (invalid_blocks) when one of them is broken, so tests run every rendered message through this.
 */
export function blockKitViolations(blocks: any[], surface: 'message' | 'modal' | 'home' = 'message'): string[] {
  const problems: string[] = [];
  const maxBlocks = surface === 'message' ? 50 : 100;
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks (max ${maxBlocks})`);
  const actionIds = new Set<string>();
  const blockIds = new Set<string>();
  const checkText = (where: string, text: any, max: number) => {
    if (!text || typeof text.text !== 'string') return problems.push(`${where}: text object missing`);
    if (text.text.length === 0) problems.push(`${where}: empty text`);
    if (text.text.length > max) problems.push(`${where}: ${text.text.length} chars (max ${max})`);
  };
  const checkActionId = (where: string, id: any) => {
    if (typeof id !== 'string' || id.length === 0 || id.length > 255) problems.push(`${where}: bad action_id`);
    else if (actionIds.has(id)) problems.push(`${where}: duplicate action_id ${id}`);
    else actionIds.add(id);
  };
  blocks.forEach((block, i) => {
    const where = `block ${i} (${block.type})`;
    if (block.block_id !== undefined) {
      if (block.block_id.length > 255) problems.push(`${where}: block_id too long`);
      if (blockIds.has(block.block_id)) problems.push(`${where}: duplicate block_id`);
      blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'header':
        checkText(where, block.text, 150);
        if (block.text?.type !== 'plain_text') problems.push(`${where}: header must be plain_text`);
        break;
      case 'section':
        checkText(where, block.text, 3000);
        if (block.accessory?.action_id) checkActionId(where, block.accessory.action_id);
        break;
      case 'context':
        if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 10) problems.push(`${where}: 1–10 elements`);
        for (const element of block.elements ?? []) checkText(where, element, 3000);
        break;
      case 'actions':
        if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 25) problems.push(`${where}: 1–25 elements`);
        for (const element of block.elements ?? []) {
          checkActionId(where, element.action_id);
          if (element.type === 'button') {
            checkText(`${where} button`, element.text, 75);
            if (element.value !== undefined && element.value.length > 2000) problems.push(`${where}: button value > 2000`);
          }
        }
        break;
      case 'context_actions':
        if (surface !== 'message') problems.push(`${where}: context_actions only in messages`);
        if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 5) problems.push(`${where}: 1–5 elements`);
        for (const element of block.elements ?? []) {
          checkActionId(where, element.action_id);
          if (element.type === 'feedback_buttons') {
            checkText(`${where} positive`, element.positive_button?.text, 75);
            checkText(`${where} negative`, element.negative_button?.text, 75);
            if (!element.positive_button?.value || !element.negative_button?.value) problems.push(`${where}: feedback values missing`);
          }
        }
        break;
      case 'input':
        if (surface === 'message') problems.push(`${where}: input blocks belong in modals`);
        checkText(`${where} label`, block.label, 2000);
        checkActionId(where, block.element?.action_id);
        break;
      case 'divider':
        break;
      default:
        problems.push(`${where}: unexpected block type`);
    }
  });
  return problems;
}

/** Every mrkdwn/plain text in the blocks, for escaping checks. */
export function allTexts(blocks: any[]): { type: string; text: string }[] {
  const out: { type: string; text: string }[] = [];
  const visit = (node: any) => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node && typeof node === 'object') {
      if ((node.type === 'mrkdwn' || node.type === 'plain_text') && typeof node.text === 'string') out.push({ type: node.type, text: node.text });
      Object.values(node).forEach(visit);
    }
  };
  visit(blocks);
  return out;
}

/** The action elements (buttons, feedback buttons, selects) in the blocks, in order. */
export function allElements(blocks: any[]): any[] {
  return blocks.flatMap((b) => (b.type === 'actions' || b.type === 'context_actions' ? b.elements : b.accessory ? [b.accessory] : []));
}
