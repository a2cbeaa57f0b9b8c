-- 003: accounts, access roles and permissions, sessions, login throttling, API tokens, audit log.

-- Access roles are what a user may do; org roles (building head ...) are what a person is.
CREATE TABLE access_roles (
	code       TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	name_en    TEXT NOT NULL,
	needs_scope INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE role_permissions (
	role_code  TEXT NOT NULL REFERENCES access_roles(code),
	permission TEXT NOT NULL,
	PRIMARY KEY (role_code, permission)
);

CREATE TABLE users (
	id                   INTEGER PRIMARY KEY,
	subdistrict_id       INTEGER REFERENCES nodes(id),
	login                TEXT    NOT NULL UNIQUE,
	display_name         TEXT,
	person_id            INTEGER REFERENCES persons(id),
	password_hash        TEXT    NOT NULL,
	role                 TEXT    NOT NULL REFERENCES access_roles(code),
	scope_node_id        INTEGER REFERENCES nodes(id),
	must_change_password INTEGER NOT NULL DEFAULT 1,
	disabled             INTEGER NOT NULL DEFAULT 0,
	password_changed_at  TEXT,
	last_login_at        TEXT,
	created_at           TEXT    NOT NULL,
	updated_at           TEXT    NOT NULL
);

-- Sessions: only a hash of the 256-bit token is stored.
CREATE TABLE sessions (
	id           INTEGER PRIMARY KEY,
	token_hash   TEXT    NOT NULL UNIQUE,
	user_id      INTEGER NOT NULL REFERENCES users(id),
	csrf_token   TEXT    NOT NULL,
	remote       TEXT,
	created_at   INTEGER NOT NULL,
	last_seen_at INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL,
	revoked      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed logins per account ('user:LOGIN') and per source address ('addr:IP').
CREATE TABLE login_throttle (
	key          TEXT PRIMARY KEY,
	failures     INTEGER NOT NULL,
	first_at     INTEGER NOT NULL,
	locked_until INTEGER NOT NULL DEFAULT 0
);

-- API tokens for integrations (the 12345 hotline bridge ...): own permissions, scope and expiry.
CREATE TABLE api_tokens (
	id            INTEGER PRIMARY KEY,
	name          TEXT    NOT NULL,
	token_hash    TEXT    NOT NULL UNIQUE,
	permissions   TEXT    NOT NULL,
	scope_node_id INTEGER REFERENCES nodes(id),
	expires_at    INTEGER NOT NULL,
	created_by    INTEGER NOT NULL REFERENCES users(id),
	created_at    TEXT    NOT NULL,
	revoked_at    TEXT,
	last_used_at  TEXT
);

-- The audit log: append-only and hash-chained (hash = SHA-256 of the previous hash and this row).
CREATE TABLE audit_log (
	id          INTEGER PRIMARY KEY,
	at          TEXT    NOT NULL,
	user_id     INTEGER,
	login       TEXT,
	remote      TEXT,
	action      TEXT    NOT NULL,
	object_type TEXT,
	object_id   TEXT,
	result      TEXT    NOT NULL CHECK (result IN ('success','failure','denied')),
	detail      TEXT,
	prev_hash   TEXT    NOT NULL,
	hash        TEXT    NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_user ON audit_log(user_id, id);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id);

-- dialect: sqlite
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
-- dialect: postgresql
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
-- dialect: all

INSERT INTO access_roles (code, name, name_en, needs_scope) VALUES
 ('admin',               '系统管理员',   'administrator',        0),
 ('auditor',             '安全审计员',   'auditor',              0),
 ('subdistrict_staff',   '街道工作人员', 'subdistrict staff',    1),
 ('community_staff',     '社区工作人员', 'community staff',      1),
 ('courtyard_secretary', '院落党支部书记', 'courtyard secretary', 1),
 ('grid_member',         '网格员',       'grid member',          1),
 ('mobile_grid_member',  '流动网格员',   'mobile grid member',   1);

INSERT INTO role_permissions (role_code, permission) VALUES
 ('admin', 'org.read'), ('admin', 'org.write'), ('admin', 'org.import'), ('admin', 'org.export'),
 ('admin', 'people.read'), ('admin', 'people.write'), ('admin', 'people.import'), ('admin', 'people.export'),
 ('admin', 'people.reveal'), ('admin', 'users.read'), ('admin', 'users.admin'), ('admin', 'tokens.admin'),
 ('auditor', 'audit.read'), ('auditor', 'users.read'),
 ('subdistrict_staff', 'org.read'), ('subdistrict_staff', 'org.write'), ('subdistrict_staff', 'org.import'),
 ('subdistrict_staff', 'org.export'), ('subdistrict_staff', 'people.read'), ('subdistrict_staff', 'people.write'),
 ('subdistrict_staff', 'people.import'), ('subdistrict_staff', 'people.export'), ('subdistrict_staff', 'people.reveal'),
 ('community_staff', 'org.read'), ('community_staff', 'org.write'), ('community_staff', 'org.export'),
 ('community_staff', 'people.read'), ('community_staff', 'people.write'), ('community_staff', 'people.import'),
 ('community_staff', 'people.export'), ('community_staff', 'people.reveal'),
 ('courtyard_secretary', 'org.read'), ('courtyard_secretary', 'people.read'), ('courtyard_secretary', 'people.write'),
 ('grid_member', 'org.read'), ('grid_member', 'people.read');
