-- Issue 27, defect 4: one active invitation per email and track is a database constraint, so two requests at the
-- same moment cannot both pass the duplicate check and both insert.
--
-- Active means: not submitted, not revoked, not erased, not the demo, and taking part in the rule (unique_active).
-- Expiry cannot be part of a partial index (it depends on now()), so an expired invitation leaves the rule when a
-- new invitation for the same email and track is created (the creating transaction sets its unique_active to false).
-- A second invitation a recruiter confirmed on purpose ("send a second one", confirmDuplicate) is created with
-- unique_active false, as is one the command line creates beside an active one.
alter table invitations add column unique_active boolean not null default true;

-- Existing data may hold several active invitations for one email and track (created before this constraint, by a
-- race, or confirmed): the oldest still open one keeps its place in the rule (else the newest expired one), the
-- others leave it. Nothing is deleted.
with ranked as (
  select id, row_number() over (partition by lower(candidate_email), track_id
                                order by (closes_at > now()) desc, case when closes_at > now() then id else -id end) as n
    from invitations
   where state = 'draft' and revoked_at is null and erased_at is null and not demo
)
update invitations i set unique_active = false from ranked r where r.id = i.id and r.n > 1;

create unique index invitations_one_active on invitations (lower(candidate_email), track_id)
  where unique_active and state = 'draft' and revoked_at is null and erased_at is null and not demo;
