/** Whether `tz` is an IANA time zone this runtime knows: `Intl` throws a RangeError on anything else. */
export function isTimeZone(tz: string): boolean {
  if (!tz || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
