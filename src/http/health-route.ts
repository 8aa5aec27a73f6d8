import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../storage/ports.ts';

export interface HealthOptions {
  mode: 'live' | 'local';
  store: Store;
  /** A summary of loaded content, once content exists; null before. */
  content: () => Record<string, unknown> | null;
  /** Broadcast targets that cannot be sent to (a robot key variable unset in live mode). */
  unconfiguredTargets?: () => { target: string; keyEnv: string }[];
}

/**
 * GET /healthz: 200 when the service can do its work, 503 when the store is unreachable or a real write to it fails
 * (a full disk: see src/storage/write-probe.ts); with the process's memory
 * and event-loop delay since start, for monitoring (and the soak run).
 */
export async function healthRoutes(app: FastifyInstance, { mode, store, content, unconfiguredTargets }: HealthOptions) {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  app.addHook('onClose', async () => loop.disable());
  app.get('/healthz', async (_req, reply) => {
    // Reachable and writable: a store that answers but cannot write (a full disk) loses every acknowledged change.
    const reachable = await store.ping();
    const writable = reachable && (await store.canWrite());
    const storeOk = reachable && writable;
    const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    const memory = process.memoryUsage();
    const body = {
      ok: storeOk,
      mode,
      content: content(),
      store: { kind: store.kind, reachable, writable },
      // Still 200: the rest of the service works; monitoring sees which targets are degraded.
      broadcast: { unconfiguredTargets: unconfiguredTargets?.() ?? [] },
      process: {
        uptimeSec: Math.round(process.uptime()),
        rssMb: mb(memory.rss),
        heapUsedMb: mb(memory.heapUsed),
        eventLoopDelayMs: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
      },
    };
    return reply.code(storeOk ? 200 : 503).send(body);
  });
}
