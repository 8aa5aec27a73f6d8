-- A save that only goes ahead when the record is still at the revision the user saw (0: no record yet), so a record is
-- never replaced by someone who has not seen its latest version (two secretaries of one group on two instances).
-- A confirmation already saved (same key) returns its first result, as save_submission does. A mismatch raises
-- SQLSTATE SB409; the caller reads the record as it is and tells the user.
CREATE FUNCTION save_submission_if(p_expected integer, p_group text, p_session text, p_by text, p_at bigint, p_fields jsonb, p_key text, p_receipt text)
RETURNS SETOF submissions
LANGUAGE plpgsql AS $$
DECLARE
  current_revision integer;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM submission_confirmations WHERE idempotency_key = p_key) THEN
    SELECT revision INTO current_revision FROM submissions WHERE group_id = p_group AND session = p_session FOR UPDATE;
    IF COALESCE(current_revision, 0) <> p_expected THEN
      RAISE EXCEPTION 'submission %/% is at revision %, not %', p_group, p_session, COALESCE(current_revision, 0), p_expected USING ERRCODE = 'SB409';
    END IF;
  END IF;
  RETURN QUERY SELECT * FROM save_submission(p_group, p_session, p_by, p_at, p_fields, p_key, p_receipt);
END
$$;
