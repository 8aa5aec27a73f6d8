-- What the bot remembers of each user's conversation between messages (the article last asked about, a list just
-- shown), so a follow-up answered by another instance means the same. One small row per user, replaced as a whole.
CREATE TABLE conversation_memory (
  user_id text PRIMARY KEY,
  state   jsonb NOT NULL,
  at      bigint NOT NULL
);
