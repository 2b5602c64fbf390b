/** FNV-1a, 32-bit: cheap and stable across runtimes; for shard choice and name suffixes, not security. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
