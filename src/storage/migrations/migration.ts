/** One schema step. Versions only ever grow; a released step is never edited, only followed by a new one. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Guards against a typo'd list: versions must be unique and ascending, or the runner could skip a step. */
export function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (index > 0 && migration.version <= migrations[index - 1]!.version) {
      throw new Error(`migration ${migration.version} (${migration.name}) is out of order`);
    }
  });
}
