-- Account lifecycle (issue 23): who disabled an account and when, and pending setup links an admin can list and
-- withdraw (by a short id: the link's secret is only ever stored hashed).
alter table accounts add column disabled_at timestamptz;
alter table accounts add column disabled_by text;
alter table setup_tokens add column id bigserial unique;
alter table setup_tokens add column created_by text;
create index sessions_by_account on sessions (account_id) where account_id is not null;
