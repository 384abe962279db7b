-- Benchmark data, on a database the server has migrated and loaded the library into.
-- psql -v candidates=N -v submissions=M -f bench/seed.sql
-- Candidates: bench invitations with answers of realistic size and a session each
--   (cookie gameday=bench-session-<invitation id>, CSRF token bench-csrf-<invitation id>).
-- Submissions: submitted invitations with their review items, half of them with a submitted review.
-- Reviewers: accounts with sessions bench-reviewer-session (reviewer) and bench-admin-session (admin).
\set ON_ERROR_STOP on
begin;

create table if not exists fortune (id int primary key, message text not null);
truncate fortune;
insert into fortune values
  (1, 'fortune: No such file or directory'), (2, 'A computer scientist is someone who fixes things that aren''t broken.'),
  (3, 'After enough decimal places, nobody gives a damn.'), (4, 'A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1'),
  (5, 'A computer program does what you tell it to do, not what you want it to do.'),
  (6, 'Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen'),
  (7, 'Any program that runs right is obsolete.'), (8, 'A list is only as strong as its weakest link. — Donald Knuth'),
  (9, 'Feature: A bug with seniority.'), (10, 'Computers make very fast, very accurate mistakes.'),
  (11, '<script>alert("This should not be displayed in a browser alert box.");</script>'),
  (12, 'フレームワークのベンチマーク');
create table if not exists bench_answers (id int primary key, rev bigint not null, body jsonb not null,
                                          saved_at timestamptz not null default now());

-- candidates writing now
insert into invitations (token_hash, pseudonym, track_id, candidate_name, candidate_email, deadline, closes_at, first_opened_at)
select sha256(convert_to('bench-token-' || g, 'UTF8')), 'Candidate W' || lpad(to_hex(g), 6, '0'), 'sre-senior',
       'Bench Writer ' || g, 'bench-writer-' || g || '@example.com', now() + interval '7 days', now() + interval '7 days', now()
  from generate_series(1, :candidates) g;

-- submitted candidates
insert into invitations (token_hash, pseudonym, track_id, candidate_name, candidate_email, deadline, closes_at, state,
                         first_opened_at, submitted_at)
select sha256(convert_to('bench-submitted-' || g, 'UTF8')), 'Candidate S' || lpad(to_hex(g), 6, '0'), 'sre-senior',
       'Bench Submitted ' || g, 'bench-submitted-' || g || '@example.com', now() + interval '7 days',
       now() + interval '7 days', 'submitted', now() - interval '3 days', now() - make_interval(secs => g)
  from generate_series(1, :submissions) g;

insert into invitation_exercises (invitation_id, exercise_id, version_id, position)
select i.id, te.exercise_id, te.version_id, te.position
  from invitations i cross join track_exercises te
 where te.track_id = 'sre-senior' and i.candidate_email like 'bench-%';

-- answers of realistic size: every section of every exercise, ~120 words each. Written as the server stores them
-- (V96): a head row per answer and each section's text as its history row, in two set-based inserts (the answers
-- view's insert trigger works a row at a time: minutes for half a million answers)
create temp table bench_answers as
select ie.invitation_id, ie.exercise_id, s ->> 'id' as section_id,
       w.text, w.words
  from (select t as text, gameday_word_count(t) as words  -- every section holds the same text: its words counted once
          from repeat('A realistic sentence of a candidate answer, with numbers 14:06 and 2.3 %. ', 12) t) w,
       invitation_exercises ie
  join exercise_versions ev on ev.id = ie.version_id
  join invitations i on i.id = ie.invitation_id,
       jsonb_array_elements(ev.definition -> 'sections') s
 where i.candidate_email like 'bench-%';
insert into answer_heads (invitation_id, exercise_id, rev, saved_at, word_counts)
select invitation_id, exercise_id, 1, now(), jsonb_object_agg(section_id, words)
  from bench_answers group by invitation_id, exercise_id;
