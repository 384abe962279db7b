-- The last-activity row was rewritten by every autosave (one more row write, WAL record and dead tuple per save, on
-- top of the answer and its history). The candidates page shows last activity to the minute, so the trigger now
-- moves it only when it is more than a minute behind (issue 14).
create or replace function invitation_activity_from_answer() returns trigger language plpgsql as $$
begin
  update invitation_activity set at = new.saved_at
   where invitation_id = new.invitation_id and at < new.saved_at - interval '1 minute';
  return null;
end $$;
