-- A save rewrites its section's newest history row within the minute (V22, V96). The index V96 added to find that row,
-- (invitation_id, exercise_id, section_id, rev desc, id desc), holds the revision, which every such save changes: so no
-- save could be a heap-only (HOT) update, each left a dead row version and two index entries behind until vacuum,
-- and a two-hour session grew the database 14-17x its final answer (issue 28: at most 10x). answer_section_history_by_section
-- (invitation_id, exercise_id, section_id, id) finds the same row without the revision: a section's text is the row
-- with the highest revision among its two newest rows by id (a save updates only the newest row or adds one; two
-- servers saving one answer at the same instant can leave the newer revision in the second-newest row, never lower).
drop index answer_section_history_text;

create or replace view answers as
select h.invitation_id, h.exercise_id, h.rev,
       coalesce((select jsonb_object_agg(k.section_id, coalesce(t.text, ''))
                   from jsonb_object_keys(h.word_counts) as k(section_id)
                   left join lateral (select n.text from (select x.text, x.rev, x.id from answer_section_history x
                                                           where x.invitation_id = h.invitation_id and x.exercise_id = h.exercise_id
                                                             and x.section_id = k.section_id
                                                           order by x.id desc limit 2) n
                                       order by n.rev desc, n.id desc limit 1) t on true), '{}'::jsonb) as sections,
       h.saved_at, h.word_counts
  from answer_heads h;
comment on view answers is 'each answer as one row: answer_heads with each section''s text (the highest revision of its two newest history rows, V99)';

-- Every save leaves a dead version of its section's newest row and of the answer's head row behind; until a vacuum
-- makes that space reusable the tables grow. Autovacuum's default waits for 20% of a table's rows to be dead: for a
-- history of ten million rows that is two million saves. At 2% it vacuums within a few minutes of heavy writing,
-- whatever the size of the history (bench/autosave replays a session with a vacuum every 2 simulated minutes).
alter table answer_section_history set (autovacuum_vacuum_scale_factor = 0.02);
alter table answer_heads set (autovacuum_vacuum_scale_factor = 0.02);
