\set id random(1, 10000)
insert into bench_answers (id, rev, body) values (:id, (extract(epoch from clock_timestamp()) * 1000000)::bigint, jsonb_build_object('summary', repeat('Markdown autosave text with code, emphasis and a list. ', 36)))
on conflict (id) do update set rev = excluded.rev, body = excluded.body, saved_at = now() where bench_answers.rev < excluded.rev;
