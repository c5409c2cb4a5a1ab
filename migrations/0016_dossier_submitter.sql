-- Who submitted a dossier online, next to whom it is for. An online dossier carries the verified
-- identity of the account that sent it (its CCCD or tax code, and its name); when that account
-- submits for someone else (nộp thay), `on_behalf` is 1 and the applicant_* columns hold the other
-- person. NULL for dossiers taken at the counter or by post.
ALTER TABLE dossiers ADD COLUMN submitter_kind INTEGER;
ALTER TABLE dossiers ADD COLUMN submitter_name TEXT;
ALTER TABLE dossiers ADD COLUMN submitter_id_number TEXT;
ALTER TABLE dossiers ADD COLUMN on_behalf INTEGER NOT NULL DEFAULT 0 CHECK (on_behalf IN (0, 1));

-- Dossiers submitted online before this were sent by their account: it is their submitter.
UPDATE dossiers SET
  submitter_kind = (SELECT CASE u.kind WHEN 'business' THEN 2 ELSE 1 END
                    FROM users u WHERE u.id = dossiers.applicant_user_id),
  submitter_name = (SELECT u.full_name FROM users u WHERE u.id = dossiers.applicant_user_id),
  submitter_id_number = (SELECT u.login FROM users u WHERE u.id = dossiers.applicant_user_id)
WHERE applicant_user_id IS NOT NULL;
