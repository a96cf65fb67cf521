import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inflateSync } from 'node:zlib';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { BOT_ID_PLACEHOLDER, packageTeamsApp } from '../../../scripts/package-teams';
import { isSetSupportChannelCommand } from '../../../src/support/support-actions';
import { buildMarsbot } from '../../helpers/start-marsbot';

/**
 * The Teams app package an admin uploads: manifest and localization valid against Microsoft's
 * published JSON schema (shipped in @microsoft/app-manifest, so no download), icons of the right size.
 */

const MANIFEST_DIR = join(__dirname, '..', '..', '..', 'manifest', 'teams');
const readJson = (name: string) => JSON.parse(readFileSync(join(MANIFEST_DIR, name), 'utf8')) as Record<string, unknown>;
const manifest = readJson('manifest.json') as {
  manifestVersion: string;
  bots: { botId: string; scopes: string[]; commandLists: { scopes: string[]; commands: { title: string }[] }[] }[];
  localizationInfo: { additionalLanguages: { languageTag: string; file: string }[] };
  icons: { color: string; outline: string };
};

function schema(file: string): object {
  const dir = join(dirname(require.resolve('@microsoft/app-manifest/package.json')), 'build', 'json-schemas', 'teams', `v${manifest.manifestVersion}`);
  const parsed = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
  // The schemas declare draft-04 but use nothing ajv's default draft handles differently; ajv just
  // has no draft-04 meta-schema to look the declaration up in.
  delete parsed['$schema'];
  return parsed;
}

function validator(file: string) {
  // Some patterns in Microsoft's schema are not valid with the u flag ajv uses by default.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema(file));
}

interface Png {
  width: number;
  height: number;
  colorType: number;
  pixels: Buffer;
}

/** Reads what we need of a PNG: the header, and the pixels when stored unfiltered (as our generator does). */
function readPng(file: string): Png {
  const data = readFileSync(join(MANIFEST_DIR, file));
  expect(data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(data.subarray(12, 16).toString('ascii')).toBe('IHDR');
  const width = data.readUInt32BE(16);
  const height = data.readUInt32BE(20);
  const colorType = data[25]!;
  const idat: Buffer[] = [];
  for (let offset = 8; offset < data.length; ) {
    const length = data.readUInt32BE(offset);
    if (data.subarray(offset + 4, offset + 8).toString('ascii') === 'IDAT') idat.push(data.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  return { width, height, colorType, pixels: inflateSync(Buffer.concat(idat)) };
}

describe('Teams app manifest', () => {
  it('is valid against the Teams manifest schema of its version', () => {
    const validate = validator('MicrosoftTeams.schema.json');
    expect(validate(manifest) ? [] : validate.errors).toEqual([]);
    expect(Number(manifest.manifestVersion.split('.')[1])).toBeGreaterThanOrEqual(19);
  });

  it('has a valid Dutch localization that only translates what the manifest has', () => {
    const [nl] = manifest.localizationInfo.additionalLanguages;
    expect(nl).toEqual({ languageTag: 'nl-nl', file: 'nl-nl.json' });
    const localization = readJson(nl!.file);
    const validate = validator('MicrosoftTeams.Localization.schema.json');
    expect(validate(localization) ? [] : validate.errors).toEqual([]);
    for (const key of Object.keys(localization).filter((k) => k.startsWith('bots['))) {
      const path = key.replace(/\[(\d+)\]/g, '.$1').split('.');
      const value = path.reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], manifest);
      expect([key, typeof value]).toEqual([key, 'string']);
    }
  });

  it('installs the bot in personal chats, teams and group chats', () => {
    expect(manifest.bots[0]!.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
  });

  it('only offers commands marsbot understands, in both languages', async () => {
    const localization = readJson('nl-nl.json');
    const titles = manifest.bots[0]!.commandLists.flatMap((list, l) =>
      list.commands.flatMap((command, c) => [command.title, localization[`bots[0].commandLists[${l}].commands[${c}].title`] as string]),
    );
    const marsbot = await buildMarsbot();
    for (const [i, title] of titles.entries()) {
      const who = { channel: 'teams' as const, conversationId: `manifest-${i}`, userId: 'admin' };
      // The Teams adapter hands "set support channel" to the support layer, everything else to the conversation.
      const inbound = isSetSupportChannelCommand(title)
        ? { ...who, kind: 'support-action' as const, request: { type: 'set-support-channel' as const }, where: { place: who.conversationId, shared: false } }
        : { ...who, kind: 'message' as const, text: title };
      const replies = await marsbot.engine.handle(inbound);
      expect([title, replies[0]?.kind]).not.toEqual([title, 'fallback']);
      expect(replies.length).toBeGreaterThan(0);
    }
    await marsbot.close();
    expect(titles).toEqual(expect.arrayContaining(['set support channel', 'stel supportkanaal in']));
  });

  it('ships a 192×192 colour icon and a 32×32 white-on-transparent outline icon', () => {
    const color = readPng(manifest.icons.color);
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = readPng(manifest.icons.outline);
    expect([outline.width, outline.height, outline.colorType]).toEqual([32, 32, 6]);
    let transparent = 0;
    for (let y = 0; y < 32; y++) {
      expect(outline.pixels[y * (32 * 4 + 1)]).toBe(0); // unfiltered rows
      for (let x = 0; x < 32; x++) {
        const at = y * (32 * 4 + 1) + 1 + x * 4;
        const [r, g, b, a] = outline.pixels.subarray(at, at + 4);
        if (a === 0) transparent++;
        else expect([r, g, b]).toEqual([255, 255, 255]);
      }
    }
    expect(transparent).toBeGreaterThan(32 * 32 * 0.4);
  });

  it('packages the app with the bot id from MicrosoftAppId', async () => {
    const appId = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
    const { outFile } = await packageTeamsApp({ appId, outFile: join(tmpdir(), `marsbot-teams-${process.pid}.zip`) });
    const zip = readFileSync(outFile);
    for (const name of ['manifest.json', 'nl-nl.json', 'color.png', 'outline.png']) expect(zip.includes(Buffer.from(name))).toBe(true);
    expect(zip.includes(Buffer.from(`"botId": "${appId}"`))).toBe(true);
    expect(zip.includes(Buffer.from(BOT_ID_PLACEHOLDER))).toBe(false);
    await expect(packageTeamsApp({ appId: 'not-a-guid', outFile: join(tmpdir(), 'x.zip') })).rejects.toThrow(/GUID/);
  });
});
