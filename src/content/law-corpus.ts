import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The national-law corpus (the team's shared material, never committed; the tests carry a small sample of it):
 * where the benchmarks look for it, and its markdown files unpacked into a temporary folder, as its README asks.
 * Not used by the service, which loads only `content/`.
 */

/**
 * The tarball the caller names (the benchmarks pass their LAWS_CORPUS), or the team's copy beside the project
 * (docs/benchmarks.md). The environment is read by the scripts that run, not here: src/config.ts is the service's
 * only reader of process.env.
 */
export function lawCorpusTarball(projectRoot: string, named: string | undefined): string {
  return path.resolve(named ?? path.join(projectRoot, '../shared/corpus/laws-cn-national.tar.gz'));
}

export interface UnpackedCorpus {
  dir: string;
  /** Absolute paths of the `.md` files, sorted. */
  files: string[];
  /** Each file's path inside the tarball ("民法典/总则.md"), as the relevance file names them. */
  relative: (file: string) => string;
  remove: () => void;
}

/** Unpacks a corpus tarball; `skipIndexPages` leaves out the collection's `_index.md` section pages. */
export function unpackLawCorpus(tarball: string, options: { skipIndexPages?: boolean } = {}): UnpackedCorpus {
  const dir = mkdtempSync(path.join(tmpdir(), 'laws-'));
  execFileSync('tar', ['xzf', tarball, '-C', dir]);
  const files: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = path.join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.md') && !(options.skipIndexPages && f === '_index.md')) files.push(p);
    }
  };
  walk(dir);
  return {
    dir,
    files: files.sort(),
    relative: (file) => path.relative(dir, file).split(path.sep).join('/'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
