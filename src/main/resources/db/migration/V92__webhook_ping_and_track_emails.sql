-- "Send test event" on /admin/webhooks/{id} (issue 21): an event of type 'ping' concerns no candidate, so it has no
-- invitation; every other event still has one.
alter table webhook_events alter column invitation_id drop not null;
alter table webhook_events add constraint webhook_events_invitation_or_ping check (invitation_id is not null or type = 'ping');

-- Per-track invitation and reminder emails an admin writes (issue 21): plain text with the placeholders {{name}},
-- {{link}} (invitations only), {{deadline}} and {{track}}, checked before they are stored. Without a row, the
-- built-in templates (templates/email/) are sent.
create table track_email_templates (
  track_id   text        not null,
  kind       text        not null check (kind in ('invitation', 'reminder')),
  subject    text        not null check (length(subject) between 1 and 200),
  body       text        not null check (length(body) between 1 and 20000),
  updated_by text        not null,
  updated_at timestamptz not null default now(),
  primary key (track_id, kind)
);
