-- Assignment of review items (one exercise of one submission) to reviewers with a due date (issue 21, "Reviewer").
-- An admin assigns; the reviewer's queue lists open assignments first; a loop emails one reminder when one is due
-- within 24 hours and one when it is overdue. Assignment only says who should review by when: it gives no access
-- and no sight of others' reviews that the reviewer would not have anyway (blind review stays blind).
create table review_assignments (
  id            bigserial   primary key,
  submission_id uuid        not null,
  exercise_id   text        not null,
  reviewer_id   bigint      not null references accounts (id),
  due_at        timestamptz not null,
  assigned_by   bigint      references accounts (id),
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  cancelled_at  timestamptz,
  foreign key (submission_id, exercise_id) references review_items (submission_id, exercise_id)
);
-- one live assignment per item and reviewer: assigning again changes its due date (a cancelled one stays as history)
create unique index review_assignments_live on review_assignments (submission_id, exercise_id, reviewer_id)
  where cancelled_at is null;
create index review_assignments_reviewer on review_assignments (reviewer_id, due_at) where cancelled_at is null;
create index review_assignments_due on review_assignments (due_at) where cancelled_at is null;

-- The reminders sent, one row per assignment, kind and due date: the primary key is the claim, so two instances
-- running the loop at once queue each reminder once, and a changed due date gets reminders of its own.
create table review_assignment_reminders (
  assignment_id bigint      not null references review_assignments (id),
  kind          text        not null check (kind in ('review-due', 'review-overdue')),
  due_at        timestamptz not null,
  queued_at     timestamptz not null default now(),
  primary key (assignment_id, kind, due_at)
);

-- The reminders travel through the email outbox, addressed to the reviewer's account; the row names its assignment
-- so that the email can say when it is due.
alter table email_outbox add column review_assignment_id bigint references review_assignments (id);
alter table email_outbox drop constraint email_outbox_kind_check;
alter table email_outbox add constraint email_outbox_kind_check
  check (kind in ('invitation', 'reminder', 'receipt', 'password-reset', 'time-request', 'review-due', 'review-overdue'));
