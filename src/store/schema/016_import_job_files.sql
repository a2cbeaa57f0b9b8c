-- 016: an import job's file in a table of its own.  In import_jobs the file (up to --max-body) sat in the
-- row that every chunk's progress update rewrites, and before the columns every poll reads: SQLite
-- rewrites and walks a row's overflow pages whole, so a 20 MB file cost 20 MB of I/O per chunk and per
-- poll, and a 100,000-row import slowed as it went.  The file is written once, read once by the claim,
-- and deleted when the job ends.
CREATE TABLE import_job_files (
	job_id  INTEGER NOT NULL PRIMARY KEY REFERENCES import_jobs(id),
	body    BLOB    NOT NULL
);
INSERT INTO import_job_files (job_id, body) SELECT id, body FROM import_jobs WHERE body IS NOT NULL;
UPDATE import_jobs SET body = NULL WHERE body IS NOT NULL;
