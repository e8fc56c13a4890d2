/** File-system errors said in words: what went wrong with a path, not an errno code. */

const WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many open files',
};

/** Why a path could not be read, in words (the errno code follows in brackets for search engines). */
export function describeFsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const words = e?.code ? WORDS[e.code] : undefined;
  return words ? `${words} [${e.code}]` : (e?.code ?? (e as Error)?.message ?? String(error));
}
