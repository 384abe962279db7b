-- A decision recorded although a criterion's agreement is not reliable or an answer's reviewers disagree unresolved
-- needs an explicit override with a written reason (issue 24); the reason and what it overrode are kept with the
-- decision (for the export) and in the audit log.
alter table decisions add column override_reason text check (override_reason is null or length(override_reason) between 1 and 2000);
alter table decisions add column override_for jsonb;

-- A review by a third reviewer of an answer whose first reviewers were two or more levels apart (issue 24): its
-- submission resolves the disagreement, and the answer's level per criterion becomes the median of the three.
alter table reviews add column adjudicator boolean not null default false;
