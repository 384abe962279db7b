-- Adverse impact report benchmark data: :n submitted candidates of sre-senior, on a database the server has migrated
-- and loaded the library into. Each has a submission, a decision (about a third advanced, fewer for one group), a
-- voluntary self-identification (about 1 in 10 skipped), one submitted review per exercise with random levels, and
-- a compliance account with the session cookie gameday=bench-compliance-session.
-- psql -v n=100000 -f bench/compliance/seed.sql
\set ON_ERROR_STOP on
begin;
select setseed(0.26);
insert into invitations (token_hash, pseudonym, track_id, candidate_name, candidate_email, deadline, closes_at, state,
                         first_opened_at, submitted_at)
select sha256(convert_to('impact-' || g, 'UTF8')), 'Candidate I' || lpad(to_hex(g), 6, '0'), 'sre-senior',
       'Impact ' || g, 'impact-' || g || '@example.com', now(), now(), 'submitted', now() - interval '30 days',
       now() - make_interval(secs => g * 20)
  from generate_series(1, :n) g;
insert into invitation_exercises (invitation_id, exercise_id, version_id, position)
select i.id, te.exercise_id, te.version_id, te.position
  from invitations i cross join track_exercises te
 where te.track_id = 'sre-senior' and i.candidate_email like 'impact-%';
insert into submissions (id, invitation_id, submitted_at, sha256, snapshot)
select gen_random_uuid(), i.id, i.submitted_at, repeat('0', 64), '{}' from invitations i where i.candidate_email like 'impact-%';
insert into self_identification (invitation_id, sex, race, disability, veteran)
select i.id,
       (array['female', 'male', 'male', 'nonbinary', 'prefer_not'])[1 + floor(random() * 5)::int],
       (array['hispanic_latino', 'white', 'white', 'black', 'native_hawaiian_pacific_islander', 'asian',
              'american_indian_alaska_native', 'two_or_more', 'prefer_not'])[1 + floor(random() * 9)::int],
       (array['yes', 'no', 'no', 'prefer_not'])[1 + floor(random() * 4)::int],
       (array['protected_veteran', 'not_protected_veteran', 'not_protected_veteran', 'prefer_not'])[1 + floor(random() * 4)::int]
  from invitations i where i.candidate_email like 'impact-%' and random() < 0.9;
insert into accounts (email, name, password_hash, role) values
  ('bench-decider@example.com', 'Bench Decider', 'x', 'admin'),
  ('bench-scorer@example.com', 'Bench Scorer', 'x', 'reviewer'),
  ('bench-compliance@example.com', 'Bench Compliance', 'x', 'compliance');
insert into decisions (submission_id, decision, rationale, decided_by)
select s.id, case when random() < case when x.race = 'black' then 0.22 else 0.33 end then 'advance' else 'decline' end,
       'Bench.', (select id from accounts where email = 'bench-decider@example.com')
  from submissions s join invitations i on i.id = s.invitation_id
  left join self_identification x on x.invitation_id = i.id
 where i.candidate_email like 'impact-%';
insert into review_items (submission_id, exercise_id, version_id, track_id, pseudonym, submitted_at, reviews_required,
                          position, reviews_active, reviews_submitted, decided)
select s.id, ie.exercise_id, ie.version_id, i.track_id, i.pseudonym, s.submitted_at, 1, ie.position, 1, 1, true
  from submissions s join invitations i on i.id = s.invitation_id
  join invitation_exercises ie on ie.invitation_id = i.id
 where i.candidate_email like 'impact-%';
insert into reviews (submission_id, exercise_id, reviewer_id, state, recommendation, scores, submitted_at)
select ri.submission_id, ri.exercise_id, (select id from accounts where email = 'bench-scorer@example.com'), 'submitted', 'yes',
       (select jsonb_object_agg(c ->> 'id', jsonb_build_object('level', 1 + floor(random() * 4)::int, 'note', ''))
          from exercise_versions ev, jsonb_array_elements(ev.definition -> 'rubric') c where ev.id = ri.version_id
           and ri.submission_id is not null),
       now()
  from review_items ri join submissions s on s.id = ri.submission_id join invitations i on i.id = s.invitation_id
 where i.candidate_email like 'impact-%';
insert into sessions (id_hash, kind, account_id, csrf_token, expires_at)
select sha256(convert_to('bench-compliance-session', 'UTF8')), 'account', a.id, 'bench-csrf-compliance', now() + interval '1 day'
  from accounts a where a.email = 'bench-compliance@example.com';
commit;
analyze;
