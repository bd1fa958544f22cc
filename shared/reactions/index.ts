import type { EntityChange } from '../store/stream.ts';
import type { Effect } from './effects.ts';
import { applicationEmails, bookingEmails } from './emails.ts';
import { referralEmails, referralToPlace, roomOwed } from './referrals.ts';
import { absencesOwed, figuresOwed, releaseEmails } from './finance.ts';
import { placesOwed } from './waitlist.ts';
import { retentionOwed } from './retention.ts';

// Everything a change to the table owes, as a list of pure reactions: a new duty is a new line here.

export type Reaction = (change: EntityChange) => Effect[];

export const reactions: readonly Reaction[] = [
  applicationEmails, bookingEmails, placesOwed,
  referralEmails, referralToPlace, roomOwed,
  figuresOwed, absencesOwed, releaseEmails,
  retentionOwed,
];

export const effectsOf = (change: EntityChange): Effect[] => reactions.flatMap((react) => react(change));

export type { Effect, OwedMessage } from './effects.ts';
