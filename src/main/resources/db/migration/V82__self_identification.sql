-- Voluntary self-identification (issue 26), offered after submission and never required. Its own table, read only by
-- the compliance package (aggregates for the compliance role; the candidate's own download). Every question allows
-- 'prefer_not'; a candidate who skips the form has no row. Erasing the candidate deletes the row (trigger below).

alter table accounts drop constraint accounts_role_check;
alter table accounts add constraint accounts_role_check check (role in ('reviewer', 'recruiter', 'admin', 'compliance'));
alter table setup_tokens drop constraint setup_tokens_role_check;
alter table setup_tokens add constraint setup_tokens_role_check check (role in ('reviewer', 'recruiter', 'admin', 'compliance'));

create table self_identification (
  invitation_id bigint      primary key references invitations (id),
  sex           text        not null check (sex in ('female', 'male', 'nonbinary', 'prefer_not')),
  race          text        not null check (race in ('hispanic_latino', 'white', 'black', 'native_hawaiian_pacific_islander',
                                                     'asian', 'american_indian_alaska_native', 'two_or_more', 'prefer_not')),
  disability    text        not null check (disability in ('yes', 'no', 'prefer_not')),
  veteran       text        not null check (veteran in ('protected_veteran', 'not_protected_veteran', 'prefer_not')),
  answered_at   timestamptz not null default now()
);

create function self_identification_erase() returns trigger language plpgsql as $$
begin
  delete from self_identification where invitation_id = new.id;
  return null;
end $$;
create trigger self_identification_erase after update of erased_at on invitations
  for each row when (new.erased_at is not null) execute function self_identification_erase();
