import { within, type Period } from './period.ts';

export type Band = 'green' | 'yellow' | 'red' | 'unscored';

export interface BookEntry {
  accountId: string;
  arr: number;
  band: Band;
  renewalDate?: string;
}

export interface BandFigures {
  accounts: number;
  arr: number;
  /** Share of all accounts, and of all ARR, in the band. */
  accountShare: number | null;
  arrShare: number | null;
  ids: string[];
}

const BANDS: Band[] = ['green', 'yellow', 'red', 'unscored'];

/** Accounts and ARR by health band; ARR at risk is the red band's. Churned accounts are not in the book. */
export function byBand(book: BookEntry[]): Record<Band, BandFigures> {
  const totalArr = book.reduce((t, a) => t + a.arr, 0);
  return Object.fromEntries(
    BANDS.map((band) => {
      const inBand = book.filter((a) => a.band === band);
      const arr = inBand.reduce((t, a) => t + a.arr, 0);
      return [
        band,
        {
          accounts: inBand.length,
          arr,
          accountShare: book.length ? inBand.length / book.length : null,
          arrShare: totalArr ? arr / totalArr : null,
          ids: inBand.map((a) => a.accountId),
        },
      ];
    }),
  ) as Record<Band, BandFigures>;
}

/** Renewals due in the period, soonest first (then by account id), with their accounts and ARR by band. */
export function renewalsDue(book: BookEntry[], period: Period) {
  const due = book
    .filter((a) => a.renewalDate && within(a.renewalDate, period))
    .sort((a, b) => (a.renewalDate! < b.renewalDate! ? -1 : a.renewalDate! > b.renewalDate! ? 1 : a.accountId < b.accountId ? -1 : 1));
  return { due: due.map(({ accountId, arr, band, renewalDate }) => ({ accountId, arr, band, renewalDate: renewalDate! })), byBand: byBand(due) };
}
