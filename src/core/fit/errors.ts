/** The engine's one error type: unusable data, bad options, or cancellation. The message is shown to the user. */
export class FitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FitError';
  }
}
