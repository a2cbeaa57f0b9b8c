-- 001: the organisation tree, grids and party organisations.
--
-- Levels: subdistrict > community > courtyard > building > unit (optional) > household.
-- node_closure holds one row per (ancestor, descendant) pair, the node itself included
-- at depth 0, so "everything under N" is one indexed range on (ancestor, depth).

-- dialect: postgresql
-- SQLite's instr(), which the name searches use (no LIKE wildcards to escape).
CREATE FUNCTION instr(haystack TEXT, needle TEXT) RETURNS INTEGER LANGUAGE sql IMMUTABLE STRICT
	AS 'SELECT strpos(haystack, needle)';
-- dialect: all

CREATE TABLE nodes (
	id             INTEGER PRIMARY KEY,
	subdistrict_id INTEGER REFERENCES nodes(id),
	parent_id      INTEGER REFERENCES nodes(id),
	level          TEXT    NOT NULL CHECK (level IN ('subdistrict','community','courtyard','building','unit','household')),
	kind           TEXT,
	name           TEXT    NOT NULL,
	code           TEXT    NOT NULL UNIQUE,
	address        TEXT,
	lat            DOUBLE PRECISION,
	lng            DOUBLE PRECISION,
	created_at     TEXT    NOT NULL,
	updated_at     TEXT    NOT NULL
);
CREATE INDEX nodes_parent ON nodes(parent_id, name);
CREATE INDEX nodes_level ON nodes(level, subdistrict_id);
CREATE INDEX nodes_name ON nodes(name);

CREATE TABLE node_closure (
	ancestor_id   INTEGER NOT NULL REFERENCES nodes(id),
	descendant_id INTEGER NOT NULL REFERENCES nodes(id),
	depth         INTEGER NOT NULL,
	PRIMARY KEY (ancestor_id, descendant_id)
);
CREATE INDEX node_closure_desc ON node_closure(descendant_id, depth);

-- Renames, moves and other changes, append-only.
CREATE TABLE node_history (
	id            INTEGER PRIMARY KEY,
	node_id       INTEGER NOT NULL REFERENCES nodes(id),
	at            TEXT    NOT NULL,
	action        TEXT    NOT NULL CHECK (action IN ('create','rename','move','update')),
	old_parent_id INTEGER,
	new_parent_id INTEGER,
	old_name      TEXT,
	new_name      TEXT,
	detail        TEXT
);
CREATE INDEX node_history_node ON node_history(node_id, id);

-- Grids (网格): a 15-digit code, 6 county + 3 subdistrict + 3 community + 3 grid,
-- drawn over nodes of one community.
CREATE TABLE grids (
	id             INTEGER PRIMARY KEY,
	subdistrict_id INTEGER NOT NULL REFERENCES nodes(id),
	community_id   INTEGER NOT NULL REFERENCES nodes(id),
	code           TEXT    NOT NULL UNIQUE,
	name           TEXT    NOT NULL,
	created_at     TEXT    NOT NULL,
	updated_at     TEXT    NOT NULL
);
CREATE INDEX grids_community ON grids(community_id);

CREATE TABLE grid_nodes (
	grid_id INTEGER NOT NULL REFERENCES grids(id),
	node_id INTEGER NOT NULL REFERENCES nodes(id),
	PRIMARY KEY (grid_id, node_id)
);
CREATE INDEX grid_nodes_node ON grid_nodes(node_id);

-- The party organisation of a node: at most one per node, its kind fixed by the level.
CREATE TABLE party_orgs (
	id                  INTEGER PRIMARY KEY,
	subdistrict_id      INTEGER NOT NULL REFERENCES nodes(id),
	node_id             INTEGER NOT NULL UNIQUE REFERENCES nodes(id),
	kind                TEXT    NOT NULL CHECK (kind IN ('working_committee','general_branch','courtyard_branch','building_group','central_household')),
	name                TEXT    NOT NULL,
	secretary_person_id INTEGER,
	founded_on          TEXT,
	created_at          TEXT    NOT NULL,
	updated_at          TEXT    NOT NULL
);
