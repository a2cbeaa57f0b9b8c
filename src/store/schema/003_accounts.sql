-- 003: accounts.  The first administrator is created by `yuanluo init`.
CREATE TABLE users (
	id                   INTEGER PRIMARY KEY,
	login                TEXT    NOT NULL UNIQUE,
	person_id            INTEGER REFERENCES persons(id),
	password_hash        TEXT    NOT NULL,
	role                 TEXT    NOT NULL,
	scope_node_id        INTEGER REFERENCES nodes(id),
	must_change_password INTEGER NOT NULL DEFAULT 1,
	disabled             INTEGER NOT NULL DEFAULT 0,
	created_at           TEXT    NOT NULL,
	updated_at           TEXT    NOT NULL
);
