-- Exercises and tracks, as loaded from exercises/. A version row never changes: a new content hash is a new row,
-- so a submission always points at exactly what the candidate saw.
create table exercise_versions (
  id            bigserial primary key,
  exercise_id   text        not null,
  content_hash  text        not null,
  title         text        not null,
  definition    jsonb       not null,
  loaded_at     timestamptz not null default now(),
  unique (exercise_id, content_hash)
);

create table exercise_files (
  version_id  bigint not null references exercise_versions (id),
  path        text   not null,
  content     bytea  not null,
  sha256      text   not null,
  primary key (version_id, path)
);

create table tracks (
  id            text primary key,
  title         text        not null,
  content_hash  text        not null,
  definition    jsonb       not null,
  updated_at    timestamptz not null default now()
);

-- The exercise versions a track currently serves (replaced on every load).
create table track_exercises (
  track_id    text   not null references tracks (id),
  position    int    not null,
  exercise_id text   not null,
  version_id  bigint not null references exercise_versions (id),
  primary key (track_id, position)
);

-- One invitation is one candidate taking one track. Only a hash of the token is stored.
create table invitations (
  id               bigserial primary key,
  token_hash       bytea       not null unique,
  pseudonym        text        not null unique,
  track_id         text        not null references tracks (id),
  candidate_name   text        not null check (length(candidate_name) between 1 and 200),
  candidate_email  text        not null check (length(candidate_email) between 3 and 254),
  time_multiplier  numeric(4, 2) not null default 1.00 check (time_multiplier between 1.00 and 5.00),
  deadline         timestamptz not null,
  -- working time after first opening (track limit x multiplier); 0 means the deadline alone applies
  time_limit_minutes int       not null default 0 check (time_limit_minutes >= 0),
  -- when answers stop being accepted: the deadline, or earlier once a time limit starts running
  closes_at        timestamptz not null,
  state            text        not null default 'draft' check (state in ('draft', 'submitted')),
  created_at       timestamptz not null default now(),
  first_opened_at  timestamptz,
  submitted_at     timestamptz,
  demo             boolean     not null default false
);

-- The exact exercise versions an invitation was given, pinned when it was created.
create table invitation_exercises (
  invitation_id bigint not null references invitations (id),
  exercise_id   text   not null,
  version_id    bigint not null references exercise_versions (id),
  position      int    not null,
  primary key (invitation_id, exercise_id)
);

-- The latest accepted revision of each answer; only a newer revision replaces it.
create table answers (
  invitation_id bigint      not null,
  exercise_id   text        not null,
  rev           bigint      not null check (rev > 0),
  sections      jsonb       not null,
  saved_at      timestamptz not null default now(),
  primary key (invitation_id, exercise_id),
  foreign key (invitation_id, exercise_id) references invitation_exercises (invitation_id, exercise_id)
);

-- Every accepted revision, so no text is ever overwritten without a trace.
create table answer_history (
  id            bigserial primary key,
  invitation_id bigint      not null,
  exercise_id   text        not null,
  rev           bigint      not null,
  sections      jsonb       not null,
  saved_at      timestamptz not null default now()
);
create index answer_history_by_answer on answer_history (invitation_id, exercise_id, rev);

-- The sealed snapshot; one per invitation.
create table submissions (
  id            uuid        primary key,
  invitation_id bigint      not null unique references invitations (id),
  submitted_at  timestamptz not null,
  sha256        text        not null,
  snapshot      text        not null  -- the exact UTF-8 JSON that sha256 was computed over
);

create table accounts (
  id             bigserial primary key,
  email          text        not null unique check (length(email) between 3 and 254),
  name           text        not null check (length(name) between 1 and 200),
  password_hash  text        not null,
  role           text        not null check (role in ('reviewer', 'admin')),
  created_at     timestamptz not null default now(),
  disabled       boolean     not null default false
);

-- One-time links: the first-admin setup link (and, later, reviewer invitations). Hash only.
create table setup_tokens (
  token_hash  bytea       primary key,
  purpose     text        not null,
  role        text        not null check (role in ('reviewer', 'admin')),
  created_at  timestamptz not null default now(),
  expires_at  timestamptz not null,
  used_at     timestamptz
);

-- Server-side sessions shared by every instance. Only a hash of the cookie value is stored.
create table sessions (
  id_hash        bytea       primary key,
  kind           text        not null check (kind in ('candidate', 'account')),
  invitation_id  bigint      references invitations (id),
  account_id     bigint      references accounts (id),
  csrf_token     text        not null,
  created_at     timestamptz not null default now(),
  last_seen_at   timestamptz not null default now(),
  expires_at     timestamptz not null,
  check ((kind = 'candidate' and invitation_id is not null) or (kind = 'account' and account_id is not null))
);
create index sessions_expiry on sessions (expires_at);

create table audit_log (
  id          bigserial primary key,
  at          timestamptz not null default now(),
  actor       text        not null,
  action      text        not null,
  subject     text,
  detail      jsonb       not null default '{}'::jsonb
);
create index audit_log_at on audit_log (at desc);
