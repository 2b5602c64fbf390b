import { BUILTIN_PLAYS } from './builtin.ts';
import { playSchema, type PlayDefinition } from './definition.ts';

/** The plays that run: the built-in ones, each replaced by the config's play of that id or turned off with `false`, plus the config's own. */
export function resolvePlays(overrides: Record<string, PlayDefinition | false>): Record<string, PlayDefinition> {
  const plays: Record<string, PlayDefinition> = {};
  for (const [id, play] of Object.entries(BUILTIN_PLAYS)) plays[id] = playSchema.parse(play);
  for (const [id, play] of Object.entries(overrides)) {
    if (play === false) delete plays[id];
    else plays[id] = play;
  }
  return plays;
}
