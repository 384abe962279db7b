-- The recruiter's workspace (issue 13): a recruiter role, revocation and erasure of invitations, each invitation's
-- last candidate activity (for sorting 100,000 invitations by it with an index), and the email outbox.

alter table accounts drop constraint accounts_role_check;
alter table accounts add constraint accounts_role_check check (role in ('reviewer', 'recruiter', 'admin'));
alter table setup_tokens drop constraint setup_tokens_role_check;
alter table setup_tokens add constraint setup_tokens_role_check check (role in ('reviewer', 'recruiter', 'admin'));

alter table invitations add column revoked_at timestamptz;
alter table invitations add column erased_at timestamptz;
alter table invitations add column invited_by text;

-- The candidate's last activity: invited, opened, an answer saved, submitted. A table of its own, kept by triggers:
-- a save holds a share lock on its invitation row, so writing the invitation row from a save could deadlock two
-- saves; this row is only ever locked after the invitation's.
create table invitation_activity (
  invitation_id bigint      primary key references invitations (id),
  at            timestamptz not null
);
create index invitation_activity_recent on invitation_activity (at desc, invitation_id desc);

insert into invitation_activity (invitation_id, at)
select i.id, greatest(i.created_at, i.first_opened_at, i.submitted_at,
                      (select max(a.saved_at) from answers a where a.invitation_id = i.id))
  from invitations i;

create function invitation_activity_from_invitation() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into invitation_activity (invitation_id, at) values (new.id, new.created_at);
  elsif new.first_opened_at is distinct from old.first_opened_at or new.submitted_at is distinct from old.submitted_at then
    update invitation_activity set at = greatest(at, now()) where invitation_id = new.id;
  end if;
  return null;
end $$;
create trigger invitation_activity_invitation after insert or update of first_opened_at, submitted_at on invitations
  for each row execute function invitation_activity_from_invitation();

create function invitation_activity_from_answer() returns trigger language plpgsql as $$
begin
  update invitation_activity set at = greatest(at, new.saved_at) where invitation_id = new.invitation_id;
  return null;
end $$;
create trigger invitation_activity_answer after insert or update on answers
  for each row execute function invitation_activity_from_answer();

-- The candidates page: sort by deadline, filter by track, find by name or email (substring, trigram index),
-- the duplicate check (one open invitation per email and track).
create extension if not exists pg_trgm;
create index invitations_deadline on invitations (deadline desc, id desc);
create index invitations_track_deadline on invitations (track_id, deadline desc, id desc);
create index invitations_search on invitations using gin ((lower(candidate_name || ' ' || candidate_email)) gin_trgm_ops);
create index invitations_email_track on invitations (lower(candidate_email), track_id);
create index audit_log_subject on audit_log (subject, id);

-- The transactional outbox: an email row is written in the transaction that creates its reason (the invitation, a
-- new link, a reminder, a submission). The link is the one place a token exists in clear; it is wiped once the
-- email is delivered or abandoned.
create table email_outbox (
  id              bigserial   primary key,
  invitation_id   bigint      not null references invitations (id),
  kind            text        not null check (kind in ('invitation', 'reminder', 'receipt')),
  to_address      text        not null,
  link            text,
  state           text        not null default 'pending' check (state in ('pending', 'delivered', 'failed', 'cancelled')),
  attempts        int         not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_reply      text,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  delivered_at    timestamptz
);
create index email_outbox_due on email_outbox (next_attempt_at, id) where state = 'pending';
create index email_outbox_invitation on email_outbox (invitation_id, id);

-- Whether this installation sends email (written at start-up from GAMEDAY_SMTP_URL), so the submission trigger
-- below queues a receipt only when it will be sent.
create table mail_settings (
  id       boolean primary key default true check (id),
  enabled  boolean not null default false
);
insert into mail_settings (enabled) values (false);

create function email_receipt_on_submission() returns trigger language plpgsql as $$
begin
  if (select enabled from mail_settings) then
    insert into email_outbox (invitation_id, kind, to_address)
    select i.id, 'receipt', i.candidate_email from invitations i where i.id = new.invitation_id and not i.demo;
  end if;
  return null;
end $$;
create trigger email_receipt after insert on submissions for each row execute function email_receipt_on_submission();
