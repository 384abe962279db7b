-- Answer history per section, written sparingly (issue 8, finding 2). answer_history kept the full merged text of
-- every section on every save: one 2.4 MB answer edited 20 times added 48 MB. From now on a save records only the
-- sections it changed, and at most one row per section per minute: a save within a minute of that section's
-- latest row updates the row (its text is always the newest of its minute), a later one starts a new row. Old rows
-- are pruned beyond a count per section and a size per answer, keeping each section's first and newest row.
-- answer_history keeps the rows written before this migration and gets no new ones.
create table answer_section_history (
  id            bigserial   primary key,
  invitation_id bigint      not null,
  exercise_id   text        not null,
  section_id    text        not null,
  rev           bigint      not null,
  text          text        not null,
  started_at    timestamptz not null default now(),  -- the first save of this row's minute
  saved_at      timestamptz not null default now(),  -- the latest save folded into it
  foreign key (invitation_id, exercise_id) references invitation_exercises (invitation_id, exercise_id)
);
create index answer_section_history_by_section on answer_section_history (invitation_id, exercise_id, section_id, id);

comment on table answer_history is 'history written before V22 (full text per save); new saves go to answer_section_history';
