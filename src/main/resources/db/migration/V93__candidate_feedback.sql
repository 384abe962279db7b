-- Feedback to candidates (issue 24, item 7). A reviewer's optional comment "for the candidate" on an answer, kept with
-- the review (at most 2,000 characters, like an evidence note); shown to the candidate only once feedback is released.
alter table reviews add column for_candidate text not null default '' check (length(for_candidate) <= 2000);

-- A recruiter's (or an admin's) release of a decided submission's feedback to its candidate: once, audited.
create table feedback_releases (
  submission_id uuid        primary key references submissions (id),
  released_by   bigint      not null references accounts (id),
  released_at   timestamptz not null default now()
);
