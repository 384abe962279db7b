-- "Send test event" on /admin/webhooks/{id} (issue 21): an event of type 'ping' concerns no candidate, so it has no
-- invitation; every other event still has one.
alter table webhook_events alter column invitation_id drop not null;
alter table webhook_events add constraint webhook_events_invitation_or_ping check (invitation_id is not null or type = 'ping');
