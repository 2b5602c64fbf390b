import { describe, expect, it } from 'vitest';
import { readLevelInPlace } from '../../local/level-sync-reads.ts';

describe('dynalite reads in place', () => {
  // The installed classic-level has the private methods the local store's in-place reads use: a
  // version without them would quietly go back to thread-pool reads (same answers, slower demo).
  it('applies to the installed classic-level', () => {
    expect(readLevelInPlace()).toBe(true);
  });
});
