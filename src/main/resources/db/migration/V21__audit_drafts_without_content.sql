-- Drafts are never shown to anyone else, yet until this version the audit log kept every saved draft's levels,
-- notes and recommendation, readable by admins. Keep that a draft was saved (who, which answer, when), drop what
-- it said. This is the one change ever made to existing audit rows; submitted reviews keep their content.
update audit_log set detail = '{}'::jsonb where action = 'review.draft_saved' and detail <> '{}'::jsonb;
