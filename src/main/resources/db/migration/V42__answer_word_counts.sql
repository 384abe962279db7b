-- Words written per section, kept beside the text (issue 14): the candidate's overview and every candidate page
-- count words for all exercises, which meant reading every answer's full text. The save writes the counts of the
-- sections it sends (merged like the text), so a page reads a few numbers instead of ~10 KB of Markdown per exercise.
create function gameday_word_count(t text) returns int language sql immutable parallel safe as $$
  select case when btrim(coalesce(t, ''), E' \t\n\r\f\v') = '' then 0
              else coalesce(array_length(regexp_split_to_array(btrim(t, E' \t\n\r\f\v'), E'[ \t\n\r\f\v]+'), 1), 0) end
$$;
alter table answers add column word_counts jsonb not null default '{}'::jsonb;
update answers a set word_counts = coalesce((select jsonb_object_agg(e.key, gameday_word_count(e.value))
                                               from jsonb_each_text(a.sections) e), '{}'::jsonb);
