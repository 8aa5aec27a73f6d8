-- save_submission_if (007) checked "no record yet" and then saved in a later statement. With no row to lock, two first
-- confirmations at one instant both passed the check; the second then found the first's new row in its own statement
-- and saved over it as revision 2, which is exactly what the check is for. A transaction-level advisory lock per
-- (group, session) now makes the check and the save one step: the second waits, sees the first's record, and is told.
-- The two-key form keeps these locks apart from the migrations' single-key lock.
CREATE OR REPLACE FUNCTION save_submission_if(p_expected integer, p_group text, p_session text, p_by text, p_at bigint, p_fields jsonb, p_key text, p_receipt text)
RETURNS SETOF submissions
LANGUAGE plpgsql AS $$
DECLARE
  current_revision integer;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('save_submission'), hashtext(p_group || '/' || p_session));
  IF NOT EXISTS (SELECT 1 FROM submission_confirmations WHERE idempotency_key = p_key) THEN
    SELECT revision INTO current_revision FROM submissions WHERE group_id = p_group AND session = p_session;
    IF COALESCE(current_revision, 0) <> p_expected THEN
      RAISE EXCEPTION 'submission %/% is at revision %, not %', p_group, p_session, COALESCE(current_revision, 0), p_expected USING ERRCODE = 'SB409';
    END IF;
  END IF;
  RETURN QUERY SELECT * FROM save_submission(p_group, p_session, p_by, p_at, p_fields, p_key, p_receipt);
END
$$;
