import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SimulatedDelivery, WeComSimulator } from '../wecom/simulator.ts';
import { wecomMarkdownToHtml } from './wecom-markdown.ts';

/** One delivery as the local chat page shows it. */
export interface JournalEntry {
  /** The journal's own number: goes on counting across restarts (the simulator's starts at 1 in every process). */
  seq: number;
  at: number;
  api: SimulatedDelivery['api'];
  /** Content's name of the target, or the simulator's recipient (touser … for app messages). */
  to: string;
  msgtype: string;
  text: string;
  /** A markdown message as a WeCom client shows it (escaped; only WeCom's few tags). */
  html?: string;
  /** A file message: its name; the bytes are served at /dev/chat/files/<seq>. */
  file?: string;
}

export interface JournalOptions {
  simulator: WeComSimulator;
  /** Where the journal lives (DATA_DIR/dev-chat); in memory only without one (tests, the ask CLI). */
  dir?: string;
  targetName?: (delivery: { api: string; to: string; body: Record<string, unknown> }) => string | undefined;
}

/**
 * What the simulated WeCom delivered, numbered and (with a directory) kept on disk, so a chat page left open across a
 * restart asks "after N" of the same numbering and is shown what came while it was away, exactly once. The simulator
 * lives in the process and forgets everything on restart; this journal does not. Files are kept beside it so a
 * downloaded export still opens after a restart. Local mode only: a few hundred lines a demo, appended synchronously
 * so an entry is on disk before any page can have seen it.
 */
export class DevChatJournal {
  /** Changes when the journal starts afresh (a new data directory): a page holding another id starts from 0. */
  readonly id: string;
  readonly #entries: JournalEntry[] = [];
  readonly #files = new Map<number, Buffer>();
  readonly #o: JournalOptions;
  readonly #file: string | undefined;
  readonly #unsubscribe: () => void;

  constructor(options: JournalOptions) {
    this.#o = options;
    this.#file = options.dir ? path.join(options.dir, 'deliveries.jsonl') : undefined;
    this.id = this.#load() ?? randomBytes(6).toString('hex');
    if (this.#file) {
      // Written afresh from what was read, so an append never lands after a line torn by a crash.
      mkdirSync(path.join(options.dir!, 'files'), { recursive: true });
      writeFileSync(this.#file, [{ journal: this.id }, ...this.#entries].map((e) => `${JSON.stringify(e)}\n`).join(''));
    }
    this.#unsubscribe = options.simulator.onDelivery((d) => this.#record(d));
  }

  get last(): number {
    return this.#entries.at(-1)?.seq ?? 0;
  }

  after(seq: number): JournalEntry[] {
    // Entries are in order: find the first one past `seq` from the end (pages ask for the last few).
    let i = this.#entries.length;
    while (i > 0 && this.#entries[i - 1]!.seq > seq) i--;
    return this.#entries.slice(i);
  }

  /** A file message's bytes and name, or undefined when the journal has no such file. */
  file(seq: number): { name: string; data: Buffer } | undefined {
    const entry = this.#entries.find((e) => e.seq === seq);
    if (!entry?.file) return undefined;
    const data = this.#files.get(seq) ?? (this.#o.dir ? readOptional(path.join(this.#o.dir, 'files', String(seq))) : undefined);
    return data ? { name: entry.file, data } : undefined;
  }

  close(): void {
    this.#unsubscribe();
  }

  #record(d: SimulatedDelivery): void {
    const seq = this.last + 1;
    const entry: JournalEntry = {
      seq,
      at: d.at,
      api: d.api,
      to: this.#o.targetName?.(d) ?? d.to,
      msgtype: d.msgtype,
      text: d.text,
      ...(d.msgtype === 'markdown' ? { html: wecomMarkdownToHtml(d.text) } : {}),
    };
    if (d.msgtype === 'file') {
      const upload = this.#o.simulator.uploads.get(String((d.body.file as { media_id?: unknown } | undefined)?.media_id));
      if (upload) {
        entry.file = upload.filename;
        if (this.#o.dir) writeFileSync(path.join(this.#o.dir, 'files', String(seq)), upload.data);
        else this.#files.set(seq, upload.data);
      }
    }
    this.#entries.push(entry);
    if (this.#file) appendFileSync(this.#file, `${JSON.stringify(entry)}\n`);
  }

  /** Reads an existing journal; a line cut by a crash mid-append is the last one and is skipped. */
  #load(): string | undefined {
    if (!this.#file) return undefined;
    const text = readOptional(this.#file)?.toString('utf8');
    if (!text) return undefined;
    const [head, ...lines] = text.split('\n');
    let id: string | undefined;
    try {
      id = (JSON.parse(head!) as { journal?: string }).journal;
    } catch {
      return undefined;
    }
    for (const line of lines) {
      try {
        const entry = JSON.parse(line) as JournalEntry;
        if (Number.isInteger(entry.seq) && entry.seq > this.last) this.#entries.push(entry);
      } catch {
        // the torn last line
      }
    }
    return id;
  }
}

function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
