export const BANDS = ['green', 'yellow', 'red', 'unscored'] as const;
export type Band = (typeof BANDS)[number];
/** The bands' colours, the same as the CSS (contrast checked on white). */
export const BAND_COLOURS: Record<Band, string> = { green: '#1a7f37', yellow: '#b58a00', red: '#c62828', unscored: '#8c959f' };

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const whole = new Intl.NumberFormat('en-US');
export const fmtMoney = (n: number | null | undefined) => (n === null || n === undefined ? '—' : money.format(n));
export const fmtInt = (n: number | null | undefined) => (n === null || n === undefined ? '—' : whole.format(n));
export const fmtPct = (n: number | null | undefined, digits = 1) => (n === null || n === undefined ? '—' : `${(n * 100).toFixed(digits)}%`);
export const fmtDay = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '—');
export const fmtNum = (n: number | null | undefined, digits = 1) => (n === null || n === undefined ? '—' : n.toFixed(digits));
