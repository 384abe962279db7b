-- The last-activity trigger ran its plpgsql function, and that function's UPDATE, on every autosave, though it moves
-- the row at most once a minute (V43): a fifth of the save statement's cost in Postgres (pgbench running the save:
-- 3,600 saves a second with the trigger, 4,500 without; issue 28). An UPDATE of an answer's head row now fires it
-- only when the save is in another minute than the one before it (a WHEN clause, evaluated without calling the
-- function); the function then moves the activity to that save's time. Last activity stays at most a minute behind
-- the newest save, as the candidates page shows it (to the minute). A first save (an INSERT) always fires it.
drop trigger invitation_activity_answer on answer_heads;

create or replace function invitation_activity_from_answer() returns trigger language plpgsql as $$
begin
  update invitation_activity set at = new.saved_at
   where invitation_id = new.invitation_id and at < new.saved_at;
  return null;
end $$;

create trigger invitation_activity_answer after insert on answer_heads
  for each row execute function invitation_activity_from_answer();

create trigger invitation_activity_answer_minute after update of saved_at on answer_heads
  for each row when (date_trunc('minute', old.saved_at) is distinct from date_trunc('minute', new.saved_at))
  execute function invitation_activity_from_answer();
