-- Sign-in attempts, for throttling per account and per address (shared by every instance).
create table login_attempts (
  id       bigserial primary key,
  email    text        not null,
  address  text        not null,
  at       timestamptz not null default now(),
  success  boolean     not null
);
create index login_attempts_email on login_attempts (email, at);
create index login_attempts_address on login_attempts (address, at);

-- One row per exercise of a submission: the unit reviewers score. Kept up to date on every review change, so
-- the queue is one indexed read even with hundreds of thousands of submissions.
create table review_items (
  submission_id     uuid        not null references submissions (id),
  exercise_id       text        not null,
  version_id        bigint      not null references exercise_versions (id),
  track_id          text        not null,
  pseudonym         text        not null,
  submitted_at      timestamptz not null,
  reviews_required  int         not null,
  reviews_active    int         not null default 0,  -- drafts and submitted reviews
  reviews_submitted int         not null default 0,
  disagreement      boolean     not null default false,
  decided           boolean     not null default false,
  primary key (submission_id, exercise_id)
);
create index review_items_queue on review_items (submitted_at desc, submission_id, exercise_id);
create index review_items_open on review_items (reviews_active, submitted_at desc) where not decided;

create table reviews (
  id             bigserial primary key,
  submission_id  uuid        not null,
  exercise_id    text        not null,
  reviewer_id    bigint      not null references accounts (id),
  state          text        not null default 'draft' check (state in ('draft', 'submitted')),
  recommendation text        check (recommendation in ('strong_no', 'no', 'yes', 'strong_yes')),
  scores         jsonb       not null default '{}'::jsonb,  -- {"criterionId": {"level": 1-4, "note": "..."}}
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  submitted_at   timestamptz,
  unique (submission_id, exercise_id, reviewer_id),
  foreign key (submission_id, exercise_id) references review_items (submission_id, exercise_id)
);
create index reviews_by_reviewer on reviews (reviewer_id, state);

create table decisions (
  submission_id uuid        primary key references submissions (id),
  decision      text        not null check (decision in ('advance', 'hold', 'decline')),
  rationale     text        not null check (length(rationale) between 1 and 5000),
  decided_by    bigint      not null references accounts (id),
  decided_at    timestamptz not null default now()
);

-- Practice scoring of an exercise's calibration answers; never counts as a review.
create table calibration_reviews (
  id               bigserial primary key,
  reviewer_id      bigint      not null references accounts (id),
  exercise_id      text        not null,
  version_id       bigint      not null references exercise_versions (id),
  calibration_name text        not null,
  scores           jsonb       not null,
  recommendation   text        check (recommendation in ('strong_no', 'no', 'yes', 'strong_yes')),
  submitted_at     timestamptz not null default now(),
  unique (reviewer_id, version_id, calibration_name)
);

create index audit_log_action on audit_log (action, at desc);
