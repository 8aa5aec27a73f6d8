import { access, readdir, readFile } from 'node:fs/promises';
import type { z } from 'zod';
import path from 'node:path';
import { ContentError } from '../errors.ts';
import { addDays, mondayOf, weekdayOf, weekNumber, type CalendarDate } from './dates.ts';
import { parseDocument, type RegulationDocument, type Unit } from './documents.ts';
import { organisationName, planCoverage, planSchema, scheduleSchema, type Plan, type ScheduleEntry } from './plan.ts';
import { SearchIndex } from './search-index.ts';
import { lawQuestionOptions, NO_LAW_QUESTIONS, parseLawQuestions, type LawQuestions } from './search-expansions.ts';
import { checkPushCoversRecords } from '../records/push-check.ts';
import { rosterSchema, targetsFileSchema, type Roster, type TargetsFile } from './targets.ts';
import { NO_TERMS, termList, termsFileSchema, type TermList } from './terms.ts';
import { loadYamlFile } from './yaml-file.ts';

/** The documents and the indexes built from them: built once and shared by every plan's view. */
interface Library {
  articles: Map<string, Unit>;
  byName: Map<string, RegulationDocument>;
  namesLongestFirst: Array<{ name: string; doc: RegulationDocument }>;
  search: SearchIndex;
}

/** Another plan of the content folder (content/plans/<id>/): its plan and dated sessions. */
export interface OtherPlan {
  plan: Plan;
  schedule: readonly ScheduleEntry[];
  /**
   * Full texts that came with a plan imported at run time (a national law from the law library); a folder plan's
   * documents are loaded with the folder's.
   */
  documents?: readonly RegulationDocument[];
}

/**
 * What every plan's view shares: the documents and the library built from them. The folder's documents are fixed;
 * documents of plans imported at run time join them (and the library is rebuilt) when those plans change.
 */
interface Shared {
  folderDocuments: readonly RegulationDocument[];
  documents: readonly RegulationDocument[];
  lib: Library;
  /** Kept to rebuild the library when imported plans bring documents (laws from the library get their questions too). */
  lawQuestions: LawQuestions;
  /** The plan whose readings the search prefers (the seed's, as at start-up). */
  seedPlan: Plan;
}

/** The days a plan covers; `to` undefined: until the next plan begins. */
export interface Coverage {
  from: CalendarDate;
  to?: CalendarDate;
  /** `to` is an upper bound that the next plan's start cuts short (a semester table). */
  soft?: boolean;
}

/**
 * The content, loaded and checked once at start-up: the plans, their schedules, the documents, and the indexes
 * built from them (exact article lookup by (document, number); keyword search separately). Broken content stops the
 * service with a ContentError naming file, line and field rather than letting it serve wrong answers.
 *
 * A Content is one plan's view of it: `plan` and `schedule` are that plan's, while documents, roster, targets and
 * search are shared. The seed plan at the top of the folder is the view `loadContent` returns; `plans` holds every
 * plan's view (itself among them), and `planOn(date)` the one a question about that day is answered from.
 */
export class Content {
  readonly #shared: Shared;
  #plans: readonly Content[] = [this];
  /** The views of the folder's other plans (content/plans/); plans imported at run time come and go beside them. */
  #folderViews: Content[] = [];
  /** The days this plan covers (open-ended ones end where the next plan begins), or undefined. */
  coverage: Coverage | undefined;

  constructor(
    readonly plan: Plan,
    readonly schedule: readonly ScheduleEntry[],
    documents: readonly RegulationDocument[],
    readonly broadcast: TargetsFile = { schedule: { cron: '0 8 * * 1', catchUpHours: 48, sendEmptyWeeks: false }, targets: [] },
    readonly roster: Roster = rosterSchema.parse({}),
    /** Where each target is defined (content/targets.yaml line), for errors found later (a missing robot key). */
    readonly targetLines: ReadonlyMap<string, number> = new Map(),
    /** Lay-to-formal words for keyword search (content/terms.yaml). */
    readonly terms: TermList = NO_TERMS,
    /** The other plans of the folder (content/plans/). */
    others: readonly OtherPlan[] = [],
    /** Questions people asked about law articles (content/law-expansions.tsv, ./search-expansions.ts). */
    lawQuestions: LawQuestions = NO_LAW_QUESTIONS,
    /** Internal: a view shares its parent's documents and library. */
    shared?: Shared,
  ) {
    this.#shared = shared ?? { folderDocuments: documents, documents, lib: buildLibrary(documents, plan, lawQuestions), seedPlan: plan, lawQuestions };
    this.coverage = planCoverage(plan, schedule);
    if (shared) return;
    this.#folderViews = others.map((o) => this.#view(o));
    this.#arrange([this, ...this.#folderViews]);
  }

  #view(o: OtherPlan): Content {
    return new Content(o.plan, o.schedule, this.documents, this.broadcast, this.roster, this.targetLines, this.terms, [], undefined, this.#shared);
  }

