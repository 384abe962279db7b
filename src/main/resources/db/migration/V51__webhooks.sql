-- Integrations (issue 12), part 2: signed webhooks through an outbox. An event row and one delivery per subscribed
-- endpoint are written by triggers in the transaction that records what happened (the first opening of an invitation,
-- a submission, a decision), so an event is delivered if and only if it happened. A sender claims due deliveries with
-- FOR UPDATE SKIP LOCKED (several instances never send one attempt twice) and retries with exponential backoff until
-- retry_until (a day; a manual redeliver gives another day). Every attempt is logged with its status code.

create table webhook_endpoints (
  id               bigserial   primary key,
  url              text        not null check (url ~* '^https?://' and length(url) <= 2000),
  events           text[]      not null check (events <@ array['invitation.opened', 'submission.created', 'decision.recorded']
                                               and cardinality(events) >= 1),
  -- in clear: signing needs it (HMAC); shown once, never again
  secret           text        not null,
  include_identity boolean     not null default false,
  created_by       text        not null,
  created_at       timestamptz not null default now(),
  disabled_at      timestamptz
);

create table webhook_events (
  id            uuid        primary key default gen_random_uuid(),
  type          text        not null,
  invitation_id bigint      not null references invitations (id),
  data          jsonb       not null,
  occurred_at   timestamptz not null default now()
);
create index webhook_events_invitation on webhook_events (invitation_id);

create table webhook_deliveries (
  id              bigserial   primary key,
  event_id        uuid        not null references webhook_events (id),
  endpoint_id     bigint      not null references webhook_endpoints (id),
  state           text        not null default 'pending' check (state in ('pending', 'delivered', 'failed')),
  attempts        int         not null default 0,
  next_attempt_at timestamptz not null default now(),
  retry_until     timestamptz not null default now() + interval '1 day',
  last_status     int,
  last_error      text,
  created_at      timestamptz not null default now(),
  delivered_at    timestamptz,
  unique (event_id, endpoint_id)
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at, id) where state = 'pending';
create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, id desc);

create table webhook_attempts (
  id          bigserial   primary key,
  delivery_id bigint      not null references webhook_deliveries (id),
  at          timestamptz not null default now(),
  status_code int,
  error       text,
  duration_ms int         not null
);
create index webhook_attempts_delivery on webhook_attempts (delivery_id, id);

create function webhook_enqueue(kind text, inv bigint, payload jsonb) returns void language plpgsql as $$
declare
  ev uuid;
begin
  if not exists (select 1 from webhook_endpoints e where e.disabled_at is null and kind = any (e.events)) then
    return;
  end if;
  insert into webhook_events (type, invitation_id, data) values (kind, inv, payload) returning id into ev;
  insert into webhook_deliveries (event_id, endpoint_id)
  select ev, e.id from webhook_endpoints e where e.disabled_at is null and kind = any (e.events);
end $$;

create function webhook_on_opened() returns trigger language plpgsql as $$
begin
  if old.first_opened_at is null and new.first_opened_at is not null and not new.demo then
    perform webhook_enqueue('invitation.opened', new.id, jsonb_build_object(
      'candidate', jsonb_build_object('id', new.id, 'pseudonym', new.pseudonym), 'track', new.track_id,
      'opened_at', new.first_opened_at));
  end if;
  return null;
end $$;
create trigger webhook_opened after update of first_opened_at on invitations
  for each row execute function webhook_on_opened();

create function webhook_on_submission() returns trigger language plpgsql as $$
begin
  perform webhook_enqueue('submission.created', i.id, jsonb_build_object(
      'candidate', jsonb_build_object('id', i.id, 'pseudonym', i.pseudonym), 'track', i.track_id,
      'submission_id', new.id, 'submitted_at', new.submitted_at, 'sha256', new.sha256))
    from invitations i where i.id = new.invitation_id and not i.demo;
  return null;
end $$;
create trigger webhook_submission after insert on submissions for each row execute function webhook_on_submission();

create function webhook_on_decision() returns trigger language plpgsql as $$
begin
  perform webhook_enqueue('decision.recorded', i.id, jsonb_build_object(
      'candidate', jsonb_build_object('id', i.id, 'pseudonym', i.pseudonym), 'track', i.track_id,
      'submission_id', new.submission_id, 'decision', new.decision, 'decided_at', new.decided_at))
    from submissions s join invitations i on i.id = s.invitation_id where s.id = new.submission_id and not i.demo;
  return null;
end $$;
create trigger webhook_decision after insert on decisions for each row execute function webhook_on_decision();
