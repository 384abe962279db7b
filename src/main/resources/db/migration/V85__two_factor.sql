-- Two-factor authentication (TOTP, RFC 6238) for staff accounts (issue 23). An account has at most one secret: while
-- enabled_at is null it is an enrolment not yet confirmed with a first code. last_step is the last time step a code
-- was accepted for, so a code cannot be used twice (nor an older one after a newer).
create table account_totp (
  account_id bigint primary key references accounts (id) on delete cascade,
  secret bytea not null,
  enabled_at timestamptz,
  last_step bigint,
  created_at timestamptz not null default now()
);

-- Recovery codes: only their SHA-256 (each has 50 random bits); each works once.
create table totp_recovery_codes (
  id bigserial primary key,
  account_id bigint not null references accounts (id) on delete cascade,
  code_hash bytea not null,
  used_at timestamptz
);
create index totp_recovery_codes_account on totp_recovery_codes (account_id);

-- A sign-in whose password was right and whose second factor is awaited: the cookie holds the token, this its hash.
create table totp_pending (
  token_hash bytea primary key,
  account_id bigint not null references accounts (id) on delete cascade,
  expires_at timestamptz not null
);

-- Wrong codes, per account, for the rate limit (5 per 15 minutes).
create table totp_failures (
  id bigserial primary key,
  account_id bigint not null references accounts (id) on delete cascade,
  at timestamptz not null default now()
);
create index totp_failures_account on totp_failures (account_id, at);
