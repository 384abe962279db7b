-- The reviewer queue sorted by the exercise's position within the submission, read from invitation_exercises through
-- submissions: two joins per row and a sort of every row before the first page (p99 363 ms for a deep page with
-- 100,000 submissions). The position is copied into the review item when it is created, and the queue's orders
-- (all items; one track; one exercise) are read straight from an index (issue 14).
alter table review_items add column position int;
update review_items ri set position = ie.position
  from submissions s, invitation_exercises ie
 where s.id = ri.submission_id and ie.invitation_id = s.invitation_id and ie.exercise_id = ri.exercise_id;
update review_items set position = 0 where position is null;
alter table review_items alter column position set not null;
drop index review_items_queue;
create index review_items_queue on review_items (submitted_at desc, submission_id, position);
create index review_items_queue_track on review_items (track_id, submitted_at desc, submission_id, position);
create index review_items_queue_exercise on review_items (exercise_id, submitted_at desc, submission_id);
