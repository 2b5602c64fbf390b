/**
 * A zod issue's path as a reader writes it: `plays.renewal.steps[1].day`. Its own module, so the
 * handlers that name bad fields do not import functions/core/config.ts (and with it the config
 * schema, built at module load) into their bundles.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '') || '(root)';
}
