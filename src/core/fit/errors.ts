/** The engine's one error type: unusable data, bad options, or cancellation. The message is shown to the user. */
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
