import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { unpackLawCorpus } from '../law-corpus.ts';

/**
 * A national law named in a notice (《中华人民共和国网络安全法》) gets its text from a law library at import time: the
 * LawRefBook-format collection the benchmarks read (LAWS_CORPUS: its .tar.gz, or an unpacked folder). Each file is
 * "<folder>/<short name>(<version date>).md" with "# <full title>" on its first line; where a law has several
 * versions, the latest is taken, and its date is kept with the reading.
 */
export interface LawText {
  title: string;
  /** The version's date (YYYY-MM-DD), from the file name. */
  version?: string;
  /** The file's path inside the library, for the reading's source. */
  file: string;
  text: string;
}

export interface LawLibrary {
  find(title: string): LawText | undefined;
  close(): void;
}

const core = (t: string) => t.replace(/[（(]最新修改版全文[）)]|[《》\s　]/g, '').replace(/^中华人民共和国/, '');

export function openLawLibrary(location: string): LawLibrary {
  const isFolder = statSync(location).isDirectory();
  const unpacked = isFolder ? undefined : unpackLawCorpus(location, { skipIndexPages: true });
  const root = unpacked?.dir ?? location;
  const files: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = path.join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.md') && f !== '_index.md') files.push(p);
    }
  };
  walk(root);
  // By the law's title without 中华人民共和国; the latest version wins. Only titles are kept: a text is read when a
  // notice names its law (the service keeps the library open while it runs).
  const byTitle = new Map<string, Omit<LawText, 'text'> & { at: string }>();
  for (const file of files) {
    const version = /\((\d{4}-\d{2}-\d{2})\)\.md$/.exec(file)?.[1];
    const title = /^#\s+(.+)$/m.exec(readFileSync(file, 'utf8'))?.[1]?.trim();
    if (!title) continue;
    const key = core(title);
    const had = byTitle.get(key);
    if (had && (had.version ?? '') >= (version ?? '')) continue;
    byTitle.set(key, { title, ...(version ? { version } : {}), file: path.relative(root, file).split(path.sep).join('/'), at: file });
  }
  return {
    find: (title) => {
      const found = byTitle.get(core(title));
      if (!found) return undefined;
      const { at, ...law } = found;
      return { ...law, text: readFileSync(at, 'utf8') };
    },
    close: () => unpacked?.remove(),
  };
}

/**
 * The library the service uses (LAWS_CORPUS): opened when a notice first needs it (unpacking the whole corpus takes
 * a moment, and most notices name no law), then kept until `close`. A library that cannot be opened is reported
 * once through `onError` and treated as holding nothing: the notice still imports, its laws as titles.
 */
export function lazyLawLibrary(location: string, onError: (err: Error) => void = () => {}): LawLibrary {
  let opened: LawLibrary | undefined;
  let failed = false;
  const library = (): LawLibrary | undefined => {
    if (opened || failed) return opened;
    try {
      opened = openLawLibrary(location);
    } catch (err) {
      failed = true;
      onError(err as Error);
    }
    return opened;
  };
  return {
    find: (title) => library()?.find(title),
    close: () => opened?.close(),
  };
}
