/**
 * A step's actions as a list. Its own module: the runtime modules that walk steps (engine,
 * actions, snapshot, diagram) import it without functions/core/plays/definition.ts, whose play
 * schema is built at module load (~4 ms of the Plays Steps cold start) and only runs at synth.
 */
export const asList = <T>(a: T | T[] | undefined): T[] => (a === undefined ? [] : Array.isArray(a) ? a : [a]);
