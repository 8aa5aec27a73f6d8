import { createHash } from 'node:crypto';
import type { PlanFile } from '../plan.ts';

/** A plan's folder name from what it says: its period's month (2023-06), its date, or its text's hash. */
export function planIdFor(plan: PlanFile, source: string): string {
  if (plan.period?.kind === 'month') return plan.period.from.slice(0, 7);
  if (plan.period) return `${plan.period.from}-${plan.period.to}`;
  if (plan.issued) return `notice-${plan.issued}`;
  return `notice-${createHash('sha256').update(source).digest('hex').slice(0, 8)}`;
}
