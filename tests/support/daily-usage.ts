const DAY = 86_400_000;
const FEATURES = ['dashboards', 'reports', 'alerts', 'integrations', 'sharing', 'api'];

/**
 * Full daily use of an account from day `fromDay` to `toDay` after `start`: four users an hour
 * apart each day, each on a feature that rotates by day. Ids are stable, so a repeat is a replay.
 */
export function dailyUsage(id: string, start: number, fromDay: number, toDay: number) {
  return Array.from({ length: toDay - fromDay + 1 }, (_, i) => fromDay + i).flatMap((d) =>
    ['u1', 'u2', 'u3', 'u4'].map((u, k) => ({
      id: `${id}-${d}-${u}`,
      accountId: id,
      userId: u,
      name: 'used',
      timestamp: new Date(start + d * DAY + 3_600_000 * (1 + k)).toISOString(),
      properties: { feature: FEATURES[(d + k) % FEATURES.length] },
    })),
  );
}
