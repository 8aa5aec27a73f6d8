-- The latest frame of each open 智能机器人 stream, written by the instance producing the answer, so a refresh that
-- lands on another instance gets the same frame (issue 22). Bounded: one frame's text per row (the writer fits it to
-- a frame), each row gone once its refresh window has passed (expires_at), and rows dropped with the writer's stream.
CREATE TABLE stream_frames (
  id         text PRIMARY KEY,
  user_id    text NOT NULL,
  chat       text NOT NULL,
  content    text NOT NULL,
  finished   boolean NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX stream_frames_expires_at ON stream_frames (expires_at);
-- Every frame is rewritten a few times and deleted within minutes: vacuum this small, busy table (and its TOAST, where
-- long frames go) after a fixed number of dead rows rather than a share of its size, so their space is reused soon.
ALTER TABLE stream_frames SET (
  autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 500,
  toast.autovacuum_vacuum_scale_factor = 0, toast.autovacuum_vacuum_threshold = 500
);
