import type { PlanImport } from '../../storage/ports.ts';
import type { Content, OtherPlan } from '../content.ts';
import { parseDocument, type RegulationDocument } from '../documents.ts';
import { planSchema, scheduleSchema } from '../plan.ts';
import type { LawLibrary } from './law-library.ts';
import { importPlanText, type ImportOptions } from './plan-text.ts';

/**
 * What a run-time import reads a notice with, as `npm run import` does: the law library (LAWS_CORPUS), so a national
 * law named as a reading gets its text, and the content folder's documents, so a reading the folder already holds
 * keeps its document. The chat's and the page's previews and every instance's rebuild use the same.
 */
export interface RunTimeImport {
  laws?: LawLibrary | undefined;
}

export function runTimeImportOptions(content: Content, { laws }: RunTimeImport = {}): Pick<ImportOptions, 'known' | 'laws'> {
  const known = content.folderDocuments.map((d) => ({ id: d.id, title: d.title, shortTitle: d.shortTitle, aliases: d.aliases }));
  return { known, ...(laws ? { laws } : {}) };
}

/**
 * The plans an admin brought in at run time, as every instance rebuilds them from the store: the same notice text
 * and additions give the same plan everywhere. Withdrawn imports are left out; an import that no longer reads as a
 * plan (the importer changed) is reported, not served. The full texts the import brought (a law from the library)
 * come with the plan, labelled by where they came from.
 */
export function plansFromImports(
  imports: readonly PlanImport[],
  onError: (id: string, err: Error) => void = () => {},
  options: Pick<ImportOptions, 'known' | 'laws'> = {},
): OtherPlan[] {
  const out: OtherPlan[] = [];
  for (const p of imports) {
    if (p.withdrawnAt !== undefined) continue;
    try {
      const r = importPlanText(p.text, {
        ...options,
        id: p.id,
        ...(p.year ? { year: p.year } : {}),
        ...(p.week1Monday ? { week1Monday: p.week1Monday } : {}),
        ...(p.dates?.length ? { dates: p.dates } : {}),
      });
      const documents: RegulationDocument[] = [];
      for (const [file, markdown] of r.files) {
        const m = /^documents\/(.+)\.md$/.exec(file);
        if (m) documents.push(parseDocument(markdown, `导入的学习计划 ${p.id}/${file}`, m[1]!));
      }
      out.push({ plan: planSchema.parse(r.plan), schedule: scheduleSchema.parse(r.schedule), documents });
    } catch (err) {
      onError(p.id, err as Error);
    }
  }
  return out;
}
