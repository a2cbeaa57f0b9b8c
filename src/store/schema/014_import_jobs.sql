-- 014: imports as background jobs (src/csvio/import_job.c): the file is kept until a server's job
-- thread runs it, off the request path; the hotline file in bounded chunks (validated whole first),
-- the others in one transaction.  Progress: rows_checked (the validation pass, a small write every
-- 250 rows) and rows_done (written, with each chunk) of rows_total.
-- The actor is a snapshot of who submitted it (login, role, scope, permissions as they were).
-- A server takes a job with a lease (lease_owner, lease_until: unix seconds), renewed by its chunks;
-- a job whose server died is taken again (a hotline number already imported counts as unchanged).
CREATE TABLE import_jobs (
	id            INTEGER PRIMARY KEY,
	kind          TEXT    NOT NULL CHECK (kind IN ('hotline','nodes','persons')),
	state         TEXT    NOT NULL CHECK (state IN ('queued','running','done','failed')),
	dry_run       INTEGER NOT NULL DEFAULT 0,
	all_or_nothing INTEGER NOT NULL DEFAULT 0,
	body          BLOB,
	bytes         INTEGER NOT NULL,
	rows_total    INTEGER NOT NULL DEFAULT 0,
	rows_checked  INTEGER NOT NULL DEFAULT 0,
	rows_done     INTEGER NOT NULL DEFAULT 0,
	result        TEXT,
	user_id       INTEGER,
	login         TEXT    NOT NULL,
	role          TEXT    NOT NULL,
	scope_node_id INTEGER,
	permissions   TEXT    NOT NULL,
	remote        TEXT,
	lease_owner   TEXT,
	lease_until   INTEGER,
	created_at    INTEGER NOT NULL,
	started_at    INTEGER,
	finished_at   INTEGER
);
CREATE INDEX import_jobs_state ON import_jobs(state, id);
CREATE INDEX import_jobs_user ON import_jobs(user_id, id);

-- import.jobs: seeing one's own import jobs (an unscoped administrator: everyone's), held by whoever may
-- import anything.
INSERT INTO role_permissions (role_code, permission)
	SELECT DISTINCT role_code, 'import.jobs' FROM role_permissions
	WHERE permission IN ('workorder.dispatch', 'org.import', 'people.import');
