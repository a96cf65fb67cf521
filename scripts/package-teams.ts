import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ZipFile } from 'yazl';
import { loadConfig } from '../src/config';

/**
 * Builds the Teams app package an admin uploads (Teams admin center or "Upload a custom app"):
 * dist/marsbot-teams.zip with the manifest, its Dutch localization and the two icons.
 * The bot id placeholder is replaced with MicrosoftAppId when it is set.
 */

export const BOT_ID_PLACEHOLDER = '00000000-0000-0000-0000-000000000000';
const FILES = ['manifest.json', 'nl-nl.json', 'color.png', 'outline.png'] as const;

/** The repository root, whether this runs from scripts/ (ts) or dist/scripts/ (built). */
function rootDir(): string {
  const candidates = [join(__dirname, '..'), join(__dirname, '..', '..')];
  return candidates.find((dir) => existsSync(join(dir, 'manifest', 'teams', 'manifest.json'))) ?? candidates[0]!;
}

export interface PackageOptions {
  appId?: string;
  manifestDir?: string;
  outFile?: string;
}

export async function packageTeamsApp(options: PackageOptions = {}): Promise<{ outFile: string; botId: string }> {
  const manifestDir = options.manifestDir ?? join(rootDir(), 'manifest', 'teams');
  const outFile = options.outFile ?? join(rootDir(), 'dist', 'marsbot-teams.zip');
  const manifest = JSON.parse(readFileSync(join(manifestDir, 'manifest.json'), 'utf8')) as { bots: { botId: string }[] };
  const botId = options.appId ?? BOT_ID_PLACEHOLDER;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(botId)) {
    throw new Error(`MicrosoftAppId must be the bot's GUID (from the Azure Bot registration), got "${botId}"`);
  }
  for (const bot of manifest.bots) bot.botId = botId;

  const zip = new ZipFile();
  for (const name of FILES) {
    const content = name === 'manifest.json' ? Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) : readFileSync(join(manifestDir, name));
    // Small files: stored, not deflated, so the package is easy to inspect.
    zip.addBuffer(content, name, { compress: false, mtime: new Date('2025-01-01T00:00:00Z') });
  }
  zip.end();
  mkdirSync(dirname(outFile), { recursive: true });
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.pipe(createWriteStream(outFile)).on('close', resolve).on('error', reject);
  });
  return { outFile, botId };
}

if (require.main === module) {
  const config = loadConfig();
  packageTeamsApp({ appId: config.teams.appId }).then(
    ({ outFile, botId }) => {
      const note = botId === BOT_ID_PLACEHOLDER ? ' (bot id is a placeholder: set MicrosoftAppId and run again before uploading)' : '';
      process.stdout.write(`wrote ${outFile}${note}\n`);
    },
    (err: unknown) => {
      process.stderr.write(`could not build the Teams package: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