insert into answer_section_history (invitation_id, exercise_id, section_id, rev, text, started_at, saved_at)
select invitation_id, exercise_id, section_id, 1, text, now(), now() from bench_answers;
drop table bench_answers;

insert into sessions (id_hash, kind, invitation_id, csrf_token, expires_at)
select sha256(convert_to('bench-session-' || i.id, 'UTF8')), 'candidate', i.id, 'bench-csrf-' || i.id, now() + interval '1 day'
  from invitations i where i.candidate_email like 'bench-writer-%';

insert into submissions (id, invitation_id, submitted_at, sha256, snapshot)
select gen_random_uuid(), i.id, i.submitted_at, repeat('0', 64), '{"bench": true}'
  from invitations i where i.candidate_email like 'bench-submitted-%';

insert into review_items (submission_id, exercise_id, version_id, track_id, pseudonym, submitted_at, reviews_required, position)
select s.id, ie.exercise_id, ie.version_id, i.track_id, i.pseudonym, s.submitted_at, 2, ie.position
  from submissions s join invitations i on i.id = s.invitation_id
  join invitation_exercises ie on ie.invitation_id = i.id
 where i.candidate_email like 'bench-submitted-%';

insert into accounts (email, name, password_hash, role) values
  ('bench-reviewer@example.com', 'Bench Reviewer', 'x', 'reviewer'),
  ('bench-other@example.com', 'Bench Other', 'x', 'reviewer'),
  ('bench-admin@example.com', 'Bench Admin', 'x', 'admin');
insert into sessions (id_hash, kind, account_id, csrf_token, expires_at)
select sha256(convert_to(case a.role when 'admin' then 'bench-admin-session' else 'bench-reviewer-session' end, 'UTF8')),
       'account', a.id, 'bench-csrf-account-' || a.id, now() + interval '1 day'
  from accounts a where a.email in ('bench-reviewer@example.com', 'bench-admin@example.com');

-- half the items carry one submitted review by the other reviewer. The reviews' trigger keeps per-item sums (V83) a
-- row at a time: for 250,000 reviews that took over 15 minutes, so it is off for this insert and the sums are made
-- at once afterwards, as V83 made them for the reviews that existed then
set local session_replication_role = replica;
insert into reviews (submission_id, exercise_id, reviewer_id, state, recommendation, scores, submitted_at)
select ri.submission_id, ri.exercise_id, (select id from accounts where email = 'bench-other@example.com'), 'submitted', 'yes',
       (select jsonb_object_agg(c ->> 'id', jsonb_build_object('level', 3, 'note', 'Bench note.'))
          from exercise_versions ev, jsonb_array_elements(ev.definition -> 'rubric') c where ev.id = ri.version_id),
       now()
  from review_items ri where hashtext(ri.submission_id::text || ri.exercise_id) % 2 = 0;
set local session_replication_role = origin;
insert into review_level_sums (submission_id, exercise_id, criterion, total, ratings)
select r.submission_id, r.exercise_id, e.key, sum((e.value ->> 'level')::float8), count(*)
  from reviews r cross join lateral jsonb_each(r.scores) e
 where r.state = 'submitted' and jsonb_typeof(e.value -> 'level') = 'number' and r.reviewer_id = (select id from accounts where email = 'bench-other@example.com')
 group by 1, 2, 3;
insert into review_exercise_sums (submission_id, exercise_id, total, ratings)
select s.submission_id, s.exercise_id, sum(s.total), sum(s.ratings) from review_level_sums s
  join reviews r on r.submission_id = s.submission_id and r.exercise_id = s.exercise_id
 where r.reviewer_id = (select id from accounts where email = 'bench-other@example.com') group by 1, 2;
update review_items ri set reviews_active = 1, reviews_submitted = 1
 where exists (select 1 from reviews r where r.submission_id = ri.submission_id and r.exercise_id = ri.exercise_id);
commit;
analyze;
