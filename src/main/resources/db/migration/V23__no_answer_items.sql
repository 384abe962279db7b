-- An exercise submitted with every section blank is marked, so the queue can say so and one reviewer can record
-- "no answer" for every criterion at once. New items of that kind want a single review; existing ones keep theirs.
alter table review_items add column no_answer boolean not null default false;

update review_items ri set no_answer = true
 where not exists (
   select 1 from submissions s
     join answers a on a.invitation_id = s.invitation_id and a.exercise_id = ri.exercise_id
     cross join lateral jsonb_each_text(a.sections) t
    where s.id = ri.submission_id and btrim(t.value) <> '');
