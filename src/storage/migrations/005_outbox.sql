-- The outbox: a delivery keeps what it sends and until when it may be retried, so the outbox job can send it again
-- after a WeCom outage or a crash. The partial index holds only what is not sent yet.
ALTER TABLE deliveries ADD COLUMN payload jsonb, ADD COLUMN retry_until bigint;
CREATE INDEX deliveries_unsent ON deliveries (job COLLATE "C") WHERE status <> 'sent' AND payload IS NOT NULL;
