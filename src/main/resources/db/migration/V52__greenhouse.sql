-- Integrations (issue 12), part 3: Gameday as a Greenhouse assessment partner. One row per test Greenhouse sent
-- (send_test): its partner_interview_id (random, not guessable), the invitation, and the completion callback.
--
-- The callback (PATCH to the url Greenhouse gave) is authenticated with the API key Greenhouse called us with, so
-- that key is kept in callback_auth: the one place a token's secret exists in clear, like the email outbox's links.
-- It is wiped once the callback is delivered or abandoned, and when the token is revoked (trigger below).
create table greenhouse_interviews (
  id                     text        primary key,
  invitation_id          bigint      not null unique references invitations (id),
  partner_test_id        text        not null,
  token_id               bigint      not null references api_tokens (id),
  greenhouse_profile_url text,
  callback_url           text,
  callback_auth          text,
  callback_state         text        not null default 'none'
                                     check (callback_state in ('none', 'waiting', 'pending', 'delivered', 'failed')),
  callback_attempts      int         not null default 0,
  callback_next_at       timestamptz,
  callback_retry_until   timestamptz,
  callback_last_status   int,
  callback_last_error    text,
  created_at             timestamptz not null default now()
);
create unique index greenhouse_interviews_application on greenhouse_interviews (token_id, partner_test_id, greenhouse_profile_url)
  where greenhouse_profile_url is not null;
create index greenhouse_callbacks_due on greenhouse_interviews (callback_next_at) where callback_state = 'pending';

-- A decision completes the test: the callback becomes due in the decision's transaction.
create function greenhouse_on_decision() returns trigger language plpgsql as $$
begin
  update greenhouse_interviews g set callback_state = 'pending', callback_next_at = now(),
         callback_retry_until = now() + interval '1 day'
    from submissions s
   where s.id = new.submission_id and g.invitation_id = s.invitation_id and g.callback_state = 'waiting';
  return null;
end $$;
create trigger greenhouse_decision after insert on decisions for each row execute function greenhouse_on_decision();

create function greenhouse_on_token_revoked() returns trigger language plpgsql as $$
begin
  if new.revoked_at is not null and old.revoked_at is null then
    update greenhouse_interviews set callback_auth = null,
           callback_state = case when callback_state in ('waiting', 'pending') then 'failed' else callback_state end,
           callback_last_error = case when callback_state in ('waiting', 'pending') then 'token revoked' else callback_last_error end
     where token_id = new.id;
  end if;
  return null;
end $$;
create trigger greenhouse_token_revoked after update of revoked_at on api_tokens
  for each row execute function greenhouse_on_token_revoked();
