import { ConversationMemory } from '../../src/bot/conversation-memory.ts';
import type { Middleware } from '../../src/bot/context.ts';
import type { Clock } from '../../src/clock.ts';
import { loadContent, type Content } from '../../src/content/content.ts';
import { buildHandlers } from '../../handlers/index.ts';

let cached: Promise<Content> | undefined;

/** The checked-in semester content, loaded once per test file. */
export function semesterContent(): Promise<Content> {
  cached ??= loadContent('content');
  return cached;
}

/** The real handlers over the real content. */
export async function realHandlers(clock: Clock): Promise<Middleware> {
  return buildHandlers({ content: await semesterContent(), memory: new ConversationMemory(clock) });
}
