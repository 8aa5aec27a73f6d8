-- Receipt numbers per session from a counter row taken outside the saving transaction, so records of different
-- groups for one session are saved in parallel instead of one after another. (A rolled-back save leaves a gap.)
CREATE TABLE receipt_counters (
  session text PRIMARY KEY,
  last    integer NOT NULL
);
INSERT INTO receipt_counters (session, last) SELECT session, count(*) FROM submissions GROUP BY session;
