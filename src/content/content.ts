import { access, readdir, readFile } from 'node:fs/promises';
import type { z } from 'zod';
import path from 'node:path';
import { ContentError } from '../errors.ts';
import { addDays, weekdayOf, weekNumber, type CalendarDate } from './dates.ts';
import { parseDocument, type RegulationDocument, type Unit } from './documents.ts';
import { organisationName, planSchema, scheduleSchema, type Plan, type ScheduleEntry } from './plan.ts';
import { SearchIndex } from './search-index.ts';
import { checkPushCoversRecords } from '../records/push-check.ts';
import { rosterSchema, targetsFileSchema, type Roster, type TargetsFile } from './targets.ts';
import { NO_TERMS, termList, termsFileSchema, type TermList } from './terms.ts';
import { loadYamlFile } from './yaml-file.ts';

/**
 * The semester's content, loaded and checked once at start-up: plan, schedule, documents, and the indexes built
 * from them (exact article lookup by (document, number); keyword search separately). Broken content stops the
 * service with a ContentError naming file, line and field rather than letting it serve wrong answers.
 */
export class Content {
  readonly #articles = new Map<string, Unit>();
  readonly #byName = new Map<string, RegulationDocument>();
  readonly #namesLongestFirst: Array<{ name: string; doc: RegulationDocument }>;
  readonly search: SearchIndex;

  constructor(
    readonly plan: Plan,
    readonly schedule: readonly ScheduleEntry[],
    readonly documents: readonly RegulationDocument[],
    readonly broadcast: TargetsFile = { schedule: { cron: '0 8 * * 1', catchUpHours: 48, sendEmptyWeeks: false }, targets: [] },
    readonly roster: Roster = rosterSchema.parse({}),
    /** Where each target is defined (content/targets.yaml line), for errors found later (a missing robot key). */
    readonly targetLines: ReadonlyMap<string, number> = new Map(),
    /** Lay-to-formal words for keyword search (content/terms.yaml). */
    readonly terms: TermList = NO_TERMS,
  ) {
    for (const d of documents) {
      for (const u of d.units) if (u.number !== undefined) this.#articles.set(key(d.id, u.number, u.suffix), u);
      for (const name of [d.title, d.shortTitle, ...d.aliases]) this.#byName.set(normaliseName(name), d);
    }
    this.#namesLongestFirst = [...this.#byName.entries()].map(([name, doc]) => ({ name, doc })).sort((a, b) => b.name.length - a.name.length);
    // The semester's own materials are what members mean; anything else loaded (a law library) comes after them.
    this.search = new SearchIndex(documents, { preferred: plan.materials.flatMap((m) => (m.document ? [m.document] : [])) });
  }

  document(id: string): RegulationDocument | undefined {
    return this.documents.find((d) => d.id === id);
  }

  /** The article (or point) `number` of a document; `suffix` 1 for 第…条之一. */
  article(docId: string, number: number, suffix?: number): Unit | undefined {
    return this.#articles.get(key(docId, number, suffix));
  }

  /** How many numbered units (articles or points) a document has. */
  articleCount(docId: string): number {
    return this.document(docId)?.units.filter((u) => u.number !== undefined && u.suffix === undefined).length ?? 0;
  }

  /** A document by any of its names: full title, 《title》, short title or an alias. */
  documentByName(name: string): RegulationDocument | undefined {
    return this.#byName.get(normaliseName(name));
  }

  /** Every name a user may use for a document, longest first (so the longest mention wins when scanning text). */
  documentNames(): ReadonlyArray<{ name: string; doc: RegulationDocument }> {
    return this.#namesLongestFirst;
  }

  /** The law the plan's questions default to: the first document numbered by articles. */
  get defaultLaw(): RegulationDocument | undefined {
    return this.documents.find((d) => d.numbering === 'articles');
  }

  /** The organisation's name for people (e.g. 管理学院党总支), from the plan's issuer: never written into code. */
  get organisation(): string {
    return organisationName(this.plan.issuer);
  }

  isAdmin(userId: string): boolean {
    return this.roster.admins.some((a) => a.userId === userId);
  }

  weekOf(date: CalendarDate): number {
    return weekNumber(this.plan.week1Monday, date);
  }

