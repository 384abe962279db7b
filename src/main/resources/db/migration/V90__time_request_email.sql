-- A candidate's request for more time reaches the recruiter by email too (issue 20, defect 4), through the same outbox.
alter table email_outbox drop constraint email_outbox_kind_check;
alter table email_outbox add constraint email_outbox_kind_check
  check (kind in ('invitation', 'reminder', 'receipt', 'password-reset', 'time-request'));
