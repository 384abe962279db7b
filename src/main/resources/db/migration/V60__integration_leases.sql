-- Hardening round three (issue 27), the integrations.
--
-- Senders no longer hold a transaction across a network call: a sender claims due rows in a short transaction,
-- stamping them with a lease (a random id) and pushing next_attempt_at past the call's deadline, commits, calls,
-- and records the result in a new transaction only if its lease still holds. A sender that dies mid-call leaves
-- rows whose next_attempt_at passes: they are due again, and the dead sender's late answer (if any) is ignored.
alter table webhook_deliveries add column lease uuid;
alter table greenhouse_interviews add column callback_lease uuid;

-- A test Greenhouse sends again after the first was revoked or expired is a new interview (a new invitation); the
-- old one is kept, marked superseded, and only one interview per application and test is current.
alter table greenhouse_interviews add column superseded_at timestamptz;
drop index greenhouse_interviews_application;
create unique index greenhouse_interviews_application on greenhouse_interviews (token_id, partner_test_id, greenhouse_profile_url)
  where greenhouse_profile_url is not null and superseded_at is null;

-- Callback credentials end with their token: on expiry as on revocation. The revocation trigger wipes them at
-- once; an expired token's are wiped by the sender before it claims (expiry is a time, not an update).
