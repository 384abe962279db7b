-- The tamper-evident decision log (issue 26): every audit entry about a decision, an override, a feedback release,
-- a reveal of identity or an erasure is chained. Each chain entry stores the SHA-256 of its own canonical bytes,
-- which include the previous entry's hash, so editing, removing or reordering any chained audit entry (or the chain
-- itself) shows at `gameday audit verify`.
--
-- Canonical bytes of entry n (UTF-8), each field written as <octet length>:<text>\n, a null as ~\n, in this order:
--   "gameday-decision-log-v1", seq, audit id, at (UTC, yyyy-mm-ddThh:mi:ss.uuuuuuZ), actor, action, subject,
--   detail (Postgres's jsonb text), previous entry's sha256 (hex; 64 zeros before the first)
-- The appends happen in a trigger on audit_log, in the transaction of the action's own audit write; the single-row
-- head is locked FOR UPDATE there, so concurrent appends are serialised in commit order and the chain has no gaps.

create table decision_log (
  seq        bigint primary key,
  audit_id   bigint not null unique,
  prev_sha256 text  not null,
  sha256     text   not null
);

create table decision_log_head (
  id      boolean primary key default true check (id),
  seq     bigint  not null,
  sha256  text    not null
);
insert into decision_log_head (seq, sha256) values (0, repeat('0', 64));

create function decision_log_field(t text) returns text language sql immutable as $$
  select case when t is null then E'~\n' else octet_length(t)::text || ':' || t || E'\n' end
$$;

create function decision_log_chained(action text) returns boolean language sql immutable as $$
  select action like 'decision.%' or action like '%override%' or action like 'feedback.%'
      or action = 'identity.revealed' or action like '%.erased' or action like '%erasure%'
$$;

create function decision_log_canonical(seq bigint, a audit_log, prev text) returns bytea language sql stable as $$
  select convert_to(decision_log_field('gameday-decision-log-v1') || decision_log_field(seq::text)
      || decision_log_field(a.id::text)
      || decision_log_field(to_char(a.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
      || decision_log_field(a.actor) || decision_log_field(a.action) || decision_log_field(a.subject)
      || decision_log_field(a.detail::text) || decision_log_field(prev), 'UTF8')
$$;

create function decision_log_append() returns trigger language plpgsql as $$
declare
  head decision_log_head;
  digest text;
begin
  if not decision_log_chained(new.action) then
    return null;
  end if;
  select * into head from decision_log_head where id for update;
  digest := encode(sha256(decision_log_canonical(head.seq + 1, new, head.sha256)), 'hex');
  insert into decision_log (seq, audit_id, prev_sha256, sha256) values (head.seq + 1, new.id, head.sha256, digest);
  update decision_log_head set seq = head.seq + 1, sha256 = digest where id;
  return null;
end $$;

create trigger decision_log_append after insert on audit_log for each row execute function decision_log_append();

-- the entries already in the log, oldest first
do $$
declare
  a audit_log;
begin
  for a in select * from audit_log where decision_log_chained(action) order by id loop
    perform 1;
    -- the trigger's body, for rows that existed before it
    declare
      head decision_log_head;
      digest text;
    begin
      select * into head from decision_log_head where id for update;
      digest := encode(sha256(decision_log_canonical(head.seq + 1, a, head.sha256)), 'hex');
      insert into decision_log (seq, audit_id, prev_sha256, sha256) values (head.seq + 1, a.id, head.sha256, digest);
      update decision_log_head set seq = head.seq + 1, sha256 = digest where id;
    end;
  end loop;
end $$;
