import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIRTY_MARGIN_MS } from '../../functions/data/dirty.ts';
import { assemblyDir, loadTemplate, logicalIdOf, resourcesOfType, STACK } from './assembly.ts';

/** The scoring function deletes marks and flags a shard again for its next run, but marks no account: its timeout is its own. */
const SCORING = logicalIdOf(STACK.app, '/Tend/Scoring/Handler/Resource');
/** A mark's sort key pattern, as data/dirty.ts reads it back (`accountOfMark`): a bundle holding it has the marks' repository (the key names alone are in every bundle that reads keys.ts). */
const MARKS_MODULE = String.raw`\d{4}-\d\d-\d\dT\d\d#`;

/** Whether any file of a function's bundle holds `text`. */
const bundleHolds = (assetPath: string, text: string) => {
  const dir = join(assemblyDir(), assetPath);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).some((f) => f.endsWith('.mjs') && readFileSync(join(dir, f), 'utf8').includes(text));
};

describe('rescoring marks in hour buckets (docs/data-model.md, "Rescoring marks in hour buckets")', () => {
  it("every function that marks accounts ends well within the marks' margin, so no mark lands in an hour that has ended", () => {
    const template = loadTemplate(STACK.app);
    const marking = resourcesOfType(template, 'AWS::Lambda::Function').flatMap(([id, properties]) => {
      const asset = (template.Resources[id] as unknown as { Metadata?: Record<string, string> }).Metadata?.['aws:asset:path'];
      return id !== SCORING && asset && bundleHolds(asset, MARKS_MODULE) ? [{ id, timeoutMs: Number(properties.Timeout) * 1000 }] : [];
    });
    // The API (ingest) marks.
    expect(marking.map((f) => f.id)).toContain(logicalIdOf(STACK.app, '/Tend/Api/Handler/Resource'));
    for (const f of marking) expect({ ...f, withinATenth: f.timeoutMs * 10 <= DIRTY_MARGIN_MS }).toEqual({ ...f, withinATenth: true });
  });
});
