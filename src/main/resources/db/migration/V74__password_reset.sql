-- Password reset (issue 23): one-time links valid 30 minutes, only their SHA-256 stored; a link is used once, and
-- setting a new password ends every session of the account.
create table password_resets (
  id            bigserial   primary key,
  account_id    bigint      not null references accounts (id) on delete cascade,
  token_hash    bytea       not null unique,
  requested_by  text        not null,  -- 'self' (the forgot-password form) or the admin's email
  created_at    timestamptz not null default now(),
  expires_at    timestamptz not null,
  used_at       timestamptz
);
create index password_resets_account on password_resets (account_id, created_at);

-- Requests of the forgot-password form per client address, in fixed windows, so that the form cannot be used to
-- flood mailboxes or to probe addresses at speed.
create table password_reset_throttle (
  address       text        primary key,
  window_start  timestamptz not null,
  requests      integer     not null default 0
);

-- The email outbox also carries staff emails (a reset link): such a row names an account, not an invitation.
alter table email_outbox alter column invitation_id drop not null;
alter table email_outbox add column account_id bigint references accounts (id) on delete cascade;
alter table email_outbox add constraint email_outbox_reason check (invitation_id is not null or account_id is not null);
alter table email_outbox drop constraint email_outbox_kind_check;
alter table email_outbox add constraint email_outbox_kind_check check (kind in ('invitation', 'reminder', 'receipt', 'password-reset'));
