-- The adverse impact report's figures summed per track, UTC day of submission and combination of self-identification
-- answers (issue 26), so that a report over 100,000 candidates reads a few thousand rows instead of aggregating 2.6
-- million per-candidate sums on every request.
--
-- Days are not kept current by arithmetic in triggers (floating-point sums would drift away from a recomputation):
-- statement triggers on every table the report reads mark the (track, day) of the submissions they touched as stale,
-- and the report recomputes exactly those days from the source rows before it reads (ImpactReport.refresh). Marking
-- locks the marker row (on conflict do update), so a change that commits while a report recomputes its day either is
-- seen by the recomputation or leaves the day marked for the next report.

create table impact_stale (
  track_id text not null,
  day      date not null,
  primary key (track_id, day)
);

-- Rows per category's group, not per combination of the four answers (grouping sets: 67 groups instead of 720
-- combinations): grp is Postgres' grouping() bitmask of (sex, race, disability, veteran), 1 = not grouped: 7 sex,
-- 11 race, 3 sex x race, 13 disability, 14 veteran; the columns not grouped are null.
-- Per group: submitted (all submissions), n (decided ones), selected (advanced).
create table impact_daily_decisions (
  track_id   text   not null,
  day        date   not null,
  grp        int    not null,
  sex        text,
  race       text,
  disability text,
  veteran    text,
  submitted  bigint not null,
  n          bigint not null,
  selected   bigint not null
);
create index impact_daily_decisions_by_day on impact_daily_decisions (track_id, day);

-- kind 'c': per exercise and criterion, n candidates and the sum and sum of squares of their average levels;
-- kind 'e': per exercise, n candidates with a submitted review and selected = those whose average passed.
create table impact_daily_levels (
  track_id    text   not null,
  day         date   not null,
  kind        text   not null check (kind in ('c', 'e')),
  exercise_id text   not null,
  criterion   text,
  grp         int    not null,
  sex         text,
  race        text,
  disability  text,
  veteran     text,
  n           bigint not null,
  total       float8 not null,
  squares     float8 not null,
  selected    bigint not null
);
create index impact_daily_levels_by_day on impact_daily_levels (track_id, day);

create function impact_mark(invitation_ids bigint[]) returns void language sql as $$
  insert into impact_stale (track_id, day)
  select distinct i.track_id, (s.submitted_at at time zone 'UTC')::date
    from submissions s join invitations i on i.id = s.invitation_id
   where s.invitation_id = any(invitation_ids)
   order by 1, 2
  on conflict (track_id, day) do update set day = excluded.day
$$;

create function impact_stale_by_submission() returns trigger language plpgsql as $$
begin
  perform impact_mark(array(select distinct s.invitation_id from changed c join submissions s on s.id = c.submission_id));
  return null;
end $$;

create function impact_stale_by_invitation() returns trigger language plpgsql as $$
begin
  perform impact_mark(array(select distinct invitation_id from changed));
  return null;
end $$;

create function impact_stale_invitation() returns trigger language plpgsql as $$
begin
  perform impact_mark(array[new.id]);
  return null;
end $$;

-- A deleted submission's day: its rows are gone when the statement trigger runs, so mark from the old rows.
create function impact_stale_submission_deleted() returns trigger language plpgsql as $$
begin
  insert into impact_stale (track_id, day)
  select distinct i.track_id, (c.submitted_at at time zone 'UTC')::date
    from changed c join invitations i on i.id = c.invitation_id order by 1, 2
  on conflict (track_id, day) do update set day = excluded.day;
  return null;
end $$;

create trigger impact_decisions_ins after insert on decisions referencing new table as changed
  for each statement execute function impact_stale_by_submission();
create trigger impact_decisions_upd after update on decisions referencing new table as changed
  for each statement execute function impact_stale_by_submission();
create trigger impact_decisions_del after delete on decisions referencing old table as changed
  for each statement execute function impact_stale_by_submission();

create trigger impact_levels_ins after insert on review_level_sums referencing new table as changed
  for each statement execute function impact_stale_by_submission();
create trigger impact_levels_upd after update on review_level_sums referencing new table as changed
  for each statement execute function impact_stale_by_submission();
create trigger impact_levels_del after delete on review_level_sums referencing old table as changed
  for each statement execute function impact_stale_by_submission();

create trigger impact_exercises_ins after insert on review_exercise_sums referencing new table as changed
  for each statement execute function impact_stale_by_submission();
create trigger impact_exercises_upd after update on review_exercise_sums referencing new table as changed
  for each statement execute function impact_stale_by_submission();
create trigger impact_exercises_del after delete on review_exercise_sums referencing old table as changed
  for each statement execute function impact_stale_by_submission();

create trigger impact_self_id_ins after insert on self_identification referencing new table as changed
  for each statement execute function impact_stale_by_invitation();
create trigger impact_self_id_upd after update on self_identification referencing new table as changed
  for each statement execute function impact_stale_by_invitation();
create trigger impact_self_id_del after delete on self_identification referencing old table as changed
  for each statement execute function impact_stale_by_invitation();

create trigger impact_submissions_ins after insert on submissions referencing new table as changed
  for each statement execute function impact_stale_by_invitation();
create trigger impact_submissions_upd after update on submissions referencing new table as changed
  for each statement execute function impact_stale_by_invitation();
create trigger impact_submissions_upd_old after update on submissions referencing old table as changed
  for each statement execute function impact_stale_submission_deleted();
create trigger impact_submissions_del after delete on submissions referencing old table as changed
  for each statement execute function impact_stale_submission_deleted();

-- demo or track changing moves a submission in or out of a report (a row trigger with a condition: invitations are
-- updated often, and nothing else about them matters here)
create trigger impact_invitations_upd after update of demo, track_id on invitations for each row
  when (old.demo is distinct from new.demo or old.track_id is distinct from new.track_id)
  execute function impact_stale_invitation();

-- everything already there is computed by the first report that asks
insert into impact_stale (track_id, day)
select distinct i.track_id, (s.submitted_at at time zone 'UTC')::date
  from submissions s join invitations i on i.id = s.invitation_id;
