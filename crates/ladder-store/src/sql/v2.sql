-- Schema 2: exports of any format (reports in HTML, PDF, CSV, JSON) are remembered with the
-- SHA-256 of what was written, so deleting a learner deletes them only while they are unchanged.
ALTER TABLE exports ADD COLUMN sha256 TEXT;
