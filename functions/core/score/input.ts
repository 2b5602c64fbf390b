import type { Account, Contact, Survey, Ticket, UsageDay } from '../types.ts';
import type { ScoreFacts } from './explain.ts';

/** What the scorer reads about one account (one Query): the input of the pure scoring step. */
export interface ScoringInput {
  /** Absent when the account does not exist (a mark for an unknown id). */
  account?: Account;
  /** Usage days, oldest needed first. */
  days: UsageDay[];
  /** The stored score, as stored: no reasons (they are rebuilt on read). */
  previous?: ScoreFacts;
  /** What the account's list entries hold of `previous`, as its item records it (undefined: not known; account-list-entry.ts `scoreListing`). */
  listing?: string;
  surveys: Survey[];
  tickets: Ticket[];
  contacts: Contact[];
}
