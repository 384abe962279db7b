-- Sign-in throttling by (email, address) with exponential backoff, replacing the per-account hard lock that let
-- anyone who knew a reviewer's email lock them out. One row per pair; a success clears its failures and records
-- that the pair is known (a known pair is not held back by its address's limit). An email need not belong to an
-- account: unknown emails are throttled exactly like known ones.
create table login_throttle (
  email            text        not null,
  address          text        not null,
  failures         integer     not null default 0,
  last_failure_at  timestamptz,
  last_success_at  timestamptz,
  primary key (email, address)
);
create index login_throttle_age on login_throttle (last_failure_at);

-- Per address, all emails together: a fixed window, to bound password spraying from one address.
create table login_address_throttle (
  address       text        primary key,
  window_start  timestamptz not null,
  failures      integer     not null default 0
);

-- The attempt log only fed the old counts; the audit log keeps successful sign-ins.
drop table login_attempts;
