-- Saving a record in one round trip: the whole confirmation (idempotency check, new record or new revision with its
-- history, the confirmation's key) runs in this function, so a save holds a connection and its row lock for one
-- statement instead of a transaction of seven. The receipt number is reserved by the caller from receipt_counters
-- before (see 003); p_receipt is NULL when the caller saw the record already there.
CREATE FUNCTION save_submission(p_group text, p_session text, p_by text, p_at bigint, p_fields jsonb, p_key text, p_receipt text)
RETURNS SETOF submissions
LANGUAGE plpgsql AS $$
DECLARE
  seen submission_confirmations;
  existing submissions;
  saved submissions;
  n integer;
BEGIN
  SELECT * INTO seen FROM submission_confirmations WHERE idempotency_key = p_key;
  IF FOUND THEN
    RETURN QUERY SELECT * FROM submissions WHERE group_id = seen.group_id AND session = seen.session;
    RETURN;
  END IF;
  SELECT * INTO existing FROM submissions WHERE group_id = p_group AND session = p_session FOR UPDATE;
  IF FOUND THEN
    UPDATE submissions SET revision = existing.revision + 1, submitted_by = p_by, submitted_at = p_at, fields = p_fields,
      history = existing.history || jsonb_build_array(jsonb_build_object(
        'revision', existing.revision, 'submittedBy', existing.submitted_by, 'submittedAt', existing.submitted_at, 'fields', existing.fields))
    WHERE group_id = p_group AND session = p_session RETURNING * INTO saved;
  ELSE
    IF p_receipt IS NULL THEN
      INSERT INTO receipt_counters (session, last) VALUES (p_session, 1)
        ON CONFLICT (session) DO UPDATE SET last = receipt_counters.last + 1 RETURNING last INTO n;
      p_receipt := 'JL-' || replace(p_session, '-', '') || '-' || CASE WHEN n < 100 THEN lpad(n::text, 3, '0') ELSE n::text END;
    END IF;
    INSERT INTO submissions (group_id, session, receipt, revision, submitted_by, submitted_at, fields, history)
      VALUES (p_group, p_session, p_receipt, 1, p_by, p_at, p_fields, '[]') RETURNING * INTO saved;
  END IF;
  INSERT INTO submission_confirmations (idempotency_key, group_id, session) VALUES (p_key, p_group, p_session);
  RETURN NEXT saved;
END
$$;
