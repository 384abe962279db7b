-- Integrations (issue 12), part 1: API tokens for other systems (an applicant tracking system, a script), and the
-- responses remembered for Idempotency-Key retries.

-- Only the SHA-256 of a token's secret is stored; the secret is shown once, when it is created.
create table api_tokens (
  id           bigserial   primary key,
  name         text        not null unique check (length(name) between 1 and 100),
  secret_hash  bytea       not null unique,
  scopes       text[]      not null check (scopes <@ array['invitations:write', 'invitations:read', 'results:read']
                                           and cardinality(scopes) >= 1),
  created_by   text        not null,
  created_at   timestamptz not null default now(),
  expires_at   timestamptz,
  revoked_at   timestamptz,
  revoked_by   text,
  last_used_at timestamptz
);

-- A create or batch sent with an Idempotency-Key: the first response, kept for a day, answered again to a retry with
-- the same key from the same caller. status is null while the first request is still being served.
create table idempotency_keys (
  caller       text        not null,
  key          text        not null,
  request_hash bytea       not null,
  status       int,
  body         text,
  created_at   timestamptz not null default now(),
  primary key (caller, key)
);
create index idempotency_keys_age on idempotency_keys (created_at);
