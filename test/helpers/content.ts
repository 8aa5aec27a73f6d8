import { ConversationMemory } from '../../src/bot/conversation-memory.ts';
import type { Middleware } from '../../src/bot/context.ts';
import type { Clock } from '../../src/clock.ts';
import { loadContent, type Content } from '../../src/content/content.ts';
import { Broadcaster } from '../../src/jobs/broadcaster.ts';
import { createLogger } from '../../src/logger.ts';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import { WeComClient } from '../../src/wecom/client.ts';
import { buildHandlers } from '../../handlers/index.ts';

/**
 * The tests' own copy of the 2016 seed content (test/fixtures/content): the answers the tests pin are the 2016 plan's,
 * so the shipped content/ can move on to the next semester without breaking the suite. Relative to the repository
 * root, where vitest runs; vitest.config.ts gives it to every test as CONTENT_DIR too (spawned services, loadConfig).
 */
export const FIXTURE_CONTENT = 'test/fixtures/content';

let cached: Promise<Content> | undefined;

/** The fixture semester content, loaded once per test file. */
export function semesterContent(): Promise<Content> {
  cached ??= loadContent(FIXTURE_CONTENT);
  return cached;
}

/** The real handlers over the real content (their broadcaster talks to no WeCom: these tests do not broadcast). */
export async function realHandlers(clock: Clock): Promise<Middleware> {
  const content = await semesterContent();
  const client = new WeComClient({ corpId: 'ww', agentId: '1', secret: 'unused', apiBase: 'http://127.0.0.1:9', clock });
  const store = await LowdbStore.memory();
  const broadcaster = new Broadcaster({ content, store, client, clock, logger: createLogger('silent'), robotKeys: {} });
  return buildHandlers({
    content,
    memory: new ConversationMemory(clock),
    broadcaster,
    outbox: broadcaster.outbox,
    store,
    statusLink: () => 'http://127.0.0.1/status',
  });
}
