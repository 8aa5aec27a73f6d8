import type { Logger } from 'pino';
import type { Content } from '../content/content.ts';
import { plansFromImports, runTimeImportOptions, type RunTimeImport } from '../content/import/run-time.ts';
import type { Store } from '../storage/ports.ts';

/**
 * Keeps the content's run-time plans in step with the store: at start-up, after an import here, and every few
 * seconds for imports made through another instance (PostgreSQL), so every instance serves a plan within seconds
 * without a restart.
 */
export class PlanImportSync {
  #timer: NodeJS.Timeout | undefined;
  #seen = '';

  constructor(
    private readonly content: Content,
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly everyMs = 3000,
    /** How a notice is read (the law library): the same as the chat's and the page's previews. */
    readonly importing: RunTimeImport = {},
  ) {}

  /** Reads the imports and applies them if they changed; a store that cannot be read leaves the plans as they were. */
  async refresh(): Promise<void> {
    let imports;
    try {
      imports = await this.store.planImports.list();
    } catch (err) {
      this.logger.warn({ err }, 'could not read the imported plans; serving the ones loaded before');
      return;
    }
    const seen = JSON.stringify(imports.map((p) => [p.id, p.withdrawnAt ?? null]));
    if (seen === this.#seen) return;
    this.#seen = seen;
    this.content.setImportedPlans(
      plansFromImports(
        imports,
        (id, err) => this.logger.error({ err, plan: id }, 'an imported plan no longer imports; not served'),
        runTimeImportOptions(this.content, this.importing),
      ),
    );
    this.logger.info({ plans: this.content.plans.length }, 'imported plans applied');
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.refresh(), this.everyMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
