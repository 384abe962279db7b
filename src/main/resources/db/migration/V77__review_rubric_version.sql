-- The version of the rubric a submitted review used: a hash of the rubric alone (criteria, weights, levels,
-- descriptors and anchors), so that agreement is computed per rubric version and an edited rubric starts afresh
-- (issue 24). Reviews submitted before this column existed used their item's exercise version's rubric; the
-- application derives it from there when the column is empty.
alter table reviews add column rubric_version text;
