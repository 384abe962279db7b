-- The investigation trail: what a candidate did with the evidence of an exercise (opened a file, filtered a log,
-- zoomed a chart, opened a data table, grouped a chart by a label, cited a line or a point), sent by the exercise page in small batches. The
-- candidate is told so on the page. Sealed into the submission snapshot at submit; refused afterwards.
create table trail_events (
  id            bigserial   primary key,
  invitation_id bigint      not null,
  exercise_id   text        not null,
  -- when it happened by the candidate's clock (never later than received_at); received_at: by the server's
  at            timestamptz not null,
  received_at   timestamptz not null default now(),
  kind          text        not null check (kind in ('opened', 'filter', 'zoom', 'table', 'group', 'cite')),
  evidence      int         not null check (evidence >= 0),
  detail        text        not null default '' check (length(detail) <= 200),
  foreign key (invitation_id, exercise_id) references invitation_exercises (invitation_id, exercise_id)
);

-- A batch retried after its answer was lost adds nothing: the same event twice is the same row.
create unique index trail_events_once on trail_events (invitation_id, exercise_id, at, kind, evidence, detail);
