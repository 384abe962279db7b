-- The adverse impact report's review figures, kept up to date as reviews are submitted (issue 26): per candidate,
-- exercise and criterion the sum and count of the submitted reviews' levels, and the same per candidate and exercise.
-- The report then aggregates plain numbers instead of expanding every review's scores JSON at read time (2.6 million
-- ratings for 100,000 candidates took about a minute). Only submitted reviews count; a review that changes or goes
-- back to draft takes its old levels out first.

create table review_level_sums (
  submission_id uuid   not null,
  exercise_id   text   not null,
  criterion     text   not null,
  total         float8 not null,
  ratings       int    not null,
  primary key (submission_id, exercise_id, criterion)
);

create table review_exercise_sums (
  submission_id uuid   not null,
  exercise_id   text   not null,
  total         float8 not null,
  ratings       int    not null,
  primary key (submission_id, exercise_id)
);

create function review_level_sums_apply(sid uuid, ex text, scores jsonb, sign int) returns void language plpgsql as $$
begin
  insert into review_level_sums as s (submission_id, exercise_id, criterion, total, ratings)
  select sid, ex, e.key, sign * (e.value ->> 'level')::float8, sign
    from jsonb_each(scores) e where jsonb_typeof(e.value -> 'level') = 'number' order by e.key
  on conflict (submission_id, exercise_id, criterion)
  do update set total = s.total + excluded.total, ratings = s.ratings + excluded.ratings;
  insert into review_exercise_sums as s (submission_id, exercise_id, total, ratings)
  select sid, ex, sum(sign * (e.value ->> 'level')::float8), sign * count(*)
    from jsonb_each(scores) e where jsonb_typeof(e.value -> 'level') = 'number' having count(*) > 0
  on conflict (submission_id, exercise_id)
  do update set total = s.total + excluded.total, ratings = s.ratings + excluded.ratings;
  delete from review_level_sums where submission_id = sid and exercise_id = ex and ratings <= 0;
  delete from review_exercise_sums where submission_id = sid and exercise_id = ex and ratings <= 0;
end $$;

create function review_level_sums_trigger() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') and old.state = 'submitted' then
    perform review_level_sums_apply(old.submission_id, old.exercise_id, old.scores, -1);
  end if;
  if tg_op in ('INSERT', 'UPDATE') and new.state = 'submitted' then
    perform review_level_sums_apply(new.submission_id, new.exercise_id, new.scores, 1);
  end if;
  return null;
end $$;

create trigger review_level_sums after insert or update of state, scores or delete on reviews
  for each row execute function review_level_sums_trigger();

insert into review_level_sums (submission_id, exercise_id, criterion, total, ratings)
select r.submission_id, r.exercise_id, e.key, sum((e.value ->> 'level')::float8), count(*)
  from reviews r cross join lateral jsonb_each(r.scores) e
 where r.state = 'submitted' and jsonb_typeof(e.value -> 'level') = 'number'
 group by 1, 2, 3;
insert into review_exercise_sums (submission_id, exercise_id, total, ratings)
select submission_id, exercise_id, sum(total), sum(ratings) from review_level_sums group by 1, 2;
