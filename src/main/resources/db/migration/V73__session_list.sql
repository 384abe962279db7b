-- A staff member's list of their own sessions (issue 23): a short id to name a session by (the cookie's hash never
-- leaves the server), and what the list shows to tell sessions apart: the browser and the address it signed in from.
alter table sessions add column id bigserial unique;
alter table sessions add column user_agent text check (length(user_agent) <= 300);
alter table sessions add column address text check (length(address) <= 100);
