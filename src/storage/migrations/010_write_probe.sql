-- One row that /healthz rewrites to prove the database can still write (a full disk, a read-only replica after a
-- fail-over): SELECT 1 only proves it answers. Issue 23.
CREATE TABLE write_probe (
  id integer PRIMARY KEY,
  at bigint NOT NULL
);
