/**
 * Send windows: email reaches a contact during working hours on working days in the contact's
 * own time zone. Pure functions over `Intl` (no tz database of our own): DST is whatever the
 * runtime's ICU says, which is what the contact's clock says too.
 */
export type Weekday = 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';
const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export interface SendWindow {
  days: Weekday[];
  /** First local hour of the window (inclusive). */
  startHour: number;
  /** Local hour the window closes (exclusive; 24 = midnight). */
  endHour: number;
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: Weekday;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time in `timeZone` at an instant. */
export function localTime(ms: number, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: String(parts.weekday).toLowerCase().slice(0, 3) as Weekday,
  };
}

/** How far `timeZone` is ahead of UTC at an instant, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const t = localTime(ms, timeZone);
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The instant a wall-clock time first occurs in `timeZone`. Two passes settle the offset around a
 * DST change; a time that does not exist (skipped by spring-forward) lands just after the gap, and
 * one that occurs twice (fall-back) is its first occurrence.
 */
export function zonedInstant(year: number, month: number, day: number, hour: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour);
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  // A time that occurs twice (the hour repeated by fall-back) is first met under the offset in
  // force before the change: try the offsets half a day either side too, and take the earliest.
  const candidates = [first, second, wall - offsetAt(wall - 43_200_000, timeZone), wall - offsetAt(wall + 43_200_000, timeZone)];
  const occurring = candidates.filter((c) => localTime(c, timeZone).hour === hour);
  if (occurring.length) return Math.min(...occurring);
  return Math.max(first, second);
}

export function inWindow(ms: number, timeZone: string, w: SendWindow): boolean {
  const t = localTime(ms, timeZone);
  return w.days.includes(t.weekday) && t.hour >= w.startHour && t.hour < w.endHour;
}

/**
 * When a contact in `timeZone` may next be emailed: `now` itself inside the window, else the
 * next opening (the start hour of the next allowed local day). Never before `now`.
 */
export function nextSendTime(now: Date, timeZone: string, w: SendWindow): Date {
  const ms = now.getTime();
  if (inWindow(ms, timeZone, w)) return now;
  const today = localTime(ms, timeZone);
  // Eight local days always reach an allowed weekday (the window has at least one).
  for (let i = 0; i <= 8; i++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + i));
    if (!w.days.includes(WEEKDAYS[date.getUTCDay()]!)) continue;
    const open = zonedInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), w.startHour, timeZone);
    if (open > ms && inWindow(open, timeZone, w)) return new Date(open);
  }
  throw new Error(`no send window opening within 8 days of ${now.toISOString()} in ${timeZone}`);
}
