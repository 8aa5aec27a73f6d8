-- "Maybe delivered" (a part was with WeCom when its sender died) becomes a state of its own instead of the made-up
-- errcode -2; errcode holds only what WeCom answered.
ALTER TABLE deliveries ADD COLUMN maybe_delivered boolean NOT NULL DEFAULT false;
UPDATE deliveries SET maybe_delivered = true, errcode = NULL, errmsg = NULL WHERE errcode = -2;
-- "Queued behind an earlier message" was errcode -1 with that message; it is a note, not an errcode.
UPDATE deliveries SET errcode = NULL WHERE errcode = -1 AND errmsg = 'queued behind an earlier message';
