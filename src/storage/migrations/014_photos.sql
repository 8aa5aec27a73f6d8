-- Photos of a study session beside its record (issue 21): the bytes in the row (bytea, at most 10 MB each; TOAST keeps
-- them out of the table's pages), the owner a record's receipt or a form's draft ("draft:<id>") until it is saved.
-- message_key is the message that brought the photo: a retried callback finds its row and adds nothing.
CREATE TABLE photos (
  id          bigserial PRIMARY KEY,
  owner       text NOT NULL,
  n           integer NOT NULL CHECK (n >= 1),
  message_key text NOT NULL UNIQUE,
  mime        text NOT NULL,
  size        integer NOT NULL CHECK (size >= 0),
  bytes       bytea NOT NULL,
  added_by    text NOT NULL,
  added_at    bigint NOT NULL,
  UNIQUE (owner, n)
);