  /**
   * The plans brought in at run time (导入学习计划, from the store), replacing the previous ones: every handler holding
   * this content sees them at once. A plan whose id the folder already has is left out.
   */
  setImportedPlans(imported: readonly OtherPlan[]): void {
    const folderIds = new Set([this, ...this.#folderViews].map((v) => v.plan.id));
    const served = imported.filter((o) => !folderIds.has(o.plan.id));
    this.#setImportedDocuments(served.flatMap((o) => o.documents ?? []));
    this.#arrange([this, ...this.#folderViews, ...served.map((o) => this.#view(o))]);
  }

  /** The folder's documents plus those of the imported plans (an id the folder has is never replaced). */
  #setImportedDocuments(extra: readonly RegulationDocument[]): void {
    const s = this.#shared;
    const ids = new Set(s.folderDocuments.map((d) => d.id));
    const added = extra.filter((d) => !ids.has(d.id) && ids.add(d.id));
    const current = s.documents.slice(s.folderDocuments.length);
    if (added.length === current.length && added.every((d, i) => d.id === current[i]!.id && d.file === current[i]!.file)) return;
    s.documents = [...s.folderDocuments, ...added];
    s.lib = buildLibrary(s.documents, s.seedPlan, s.lawQuestions);
  }

  /** Every document: the folder's and those of plans imported at run time. */
  get documents(): readonly RegulationDocument[] {
    return this.#shared.documents;
  }

  /** The content folder's own documents (what an import may reuse: a law the folder holds keeps its document). */
  get folderDocuments(): readonly RegulationDocument[] {
    return this.#shared.folderDocuments;
  }

  /** Keyword search over every document. */
  get search(): SearchIndex {
    return this.#shared.lib.search;
  }

  #arrange(views: Content[]): void {
    for (const v of views) v.coverage = planCoverage(v.plan, v.schedule);
    const ordered = views.filter((v) => v.coverage).sort((a, b) => a.coverage!.from.localeCompare(b.coverage!.from));
    // A notice that names no period applies until the next plan begins; a semester table at most until then.
    ordered.forEach((v, i) => {
      const c = v.coverage!;
      const next = ordered.slice(i + 1).find((o) => o.coverage!.from > c.from);
      const nextEve = next ? addDays(next.coverage!.from, -1) : undefined;
      if (c.to === undefined && nextEve) v.coverage = { from: c.from, to: nextEve };
      else if (c.soft && nextEve && nextEve < c.to!) v.coverage = { from: c.from, to: nextEve };
    });
    const all = [...ordered, ...views.filter((v) => !v.coverage)];
    for (const v of all) v.#plans = all;
  }

  /** Every plan of the content, by the day it begins (plans that give no time at all last). */
  get plans(): readonly Content[] {
    return this.#plans;
  }

  /** A plan by its id (content/plans/<id>); the seed plan has none. */
  planById(id: string): Content | undefined {
    return this.#plans.find((p) => p.plan.id === id);
  }

  /** Whether this plan covers a day. */
  covers(date: CalendarDate): boolean {
    const c = this.coverage;
    return !!c && c.from <= date && (c.to === undefined || date <= c.to);
  }

  /**
   * The plan a question about `date` is answered from: the one covering it; where plans overlap (a month's notice
   * inside a semester plan), the one that covers the fewest days, since it says the most about that day.
   */
  planOn(date: CalendarDate): Content | undefined {
    const span = (p: Content) => (p.coverage!.to ? Date.parse(p.coverage!.to) - Date.parse(p.coverage!.from) : Infinity);
    return this.#plans.filter((p) => p.covers(date)).sort((a, b) => span(a) - span(b))[0];
  }

  /**
   * The plan a week belongs to (the Monday push, 本周推送): the one covering its Monday, else the first covering a
   * later day of that week (a month's notice that starts on a Thursday).
   */
  planForWeek(date: CalendarDate): Content | undefined {
    const monday = mondayOf(date);
    for (let k = 0; k < 7; k++) {
      const p = this.planOn(addDays(monday, k));
      if (p) return p;
    }
    return undefined;
  }

  /** The first plan beginning after a day. */
  nextPlanAfter(date: CalendarDate): Content | undefined {
    return this.#plans.find((p) => p.coverage && p.coverage.from > date);
  }

