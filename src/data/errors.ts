// Errors a user can cause with their data: the message names the file, what was expected and the fix.
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}
