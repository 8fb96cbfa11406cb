/**
 * Every error type the core throws, in one module: callers tell failures apart by type (`instanceof`), never by
 * matching messages. Each message is meant for the user and names the file or input and the problem.
 * Failures that only a higher layer knows stay in that layer, since core must not know of them: a bad command line
 * is the CLI's `UsageError` (cli/args.ts, exit code 2), a fit job cancelled, superseded or lost with its worker
 * thread is the worker client's `FitJobError` (worker/fitClient.ts).
 */

/** The engine's error: unusable data, bad options, or cancellation. */
export class FitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FitError';
  }
}

/** Cancellation (options.isCancelled returned true). A FitError, so callers that only show errors need nothing more. */
export class FitCancelledError extends FitError {
  constructor(message = 'fit cancelled') {
    super(message);
    this.name = 'FitCancelledError';
  }
}

/** Input data that cannot give a dataset; the message names the file or runs and the problem. */
export class DatasetError extends Error {}

/** A frontier that cannot be computed from the data given. */
export class FrontierError extends Error {}

/** A file that is not a readable fit artifact. `notAnArtifact`: it is some other JSON (not ours, not damaged). */
export class ArtifactError extends Error {
  constructor(
    message: string,
    readonly notAnArtifact = false,
  ) {
    super(message);
  }
}

/** A law file (scaling-laws.json) that cannot be read or declares a law wrongly. */
export class LawFileError extends Error {}

/** A run-planning request the fit cannot answer (no chinchilla fit, no bootstrap draws, bad budget or target). */
export class PlanError extends Error {}

/** Damaged protobuf bytes (a TensorBoard event, a W&B record); the message names the offset in the message. */
export class ProtoError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset} of the message`);
    this.name = 'ProtoError';
  }
}

/** A custom law formula that does not parse or uses unknown names. */
export class ExprError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExprError';
  }
}

/** The message of anything thrown (a non-Error value is turned into text). */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
