-- State every instance must share.
-- What the bot remembers of each user's conversation between messages (the article last asked about, a list just
-- shown), so a follow-up answered by another instance means the same. One small row per user, replaced as a whole.
CREATE TABLE conversation_memory (
  user_id text PRIMARY KEY,
  state   jsonb NOT NULL,
  at      bigint NOT NULL
);

-- Marks every instance must see until they lapse: a status-page session ended with 退出 (its cookie is refused by all).
CREATE TABLE shared_marks (
  key   text PRIMARY KEY,
  until bigint NOT NULL
);
