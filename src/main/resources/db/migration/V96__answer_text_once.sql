-- Each section's text stored once, in its history (issue 28, item 2). The answer's sections were one jsonb value: a
-- save that changed one section rewrote the whole answer (its TOAST copy and the WAL for it) and then wrote the
-- changed section again into answer_section_history. One two-hour session (1,440 saves, 31 KiB) grew the database
-- by 6 MiB. The newest history row of a section already holds that section's newest text (V22: a save updates the
-- minute's row or starts a new one; pruning keeps each section's first and newest row), so it is now the only copy:
-- a save writes the sections that changed, once, and a small row with the revision, time and word counts.
--
-- answers becomes answer_heads (revision, saved_at, word_counts: one key per section ever saved) and "answers" a
-- view with the former columns, sections assembled from the newest history rows, so every reader (submission,
-- pages, exports) reads it as before. An instead-of trigger lets a whole row be inserted (seeding, tests).
alter table answers rename to answer_heads;
alter table answer_heads rename constraint answers_pkey to answer_heads_pkey;

-- a section's text is its row with the highest revision: one index entry away (the candidates list, the exercise page
-- and every save read it)
create index answer_section_history_text on answer_section_history (invitation_id, exercise_id, section_id, rev desc, id desc);

-- rows saved before V22 (or whose newest history row differs) get their text as the newest history row
insert into answer_section_history (invitation_id, exercise_id, section_id, rev, text, started_at, saved_at)
select h.invitation_id, h.exercise_id, e.key, h.rev, e.value, h.saved_at, h.saved_at
  from answer_heads h cross join lateral jsonb_each_text(h.sections) e
  left join lateral (select x.text from answer_section_history x
                      where x.invitation_id = h.invitation_id and x.exercise_id = h.exercise_id and x.section_id = e.key
                      order by x.rev desc, x.id desc limit 1) newest on true
 where coalesce(newest.text, '') is distinct from e.value;
-- every section of the answer is a key of word_counts, which the view reads as the list of sections
update answer_heads h
   set word_counts = (select coalesce(jsonb_object_agg(e.key, gameday_word_count(e.value)), '{}'::jsonb)
                        from jsonb_each_text(h.sections) e) || h.word_counts
 where not h.word_counts ?& array(select jsonb_object_keys(h.sections));
alter table answer_heads drop column sections;

create view answers as
select h.invitation_id, h.exercise_id, h.rev,
       coalesce((select jsonb_object_agg(k.section_id, coalesce(t.text, ''))
                   from jsonb_object_keys(h.word_counts) as k(section_id)
                   left join lateral (select x.text from answer_section_history x
                                       where x.invitation_id = h.invitation_id and x.exercise_id = h.exercise_id
                                         and x.section_id = k.section_id
                                       order by x.rev desc, x.id desc limit 1) t on true), '{}'::jsonb) as sections,
       h.saved_at, h.word_counts
  from answer_heads h;
alter view answers alter column saved_at set default now();
comment on view answers is 'each answer as one row: answer_heads with each section''s newest text from answer_section_history (V96)';

create function answers_insert() returns trigger language plpgsql as $$
declare
  at timestamptz := coalesce(new.saved_at, now());
begin
  insert into answer_heads (invitation_id, exercise_id, rev, saved_at, word_counts)
  values (new.invitation_id, new.exercise_id, new.rev, at,
          (select coalesce(jsonb_object_agg(e.key, gameday_word_count(e.value)), '{}'::jsonb)
             from jsonb_each_text(coalesce(new.sections, '{}'::jsonb)) e) || coalesce(new.word_counts, '{}'::jsonb));
  insert into answer_section_history (invitation_id, exercise_id, section_id, rev, text, started_at, saved_at)
  select new.invitation_id, new.exercise_id, e.key, new.rev, e.value, at, at
    from jsonb_each_text(coalesce(new.sections, '{}'::jsonb)) e where e.value <> '';
  return new;
end $$;
create trigger answers_insert instead of insert on answers for each row execute function answers_insert();