  mondayOfWeek(week: number): CalendarDate {
    return addDays(this.plan.week1Monday, (week - 1) * 7);
  }

  summary() {
    return {
      documents: this.documents.length,
      articles: this.documents.reduce((n, d) => n + d.units.filter((u) => u.number !== undefined).length, 0),
      units: this.search.size,
      scheduleEntries: this.schedule.length,
      weeks: [...new Set(this.schedule.map((e) => e.week))].length,
    };
  }
}

function key(docId: string, number: number, suffix?: number): string {
  return `${docId}:${number}${suffix ? `-${suffix}` : ''}`;
}

function normaliseName(name: string): string {
  return name.replace(/[《》〈〉\s　]/g, '').toLowerCase();
}

/** Loads and validates CONTENT_DIR. */
export async function loadContent(dir: string): Promise<Content> {
  const rel = (f: string) => path.join(path.basename(path.resolve(dir)), f);
  const plan = await loadYamlFile(path.join(dir, 'plan.yaml'), rel('plan.yaml'), planSchema);
  const schedule = await loadYamlFile(path.join(dir, 'schedule.yaml'), rel('schedule.yaml'), scheduleSchema);

  schedule.data.forEach((e, i) => {
    const actual = weekdayOf(e.date);
    if (actual !== e.weekday) {
      throw new ContentError(rel('schedule.yaml'), schedule.lineOf([i, 'weekday']), `${i}.weekday`, `${e.date} 是星期${actual}，不是星期${e.weekday}`);
    }
    const week = weekNumber(plan.data.week1Monday, e.date);
    if (week !== e.week) {
      throw new ContentError(
        rel('schedule.yaml'),
        schedule.lineOf([i, 'week']),
        `${i}.week`,
        `${e.date} 在第 ${week} 周（第 1 周从 ${plan.data.week1Monday} 开始），不是第 ${e.week} 周`,
      );
    }
  });

  const docDir = path.join(dir, 'documents');
  const files = (await readdir(docDir).catch(() => [] as string[])).filter((f) => f.endsWith('.md')).sort();
  const documents: RegulationDocument[] = [];
  for (const f of files) {
    const doc = parseDocument(await readFile(path.join(docDir, f), 'utf8'), rel(`documents/${f}`), path.basename(f, '.md'));
    const clash = documents.find((d) => d.id === doc.id);
    if (clash) throw new ContentError(doc.file, 2, 'id', `文档 id “${doc.id}” 与 ${clash.file} 重复`);
    if (doc.units.length === 0) throw new ContentError(doc.file, undefined, undefined, '文档没有正文');
    documents.push(doc);
  }
  plan.data.materials.forEach((m, i) => {
    if (m.document && !documents.some((d) => d.id === m.document)) {
      throw new ContentError(rel('plan.yaml'), plan.lineOf(['materials', i, 'document']), `materials.${i}.document`, `找不到文档 “${m.document}”（应为 documents/${m.document}.md）`);
    }
  });
  const targets = await loadOptionalYaml(dir, 'targets.yaml', rel('targets.yaml'), targetsFileSchema, { targets: [] });
  const roster = await loadOptionalYaml(dir, 'roster.yaml', rel('roster.yaml'), rosterSchema, {});
  const targetLines = new Map(targets.data.targets.map((t, i) => [t.name, targets.lineOf(['targets', i]) ?? 0]));
  const terms = (await exists(path.join(dir, 'terms.yaml'))) ? termList((await loadYamlFile(path.join(dir, 'terms.yaml'), rel('terms.yaml'), termsFileSchema)).data) : NO_TERMS;
  const content = new Content(plan.data, schedule.data, documents, targets.data, roster.data, targetLines, terms);
  checkPushCoversRecords(content, rel('targets.yaml'));
  return content;
}

/** A YAML file that may be absent (then `fallback` is validated as if it were its content). */
async function loadOptionalYaml<S extends z.ZodType>(dir: string, file: string, label: string, schema: S, fallback: unknown) {
  const full = path.join(dir, file);
  if (await exists(full)) return loadYamlFile(full, label, schema);
  return { data: schema.parse(fallback) as z.infer<S>, lineOf: () => undefined };
}

function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
