-- 002: persons, the role dictionary, role sets, assignments and central-household care.
--
-- Portable SQL (SQLite and PostgreSQL).  Rows that belong to a place carry its
-- subdistrict_id (the shard key); the role dictionary and role sets are shared.
-- Dates are 'YYYY-MM-DD' text, so comparing them as text orders them by day.

CREATE TABLE persons (
	id                 INTEGER PRIMARY KEY,
	subdistrict_id     INTEGER REFERENCES nodes(id),
	name               TEXT    NOT NULL,
	-- Personal data (PIPL): encrypted with the key file's key (src/auth/pii.c); a keyed
	-- hash beside a value finds it by exact match.  The database alone reveals none of it.
	phone_enc          TEXT,
	phone_hash         TEXT,
	id_number_enc      TEXT,
	id_number_hash     TEXT,
	-- Sensitive personal data: health, disability, low-income and key-person status.
	health_enc         TEXT,
	disability_enc     TEXT,
	low_income_enc     TEXT,
	key_person_enc     TEXT,
	gender             TEXT    CHECK (gender IN ('male','female')),
	birth_year         INTEGER,
	home_node_id       INTEGER REFERENCES nodes(id),
	party_member       INTEGER NOT NULL DEFAULT 0 CHECK (party_member IN (0,1)),
	-- 双找: the branch holding the membership and the branch where the member lives.
	member_org_id      INTEGER REFERENCES party_orgs(id),
	member_org_name    TEXT,
	living_org_id      INTEGER REFERENCES party_orgs(id),
	registered_on      TEXT,
	created_at         TEXT    NOT NULL,
	updated_at         TEXT    NOT NULL
);
CREATE INDEX persons_home ON persons(home_node_id);
CREATE INDEX persons_name ON persons(name);
CREATE INDEX persons_phone ON persons(phone_hash);
-- One person per resident ID.
CREATE UNIQUE INDEX persons_id_number ON persons(id_number_hash);
CREATE INDEX persons_living_org ON persons(living_org_id);
CREATE INDEX persons_subdistrict ON persons(subdistrict_id, id);

CREATE TABLE person_tags (
	person_id INTEGER NOT NULL REFERENCES persons(id),
	tag       TEXT    NOT NULL,
	PRIMARY KEY (person_id, tag)
);
CREATE INDEX person_tags_tag ON person_tags(tag);

-- The role dictionary is data.  levels: comma-separated node levels where the role
-- may be held; needs_platform: a mobile grid member names the courier or rider
-- platform.
CREATE TABLE roles (
	id             INTEGER PRIMARY KEY,
	code           TEXT    NOT NULL UNIQUE,
	name           TEXT    NOT NULL,
	name_en        TEXT,
	levels         TEXT    NOT NULL,
	needs_platform INTEGER NOT NULL DEFAULT 0 CHECK (needs_platform IN (0,1)),
	active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
	created_at     TEXT    NOT NULL,
	updated_at     TEXT    NOT NULL
);

CREATE TABLE role_sets (
	id         INTEGER PRIMARY KEY,
	code       TEXT    NOT NULL UNIQUE,
	name       TEXT    NOT NULL,
	created_at TEXT    NOT NULL,
	updated_at TEXT    NOT NULL
);

CREATE TABLE role_set_members (
	set_id  INTEGER NOT NULL REFERENCES role_sets(id),
	role_id INTEGER NOT NULL REFERENCES roles(id),
	PRIMARY KEY (set_id, role_id)
);

CREATE TABLE role_assignments (
	id             INTEGER PRIMARY KEY,
	subdistrict_id INTEGER NOT NULL REFERENCES nodes(id),
	person_id      INTEGER NOT NULL REFERENCES persons(id),
	role_id        INTEGER NOT NULL REFERENCES roles(id),
	node_id        INTEGER NOT NULL REFERENCES nodes(id),
	starts_on      TEXT    NOT NULL,
	ends_on        TEXT    CHECK (ends_on IS NULL OR ends_on >= starts_on),
	worker_type    TEXT    CHECK (worker_type IN ('courier','rider')),
	platform       TEXT,
	note           TEXT,
	created_at     TEXT    NOT NULL,
	updated_at     TEXT    NOT NULL
);
-- (node_id, role_id, starts_on): the coverage report asks "is there a building head
-- on this building on that day" once per building, inside one query.
CREATE INDEX role_assignments_node ON role_assignments(node_id, role_id, starts_on);
CREATE INDEX role_assignments_person ON role_assignments(person_id, role_id, node_id);
CREATE INDEX role_assignments_role ON role_assignments(role_id, node_id);

-- A party-member central household (a household node) looks after neighbouring
-- households; a household is looked after by one central household at a time.
CREATE TABLE household_care (
	id                   INTEGER PRIMARY KEY,
	subdistrict_id       INTEGER NOT NULL REFERENCES nodes(id),
	central_household_id INTEGER NOT NULL REFERENCES nodes(id),
	household_id         INTEGER NOT NULL REFERENCES nodes(id),
	starts_on            TEXT    NOT NULL,
	ends_on              TEXT    CHECK (ends_on IS NULL OR ends_on >= starts_on),
	created_at           TEXT    NOT NULL,
	updated_at           TEXT    NOT NULL,
	CHECK (central_household_id <> household_id)
);
CREATE INDEX household_care_central ON household_care(central_household_id, ends_on);
CREATE INDEX household_care_household ON household_care(household_id, ends_on);
-- One open link per household, also when two writers race (partial indexes: both backends).
CREATE UNIQUE INDEX household_care_open ON household_care(household_id) WHERE ends_on IS NULL;

INSERT INTO roles (code, name, name_en, levels, needs_platform, created_at, updated_at) VALUES
 ('branch_secretary',   '支部书记',     'branch secretary',         'subdistrict,community,courtyard', 0, '1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'),
 ('courtyard_head',     '院落长',       'courtyard head',           'courtyard',                       0, '1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'),
 ('building_head',      '楼长',         'building head',            'building',                        0, '1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'),
 ('unit_head',          '单元长',       'unit head',                'unit,building',                   0, '1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'),
 ('grid_member',        '网格员',       'grid member',              'community,courtyard',             0, '1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'),
 ('mobile_grid_member', '流动网格员',   'mobile grid member',       'community',                       1, '1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'),
 ('mediator',           '调解员',       'mediator',                 'community,courtyard',             0, '1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'),
 ('volunteer',          '志愿者',       'volunteer',                'community,courtyard',             0, '1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'),
 ('central_household',  '党员中心户',   'party-member central household', 'household',                 0, '1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'),
 ('propagandist',       '宣传员',       'publicity officer',        'courtyard',                       0, '1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'),
 ('safety_officer',     '安全员',       'safety officer',           'courtyard',                       0, '1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'),
 ('sanitation_officer', '卫生监督员',   'sanitation officer',       'courtyard',                       0, '1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z');

INSERT INTO role_sets (code, name, created_at, updated_at) VALUES
 ('san_zhang_si_yuan', '三长四员', '1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z');

INSERT INTO role_set_members (set_id, role_id)
 SELECT s.id, r.id FROM role_sets s, roles r
 WHERE s.code = 'san_zhang_si_yuan'
   AND r.code IN ('courtyard_head','building_head','unit_head','propagandist','mediator','safety_officer','sanitation_officer');
