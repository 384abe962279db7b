-- Reviewer qualification (issue 24, item 6): a track may require that a reviewer's calibration levels be close enough
-- to the reference before their reviews count. A review submitted by a reviewer who is not yet qualified for the
-- submission's track is marked practice when it is submitted, and stays so: it is left out of the answer's result, of
-- the review counts and the disagreement flag, of agreement, severity, adjudication and decisions. The reviewer and
-- admins still see it, labelled.
alter table reviews add column practice boolean not null default false;

-- The adverse impact report's sums (V83) count only reviews that count. practice is set in the same statement that
-- submits a review and never changes afterwards, so the trigger's columns need not include it.
create or replace function review_level_sums_trigger() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') and old.state = 'submitted' and not old.practice then
    perform review_level_sums_apply(old.submission_id, old.exercise_id, old.scores, -1);
  end if;
  if tg_op in ('INSERT', 'UPDATE') and new.state = 'submitted' and not new.practice then
    perform review_level_sums_apply(new.submission_id, new.exercise_id, new.scores, 1);
  end if;
  return null;
end $$;
