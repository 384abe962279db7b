-- One row per section (issue 28, item 2). The answer's sections were one jsonb value: a save that changed one
-- section rewrote the whole answer (a 31 KiB answer: ~the whole compressed value in WAL and a dead TOAST copy per
-- save; one two-hour session grew the database by 6 MiB). Now the revision, time and word counts stay in a small row
-- (answer_heads, the former table) and each section's text is a row of its own in answer_sections: a save rewrites
-- only the sections whose text changed.
--
-- "answers" stays as a view with the former columns (sections assembled as jsonb), so every reader (submission,
-- pages, exports, backup) reads it as before; an instead-of trigger lets a whole row be inserted (backup import,
-- tests, seeding), split into head and sections. Saves write the two tables directly (candidate/Answers).
alter table answers rename to answer_heads;
alter table answer_heads rename constraint answers_pkey to answer_heads_pkey;

create table answer_sections (
  invitation_id bigint not null,
  exercise_id   text   not null,
  section_id    text   not null,
  text          text   not null,
  primary key (invitation_id, exercise_id, section_id),
  foreign key (invitation_id, exercise_id) references answer_heads (invitation_id, exercise_id)
);
insert into answer_sections (invitation_id, exercise_id, section_id, text)
select h.invitation_id, h.exercise_id, e.key, e.value from answer_heads h cross join lateral jsonb_each_text(h.sections) e;
alter table answer_heads drop column sections;

create view answers as
select h.invitation_id, h.exercise_id, h.rev,
       coalesce((select jsonb_object_agg(s.section_id, s.text) from answer_sections s
                  where s.invitation_id = h.invitation_id and s.exercise_id = h.exercise_id), '{}'::jsonb) as sections,
       h.saved_at, h.word_counts
  from answer_heads h;
alter view answers alter column saved_at set default now();
comment on view answers is 'each answer as one row (sections as jsonb), assembled from answer_heads and answer_sections';

create function answers_insert() returns trigger language plpgsql as $$
begin
  insert into answer_heads (invitation_id, exercise_id, rev, saved_at, word_counts)
  values (new.invitation_id, new.exercise_id, new.rev, coalesce(new.saved_at, now()),
          coalesce(new.word_counts, (select coalesce(jsonb_object_agg(e.key, gameday_word_count(e.value)), '{}'::jsonb)
                                       from jsonb_each_text(coalesce(new.sections, '{}'::jsonb)) e)));
  insert into answer_sections (invitation_id, exercise_id, section_id, text)
  select new.invitation_id, new.exercise_id, e.key, e.value from jsonb_each_text(coalesce(new.sections, '{}'::jsonb)) e;
  return new;
end $$;
create trigger answers_insert instead of insert on answers for each row execute function answers_insert();
