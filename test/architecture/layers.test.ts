import { checkImport, findViolations, importsOf, LAYERS, layerOf, readSources, resolveImport, SRC_DIR } from './layers';

describe('layers point one way', () => {
  it('no module in src/ imports a layer above its own', () => {
    const sources = readSources(SRC_DIR);
    expect(sources.size).toBeGreaterThan(100);
    const violations = findViolations(sources).map((v) => `${v.from} → ${v.to}: ${v.reason}`);
    expect(violations).toEqual([]);
  });

  it('every folder of src/ belongs to a layer', () => {
    const unplaced = [...readSources(SRC_DIR).keys()].filter((path) => layerOf(path) === undefined);
    expect(unplaced).toEqual([]);
  });
});

describe('the layer checker', () => {
  it('catches a lower layer importing a higher one, whatever the import syntax', () => {
    const sources = new Map([
      ['knowledge/load.ts', "import { createEngine } from '../conversation/create-engine';\n"],
      ['storage/store.ts', "export type { Ticket } from '../support/ticket';\n"],
      ['shared/i18n.ts', "const later = await import('../channels/teams/x');\n"],
      ['understanding/m.ts', "import type {\n  Reply,\n} from '../replies/reply';\n"],
    ]);
    expect(findViolations(sources).map((v) => v.reason)).toEqual([
      'knowledge must not import conversation (a higher layer)',
      'storage must not import support (a higher layer)',
      'shared must not import channels (a higher layer)',
      'understanding must not import replies (a higher layer)',
    ]);
  });

  it('allows imports within a layer and downwards, and ignores packages', () => {
    const sources = new Map([
      ['conversation/create-engine.ts', "import { z } from 'zod';\nimport { t } from '../shared/i18n';\nimport { x } from './state';\n"],
      ['channels/teams/bot.ts', "import { y } from '../../conversation/engine';\nimport { z } from '../card-submit';\n"],
      ['index.ts', "import { createMarsbot } from './create-marsbot';\n"],
    ]);
    expect(findViolations(sources)).toEqual([]);
  });

  it('keeps one platform folder out of another', () => {
    expect(checkImport('channels/teams/bot.ts', 'channels/slack/slack-notifier.ts')?.reason).toBe('channels/teams/ must not import channels/slack/');
    expect(checkImport('channels/web/create-web-chat.ts', 'channels/card-submit.ts')).toBeUndefined();
  });

  it('lets a module read the locale files but nothing else outside src/', () => {
    expect(checkImport('shared/i18n-resources.ts', resolveImport('shared/i18n-resources.ts', '../../locales/en/support.json'))).toBeUndefined();
    expect(checkImport('shared/i18n.ts', resolveImport('shared/i18n.ts', '../../test/helpers/fake-clock'))?.reason).toBe('imports from outside src/');
    expect(checkImport('shared/i18n.ts', resolveImport('shared/i18n.ts', '../../locales/en/helper'))?.reason).toBe('imports from outside src/');
  });

  it('reads relative specifiers and resolves them against the importing file', () => {
    expect(importsOf("import a from 'pino';\nimport { b } from '../shared/lang';\nexport * from './c';\nrequire('./d')")).toEqual([
      '../shared/lang',
      './c',
      './d',
    ]);
    expect(resolveImport('channels/slack/listeners/home-tab.ts', '../../../shared/lang')).toBe('shared/lang.ts');
    expect(LAYERS[0]!.name).toBe('shared');
  });
});
