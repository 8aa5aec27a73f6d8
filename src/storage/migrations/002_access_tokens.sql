-- The WeCom access token, shared by every instance: one fetch serves them all (gettoken is rate-limited, and a new
-- token may invalidate the old one).
CREATE TABLE access_tokens (
  app        text PRIMARY KEY,
  token      text NOT NULL,
  expires_at bigint NOT NULL
);
