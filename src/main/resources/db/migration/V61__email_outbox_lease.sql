-- Hardening round three (issue 27): the email outbox, like webhooks (V60), no longer holds a transaction while it
-- talks to the mail server. A sender claims a due email in one statement that stamps a lease and pushes
-- next_attempt_at past the send's deadline, commits, sends, and records the result only while its lease holds and
-- the email is still pending (a withdrawal meanwhile wins). A sender that dies mid-send leaves the email due again.
alter table email_outbox add column lease uuid;
