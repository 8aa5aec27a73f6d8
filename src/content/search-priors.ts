import type { RegulationDocument, Unit } from './documents.ts';

/**
 * Document-level priors for keyword search: a multiplier on every unit's BM25 score, so that among units that match
 * a question about equally well the likelier source comes first. Measured in docs/retrieval.md (npm run
 * bench:retrieval); each is a general rule about sources, not about particular questions:
 * - the semester's own materials first: a member asking the study bot means the semester's texts;
 * - among versions of one law, the newest (older versions still answer where their text differs);
 * - laws and codes before amendments, rules and judicial interpretations: people's questions are mostly answered
 *   by the law itself, the others refine it.
 */
export interface PriorWeights {
  preferred: number;
  code: number;
  olderVersion: number;
  regulation: number;
  judicial: number;
  amendment: number;
}

export const PRIORS: PriorWeights = { preferred: 1.5, code: 1.2, olderVersion: 0.9, regulation: 0.85, judicial: 0.8, amendment: 0.6 };
const NEUTRAL: PriorWeights = { preferred: 1, code: 1, olderVersion: 1, regulation: 1, judicial: 1, amendment: 1 };

/** "行政法/高等教育法(2018-12-29).md" → 2018-12-29; files without a date sort as oldest. */
const VERSION = /\((\d{4}-\d{2}-\d{2})\)\.md$/;

export function versionDate(file: string): string {
  return VERSION.exec(file)?.[1] ?? '';
}

/**
 * Documents that are versions of one law: the same title and the same file name apart from its version date
 * ("民事诉讼法(2021-12-24).md", "民事诉讼法(2023-09-01).md"). The name matters too: the 民法典's books share one title.
 */
function versionKey(doc: RegulationDocument): string {
  const base = doc.file.split(/[\\/]/).pop()!.replace(VERSION, '').replace(/\.md$/, '');
  return `${doc.title}\n${base}`;
}

/** Each version group, newest first (the semester's own copy before any other). */
function versionGroups(documents: readonly RegulationDocument[], preferred: ReadonlySet<string>): RegulationDocument[][] {
  const groups = new Map<string, RegulationDocument[]>();
  for (const d of documents) {
    const key = versionKey(d);
    const g = groups.get(key);
    if (g) g.push(d);
    else groups.set(key, [d]);
  }
  const rank = (d: RegulationDocument) => `${preferred.has(d.id) ? 1 : 0}${versionDate(d.file)}`;
  return [...groups.values()].map((g) => g.sort((a, b) => (rank(a) < rank(b) ? 1 : rank(a) > rank(b) ? -1 : 0)));
}

export function kindOf(title: string): 'code' | 'law' | 'regulation' | 'judicial' | 'amendment' {
  if (/^最高人民(法院|检察院)/.test(title)) return 'judicial';
  if (/修正案/.test(title)) return 'amendment';
  if (/法典$/.test(title)) return 'code';
  if (/法$/.test(title.replace(/[（(][^)）]*[)）]$/, ''))) return 'law';
  return 'regulation';
}

/** The prior of each document, in the order given. */
export function documentPriors(
  documents: readonly RegulationDocument[],
  preferred: ReadonlySet<string>,
  weights: Partial<PriorWeights> | boolean = true,
): number[] {
  const w = { ...(weights === false ? NEUTRAL : PRIORS), ...(typeof weights === 'object' ? weights : {}) };
  const older = new Set<RegulationDocument>();
  for (const g of versionGroups(documents, preferred)) for (const d of g.slice(1)) older.add(d);
  return documents.map((d) => {
    if (preferred.has(d.id)) return w.preferred;
    const kind = kindOf(d.title);
    const k = kind === 'law' ? 1 : w[kind];
    return older.has(d) ? k * w.olderVersion : k;
  });
}

/**
 * Units not to index: in each group of versions, a unit whose text is identical to one in a newer version (or in
 * an earlier copy of the same version) is the same answer again, so only the newest copy is searchable.
 */
export function unitsShownOnce(documents: readonly RegulationDocument[], preferred: ReadonlySet<string>): Set<Unit> {
  const skip = new Set<Unit>();
  for (const g of versionGroups(documents, preferred)) {
    if (g.length < 2) continue;
    const texts = new Set<string>();
    for (const d of g) {
      const own: string[] = [];
      for (const u of d.units) {
        const text = u.paragraphs.join('\n').replace(/\s/g, '');
        if (texts.has(text)) skip.add(u);
        else own.push(text);
      }
      for (const t of own) texts.add(t);
    }
  }
  return skip;
}
