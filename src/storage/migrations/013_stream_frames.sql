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
