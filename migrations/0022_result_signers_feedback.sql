-- Who signed a result file, as the signatures say (the signing module reads them when the result
-- is issued): the applicant sees "Đã ký số bởi …" beside "Tải kết quả" without the page having
-- to fetch and verify the file. Empty for other files and unsigned results.
ALTER TABLE dossier_files ADD COLUMN signed_by TEXT NOT NULL DEFAULT '';

-- Feedback (phản ánh, kiến nghị) sent from the portal, by anyone: kept for the officers who
-- answer it (NĐ 20/2008 on receiving people's feedback on administrative rules). user_id is the
-- account when signed in, without a key to it; client_ip for the rate limit's audit trail.
CREATE TABLE feedback (
  id {{id}},
  created_at BIGINT NOT NULL,
  kind TEXT NOT NULL,                    -- phan_anh (a complaint about how it went) or kien_nghi
  name TEXT NOT NULL,
  contact TEXT NOT NULL,                 -- e-mail or phone, to answer
  subject TEXT NOT NULL,
  content TEXT NOT NULL,
  dossier_ref TEXT NOT NULL,             -- a reference or dossier code it is about, or ''
  user_id BIGINT,
  client_ip TEXT NOT NULL
);
CREATE INDEX feedback_created ON feedback (created_at);
