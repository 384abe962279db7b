-- Each invitation sees its own variant of every exercise (exercises/README.md, "variants"). Invitations that exist
-- already keep seed 0, the library as written, which is what their candidates have been reading; new invitations
-- draw a seed at creation.
alter table invitations add column variant_seed bigint not null default 0;
alter table invitations alter column variant_seed set default (1 + floor(random() * 2147483646))::bigint;