  /** The plan that begins last. */
  get latestPlan(): Content {
    return [...this.#plans].filter((p) => p.coverage).at(-1) ?? this;
  }

  document(id: string): RegulationDocument | undefined {
    return this.documents.find((d) => d.id === id);
  }

  /** The article (or point) `number` of a document; `suffix` 1 for 第…条之一. */
  article(docId: string, number: number, suffix?: number): Unit | undefined {
    return this.#shared.lib.articles.get(key(docId, number, suffix));
  }

  /** How many numbered units (articles or points) a document has. */
  articleCount(docId: string): number {
    return this.document(docId)?.units.filter((u) => u.number !== undefined && u.suffix === undefined).length ?? 0;
  }

  /** A document by any of its names: full title, 《title》, short title or an alias. */
  documentByName(name: string): RegulationDocument | undefined {
    return this.#shared.lib.byName.get(normaliseName(name));
  }

  /** Every name a user may use for a document, longest first (so the longest mention wins when scanning text). */
  documentNames(): ReadonlyArray<{ name: string; doc: RegulationDocument }> {
    return this.#shared.lib.namesLongestFirst;
  }

  /** The law the plan's questions default to: the first document numbered by articles. */
  get defaultLaw(): RegulationDocument | undefined {
    return this.documents.find((d) => d.numbering === 'articles');
  }

  /**
   * The organisation's name for people, from the plans' issuer (this plan's, else the latest plan's that names
   * one, else the first admin's office in the roster): never written into code.
   */
  get organisation(): string {
    const issuer = this.plan.issuer ?? [...this.#plans].reverse().find((p) => p.plan.issuer)?.plan.issuer;
    return issuer ? organisationName(issuer) : '';
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

function buildLibrary(documents: readonly RegulationDocument[], plan: Plan, lawQuestions: LawQuestions): Library {
  const articles = new Map<string, Unit>();
  const byName = new Map<string, RegulationDocument>();
  for (const d of documents) {
    for (const u of d.units) if (u.number !== undefined) articles.set(key(d.id, u.number, u.suffix), u);
    for (const name of [d.title, d.shortTitle, ...d.aliases]) byName.set(normaliseName(name), d);
  }
  const namesLongestFirst = [...byName.entries()].map(([name, doc]) => ({ name, doc })).sort((a, b) => b.name.length - a.name.length);
  // The plan's own materials are what members mean; anything else loaded (a law library) comes after them.
  const search = new SearchIndex(documents, {
    preferred: plan.materials.flatMap((m) => (m.document ? [m.document] : [])),
    ...lawQuestionOptions(documents, lawQuestions),
  });
  return { articles, byName, namesLongestFirst, search };
}

function key(docId: string, number: number, suffix?: number): string {
  return `${docId}:${number}${suffix ? `-${suffix}` : ''}`;
}

function normaliseName(name: string): string {
  return name.replace(/[《》〈〉\s　]/g, '').toLowerCase();
}

/** Loads and validates CONTENT_DIR: the seed plan at its top, and every plan in plans/<id>/. */
export async function loadContent(dir: string): Promise<Content> {
  const rel = (f: string) => path.join(path.basename(path.resolve(dir)), f);
  const seed = await loadPlanFolder(dir, rel);
  const documents: RegulationDocument[] = [...seed.documents];
  const others: OtherPlan[] = [];
  const plansDir = path.join(dir, 'plans');
  const ids = (await readdir(plansDir, { withFileTypes: true }).catch(() => [])).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  for (const id of ids) {
    const folder = await loadPlanFolder(path.join(plansDir, id), (f) => rel(`plans/${id}/${f}`));
    if (folder.plan.id !== id) throw new ContentError(rel(`plans/${id}/plan.yaml`), folder.lineOfId, 'id', `id 应与文件夹名相同：“${id}”`);
    for (const doc of folder.documents) {
      const clash = documents.find((d) => d.id === doc.id);
      if (clash) throw new ContentError(doc.file, 2, 'id', `文档 id “${doc.id}” 与 ${clash.file} 重复`);
      documents.push(doc);
    }
    others.push({ plan: folder.plan, schedule: folder.schedule });
  }
  const targets = await loadOptionalYaml(dir, 'targets.yaml', rel('targets.yaml'), targetsFileSchema, { targets: [] });
  const roster = await loadOptionalYaml(dir, 'roster.yaml', rel('roster.yaml'), rosterSchema, {});
  const targetLines = new Map(targets.data.targets.map((t, i) => [t.name, targets.lineOf(['targets', i]) ?? 0]));
  const terms = (await exists(path.join(dir, 'terms.yaml'))) ? termList((await loadYamlFile(path.join(dir, 'terms.yaml'), rel('terms.yaml'), termsFileSchema)).data) : NO_TERMS;
  const expansionsFile = path.join(dir, 'law-expansions.tsv');
  const lawQuestions = (await exists(expansionsFile)) ? parseLawQuestions(await readFile(expansionsFile, 'utf8'), rel('law-expansions.tsv')) : NO_LAW_QUESTIONS;
  const content = new Content(seed.plan, seed.schedule, documents, targets.data, roster.data, targetLines, terms, others, lawQuestions);
  checkPushCoversRecords(content, rel('targets.yaml'));
  return content;
}

/** One plan's folder: plan.yaml, schedule.yaml (optional for a plan without dated sessions) and documents/. */
async function loadPlanFolder(dir: string, rel: (f: string) => string) {
  const plan = await loadYamlFile(path.join(dir, 'plan.yaml'), rel('plan.yaml'), planSchema);
  const schedule = await loadOptionalYaml(dir, 'schedule.yaml', rel('schedule.yaml'), scheduleSchema, []);
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
  return { plan: plan.data, schedule: schedule.data, documents, lineOfId: plan.lineOf(['id']) };
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
