import type { PlanImport } from '../../storage/ports.ts';
import type { OtherPlan } from '../content.ts';
import { planSchema, scheduleSchema } from '../plan.ts';
import { importPlanText } from './plan-text.ts';

/**
 * The plans an admin brought in at run time, as every instance rebuilds them from the store: the same notice text
 * and additions give the same plan everywhere. Withdrawn imports are left out; an import that no longer reads as a
 * plan (the importer changed) is reported, not served.
 */
export function plansFromImports(imports: readonly PlanImport[], onError: (id: string, err: Error) => void = () => {}): OtherPlan[] {
  const out: OtherPlan[] = [];
  for (const p of imports) {
    if (p.withdrawnAt !== undefined) continue;
    try {
      const r = importPlanText(p.text, { id: p.id, ...(p.year ? { year: p.year } : {}), ...(p.week1Monday ? { week1Monday: p.week1Monday } : {}), ...(p.dates?.length ? { dates: p.dates } : {}) });
      out.push({ plan: planSchema.parse(r.plan), schedule: scheduleSchema.parse(r.schedule) });
    } catch (err) {
      onError(p.id, err as Error);
    }
  }
  return out;
}
