-- Libraries that passed every check (issue 14: start-up to /ready in under 3 s). The fingerprint covers every file
-- of the exercise library and the checking code; a server starting on a library with a known fingerprint parses it
-- without running the consistency checks again. `gameday check` always runs them all.
create table library_checks (
  fingerprint text        primary key,
  checked_at  timestamptz not null default now()
);
