-- Adjudication (issue 24): when the submitted reviews of an answer are two or more levels apart on any criterion, it
-- wants one more, independent review (reviews_required is raised by one), offered first to the reviewers with the
-- best calibration record; 'needed' from then (adjudication_since), 'done' once that review is submitted. Its levels
-- then are the median of the three per criterion; before/after are kept for the admins' record.
alter table review_items add column adjudication text check (adjudication in ('needed', 'done'));
alter table review_items add column adjudication_since timestamptz;
alter table review_items add column adjudication_before jsonb;  -- per criterion, the mean of the levels before it
create index review_items_adjudication on review_items (adjudication_since) where adjudication = 'needed' and not decided;
