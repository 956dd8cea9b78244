import fc from "fast-check";

/**
 * Fuzz suites explore a new random seed on every local run; CI (`.ci/run` sets FC_SEED) replays a fixed one, so
 * a landing is never decided by the luck of a draw. A failure prints its seed; `FC_SEED=<seed> npx vitest run
 * <file>` replays it.
 */
if (process.env.FC_SEED) fc.configureGlobal({ seed: Number(process.env.FC_SEED) });
