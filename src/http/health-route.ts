import type { FastifyInstance } from 'fastify';
import type { Store } from '../storage/ports.ts';

export interface HealthOptions {
  mode: 'live' | 'local';
  store: Store;
  /** A summary of loaded content, once content exists; null before. */
  content: () => Record<string, unknown> | null;
}

/** GET /healthz: 200 when the service can do its work, 503 when the store is unreachable. */
export async function healthRoutes(app: FastifyInstance, { mode, store, content }: HealthOptions) {
  app.get('/healthz', async (_req, reply) => {
    const storeOk = await store.ping();
    const body = { ok: storeOk, mode, content: content(), store: { kind: store.kind, reachable: storeOk } };
    return reply.code(storeOk ? 200 : 503).send(body);
  });
}
