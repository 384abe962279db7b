-- Automatic reminders (issue 13): a track may remind, once, every candidate who has not submitted N hours before
-- the deadline. The invitation remembers when it was reminded so that two instances, or a restart, never remind
-- twice; extending the deadline clears it, so the new deadline gets its own reminder.
alter table invitations add column auto_reminded_at timestamptz;
-- the job's scan: open, unreminded invitations of a track by deadline
create index invitations_remind_due on invitations (track_id, deadline)
  where auto_reminded_at is null and submitted_at is null and revoked_at is null and erased_at is null and not demo;
