import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const FILE = '.tend-validated-state-machines';

/**
 * The state machine definitions aws-local-stepfunctions has already validated, kept in the
 * assembly's folder: its JSON-schema check compiles the ASL schema afresh for every machine (over a
 * second of each start), and an assembly's definitions only change when it is synthesized again.
 * Keyed by the definition and the versions of the library and its validator.
 */
export class ValidatedDefinitions {
  private readonly file: string;
  private readonly hashes: Set<string>;
  private readonly version = libraryVersions();

  constructor(assemblyDir: string) {
    this.file = join(assemblyDir, FILE);
    this.hashes = new Set(existsSync(this.file) ? readFileSync(this.file, 'utf8').split('\n').filter(Boolean) : []);
  }

  /** The key of a definition as loaded (take it before the library sees the definition: it may add to it). */
  keyOf(definition: unknown): string {
    return createHash('sha256').update(this.version).update(JSON.stringify(definition)).digest('hex');
  }

  has(key: string): boolean {
    return this.hashes.has(key);
  }

  /** Records a definition that loaded (a machine that fails validation throws before it gets here). */
  add(key: string): void {
    if (this.hashes.has(key)) return;
    this.hashes.add(key);
    try {
      writeFileSync(this.file, [...this.hashes].join('\n') + '\n');
    } catch {
      // A read-only assembly: validated again at the next start.
    }
  }
}

/** aws-local-stepfunctions' and asl-validator's versions (their package.json files are not exported: found next to their entry points). */
function libraryVersions(): string {
  const require = createRequire(import.meta.url);
  const versionNear = (entry: string) => {
    for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
      const file = join(dir, 'package.json');
      if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '';
    }
    return '';
  };
  const library = require.resolve('aws-local-stepfunctions');
  const validator = createRequire(library).resolve('asl-validator');
  return `${versionNear(library)}/${versionNear(validator)}`;
}
