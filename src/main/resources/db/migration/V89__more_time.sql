-- "Ask for more time" (issue 20, defect 4): at most one open request per invitation, kept on the invitation itself
-- (null = none open); granting or the request's history is in audit_log (candidate.time_requested / time_granted).
alter table invitations add column time_requested_at timestamptz;
alter table invitations add column time_request_reason text check (char_length(time_request_reason) <= 500);
-- The "untimed" accommodation: no working-time limit and no countdown; the deadline still applies.
alter table invitations add column untimed boolean not null default false;
