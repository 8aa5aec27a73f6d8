-- A part handed to WeCom whose answer is not recorded yet: after a crash it may have been delivered, so routes WeCom
-- does not deduplicate (robots, app chats) do not resend it by themselves (src/jobs/outbox.ts).
ALTER TABLE deliveries ADD COLUMN in_flight boolean NOT NULL DEFAULT false;
