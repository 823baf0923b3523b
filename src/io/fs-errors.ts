// File-system errors in words: what the user can do about "EROFS" is clearer as "the file system is
// read-only". The error keeps its code; the message names the path and the cause.
const CAUSES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full (no space left on the device)',
  EDQUOT: 'the disk quota is used up',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'the path is a directory, not a file',
  ENOENT: 'no such file or directory',
  EEXIST: 'it exists already',
  ENOTEMPTY: 'the directory is not empty',
  EMFILE: 'too many files are open',
  ENAMETOOLONG: 'the path is too long',
  EIO: 'an input/output error of the disk',
};

export class FsError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'FsError';
  }
}

/** `e` as an FsError whose message says `what` and the cause in words; other errors pass unchanged. */
export function describeFsError(e: unknown, what: string): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (e instanceof FsError || !code || !(code in CAUSES)) return e;
  const path = (e as NodeJS.ErrnoException).path;
  return new FsError(`${what}: ${CAUSES[code]} (${code}${path && !what.includes(path) ? `, ${path}` : ''})`, code);
}
