// Reading a file that a user or a client named (a scenario to run or debug), the one way every
// Node entry point does it: resolved, opened without blocking (a FIFO nobody writes would block a
// plain open), checked with fstat before a byte is read (a device such as /dev/zero has no end),
// and read only up to its size, at most maxBytes (src/dsl/limits.ts has the default).

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';

/** Why a path cannot be read as a scenario: not a regular file, or too large. */
function regularFileProblem(path: string, stat: { readonly isFile: boolean; readonly isDirectory?: boolean; readonly size: number }, maxBytes: number): string | undefined {
  if (stat.isDirectory) return `${path} is a directory, not a scenario file`;
  if (!stat.isFile) return `${path} is not a regular file (a scenario is read only from a regular file, never from a device, a pipe or a folder)`;
  if (stat.size > maxBytes) return `${path} is ${stat.size} bytes, over the limit of ${maxBytes} bytes for a scenario file`;
  return undefined;
}

/** The file's text; throws an Error (code EGVTFILE, or the system's) when it cannot be read. */
export function readRegularFile(path: string, maxBytes: number): string {
  const abs = resolve(path);
  const fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    const problem = regularFileProblem(path, { isFile: st.isFile(), isDirectory: st.isDirectory(), size: st.size }, maxBytes);
    if (problem) throw Object.assign(new Error(problem), { code: 'EGVTFILE' });
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.toString('utf8', 0, off);
  } finally {
    closeSync(fd);
  }
}
