import { createRequire } from 'node:module';

/**
 * dynalite's point reads (an item before every write, every GetItem) as LevelDB reads on the
 * calling thread. classic-level's asynchronous `get` hands each read to libuv's thread pool and
 * back: two thread hand-offs for a look-up LevelDB answers from its cache in microseconds. On the
 * thread dynalite has to itself (local/dynalite-thread.ts) nothing else waits on it, so the read
 * is done in place with classic-level's own synchronous read (`_getSync`, the one behind its
 * `getSync()`): same store, same answer, same errors, without the hand-offs.
 */
export function readLevelInPlace(): boolean {
  const require = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const { ClassicLevel } = require(require.resolve('classic-level', { paths: [require.resolve('level')] })) as {
    ClassicLevel: { prototype: { _get(key: unknown, options: unknown): Promise<unknown>; _getSync(key: unknown, options: unknown): unknown } };
  };
  const proto = ClassicLevel.prototype;
  // Private methods of classic-level 3: another version without them keeps its own reads (slower, same answers).
  if (typeof proto._getSync !== 'function' || typeof proto._get !== 'function') return false;
  proto._get = async function (key, options) {
    return this._getSync(key, options);
  };
  return true;
}
