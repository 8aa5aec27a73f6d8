import type { ConversationMemory } from '../src/bot/conversation-memory.ts';
import type { Content } from '../src/content/content.ts';
import type { Broadcaster } from '../src/jobs/broadcaster.ts';
import type { Outbox } from '../src/jobs/outbox.ts';
import type { ImageFetcher } from '../src/records/photos.ts';
import type { Store } from '../src/storage/ports.ts';

/** What the features need besides the message context. */
export interface HandlerDeps {
  content: Content;
  memory: ConversationMemory;
  broadcaster: Broadcaster;
  /** Every push, reply and file that must survive a WeCom outage (reminders, exports). */
  outbox: Outbox;
  store: Store;
  /** Applies the plans imported at run time (after an admin's 确认); absent where nothing imports. */
  planSync?: { refresh(): Promise<void> };
  /** A signed, short-lived link to the status page for an admin. */
  statusLink: (userId: string) => string;
  /** Fetches the images users send (photos of a session); absent where no WeCom is reachable. */
  images?: ImageFetcher;
}
