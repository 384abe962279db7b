-- Post/Redirect/Get (issue 21): the result of a form, kept with the session until the page after the redirect shows
-- it once. Written only by the server (never from a request's text); a new link or secret lives here at most until
-- that next page view, and the row goes with the session.
alter table sessions add column flash jsonb;
