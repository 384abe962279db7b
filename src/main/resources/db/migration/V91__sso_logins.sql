-- Single sign-on under way (issue 23): one row per sign-in a browser started at /login/sso, taken (deleted) by the
-- callback, so each works once, and for 10 minutes. The browser holds a random value in an HttpOnly cookie and
-- browser_hash is its SHA-256: a state that reaches the callback in another browser finds nothing. state_hash is the
-- SHA-256 of the state sent to the provider; the nonce and the PKCE code_verifier never leave the server but for
-- the token request.
create table sso_logins (
  state_hash    bytea       primary key,
  browser_hash  bytea       not null,
  nonce         text        not null,
  code_verifier text        not null,
  next          text        check (length(next) <= 2000),
  expires_at    timestamptz not null
);
create index sso_logins_expiry on sso_logins (expires_at);
