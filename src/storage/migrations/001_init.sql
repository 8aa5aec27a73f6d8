-- The bot's store in PostgreSQL: every repository of src/storage/ports.ts. Unique keys carry the "once" promises:
-- a callback's dedupe key, (job, target) of a delivery, (group, session) of a record, a confirmation's message id.
CREATE TABLE dedupe (
  key        text PRIMARY KEY,
  claimed_at bigint NOT NULL,
  done_at    bigint,
  outcome    jsonb
);
CREATE INDEX dedupe_claimed_at ON dedupe (claimed_at);

CREATE TABLE deliveries (
  job            text NOT NULL,
  target         text NOT NULL,
  status         text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts       integer NOT NULL,
  parts_sent     integer NOT NULL,
  claimed_at     bigint NOT NULL,
  claimed_by     text NOT NULL,
  sent_at        bigint,
  errcode        integer,
  errmsg         text,
  forced_resends integer,
  updated_at     bigint NOT NULL,
  PRIMARY KEY (job, target)
);

CREATE TABLE form_states (
  user_id  text PRIMARY KEY,
  revision integer NOT NULL,
  state    jsonb NOT NULL
);

CREATE TABLE submissions (
  group_id     text NOT NULL,
  session      text NOT NULL,
  receipt      text NOT NULL UNIQUE,
  revision     integer NOT NULL,
  submitted_by text NOT NULL,
  submitted_at bigint NOT NULL,
  fields       jsonb NOT NULL,
  history      jsonb NOT NULL,
  PRIMARY KEY (group_id, session)
);
CREATE INDEX submissions_session ON submissions (session);

CREATE TABLE submission_confirmations (
  idempotency_key text PRIMARY KEY,
  group_id        text NOT NULL,
  session         text NOT NULL
);
