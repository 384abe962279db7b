-- V42's gameday_word_count wrote the vertical tab as E'\v', an escape Postgres does not have: it reads as the letter
-- 'v', so every 'v' split a word ("love lives" counted 4 words) and a real vertical tab did not. The class now names
-- the vertical tab by its code (\x0B), and every stored count is recomputed.
create or replace function gameday_word_count(t text) returns int language sql immutable parallel safe as $$
  select case when btrim(coalesce(t, ''), E' \t\n\r\f\x0B') = '' then 0
              else coalesce(array_length(regexp_split_to_array(btrim(t, E' \t\n\r\f\x0B'), E'[ \t\n\r\f\x0B]+'), 1), 0) end
$$;
update answers a set word_counts = coalesce((select jsonb_object_agg(e.key, gameday_word_count(e.value))
                                               from jsonb_each_text(a.sections) e), '{}'::jsonb)
 where a.sections::text ~ '[vV]|\\u000b';
