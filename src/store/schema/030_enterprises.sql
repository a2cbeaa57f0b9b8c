-- 030: enterprise service (src/enterprise/, issue 15): the register of enterprises with their status
-- history and contacts, the cadres who answer for each (帮包 leader, service officer) with dated history,
-- and the problems enterprises raise, each due on the shared time-node engine (011) as kind
-- 'enterprise_problem'.  Every row carries its subdistrict.

-- The register.  node_id places the enterprise on the tree (its community, courtyard, park or building);
-- credit_code is the GB 32100 unified social credit code, checked in src/util/check.c.
CREATE TABLE enterprises (
	id                INTEGER PRIMARY KEY,
	subdistrict_id    INTEGER NOT NULL REFERENCES nodes(id),
	node_id           INTEGER NOT NULL REFERENCES nodes(id),
	credit_code       TEXT    NOT NULL UNIQUE,
	name              TEXT    NOT NULL,
	legal_rep         TEXT,
	industry_code     TEXT,				-- GB/T 4754 national industry classification: C2614
	industry_name     TEXT,
	size              TEXT    NOT NULL DEFAULT 'small' CHECK (size IN ('large','medium','small','micro')),
	address           TEXT,
	above_scale       INTEGER NOT NULL DEFAULT 0 CHECK (above_scale IN (0, 1)),
	above_scale_since TEXT,				-- YYYY-MM: the month it became above-scale (规模以上)
	status            TEXT    NOT NULL DEFAULT 'operating'
	                  CHECK (status IN ('operating','suspended','closed','moved_out')),
	created_at        TEXT    NOT NULL,
	updated_at        TEXT    NOT NULL,
	CHECK (above_scale = 1 OR above_scale_since IS NULL)
);
CREATE INDEX enterprises_node ON enterprises(node_id);
-- "new above-scale enterprises this year": a range of months in one subdistrict.
CREATE INDEX enterprises_above_scale ON enterprises(subdistrict_id, above_scale_since) WHERE above_scale = 1;

-- Status history: append-only, one row per status the enterprise entered (the first at registration).
CREATE TABLE enterprise_status_history (
	id             INTEGER PRIMARY KEY,
	subdistrict_id INTEGER NOT NULL REFERENCES nodes(id),
	enterprise_id  INTEGER NOT NULL REFERENCES enterprises(id),
	status         TEXT    NOT NULL CHECK (status IN ('operating','suspended','closed','moved_out')),
	since          TEXT    NOT NULL,			-- YYYY-MM-DD
	reason         TEXT,
	user_id        INTEGER REFERENCES users(id),
	created_at     TEXT    NOT NULL
);
CREATE INDEX enterprise_status_history_enterprise ON enterprise_status_history(enterprise_id, id);

-- Contacts: the phone is personal data, sealed as persons' phones are (auth/pii.h), with a keyed hash.
CREATE TABLE enterprise_contacts (
	id             INTEGER PRIMARY KEY,
	subdistrict_id INTEGER NOT NULL REFERENCES nodes(id),
	enterprise_id  INTEGER NOT NULL REFERENCES enterprises(id),
	name           TEXT    NOT NULL,
	title          TEXT,
	phone_enc      TEXT,
	phone_hash     TEXT,
	created_at     TEXT    NOT NULL
);
CREATE INDEX enterprise_contacts_enterprise ON enterprise_contacts(enterprise_id, id);
CREATE INDEX enterprise_contacts_phone ON enterprise_contacts(phone_hash);

-- Cadres: who answered for an enterprise in which period.  At most one open row per enterprise and
-- role: assigning a new one ends the last on the day before the new one starts.
CREATE TABLE enterprise_cadres (
	id             INTEGER PRIMARY KEY,
	subdistrict_id INTEGER NOT NULL REFERENCES nodes(id),
	enterprise_id  INTEGER NOT NULL REFERENCES enterprises(id),
	role           TEXT    NOT NULL CHECK (role IN ('leader','officer')),	-- 帮包领导, 企业服务专员
	user_id        INTEGER NOT NULL REFERENCES users(id),
	starts_on      TEXT    NOT NULL,
	ends_on        TEXT,
	created_at     TEXT    NOT NULL,
	CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX enterprise_cadres_enterprise ON enterprise_cadres(enterprise_id, role, starts_on);
CREATE INDEX enterprise_cadres_user ON enterprise_cadres(user_id, starts_on);

-- Problems an enterprise raises: a responsible unit (an org node) and person, a deadline kept by the
-- time node of kind 'enterprise_problem' (ref_id = the problem's id), progress notes, and closing with
-- evidence and the enterprise's satisfaction.
CREATE TABLE enterprise_problems (
	id             INTEGER PRIMARY KEY,
	subdistrict_id INTEGER NOT NULL REFERENCES nodes(id),
	enterprise_id  INTEGER NOT NULL REFERENCES enterprises(id),
	category       TEXT    NOT NULL CHECK (category IN ('financing','land','labour','approvals','utilities',
	                                                    'logistics','other')),
	description    TEXT    NOT NULL,
	unit_node_id   INTEGER NOT NULL REFERENCES nodes(id),
	owner_user_id  INTEGER REFERENCES users(id),
	raised_on      TEXT    NOT NULL,			-- YYYY-MM-DD
	state          TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open','closed')),
	closed_at      TEXT,
	evidence       TEXT,
	satisfaction   TEXT    CHECK (satisfaction IN ('satisfied','basically_satisfied','dissatisfied')),
	created_by     INTEGER REFERENCES users(id),
	created_at     TEXT    NOT NULL,
	updated_at     TEXT    NOT NULL,
	CHECK (state = 'open' OR (closed_at IS NOT NULL AND evidence IS NOT NULL))
);
CREATE INDEX enterprise_problems_enterprise ON enterprise_problems(enterprise_id, id);
CREATE INDEX enterprise_problems_unit ON enterprise_problems(unit_node_id, state);

CREATE TABLE enterprise_problem_notes (
	id             INTEGER PRIMARY KEY,
	subdistrict_id INTEGER NOT NULL REFERENCES nodes(id),
	problem_id     INTEGER NOT NULL REFERENCES enterprise_problems(id),
	at             TEXT    NOT NULL,
	user_id        INTEGER REFERENCES users(id),
	note           TEXT    NOT NULL
);
CREATE INDEX enterprise_problem_notes_problem ON enterprise_problem_notes(problem_id, id);

-- Who may: subdistrict staff serve enterprises (the economic, statistics and finance offices sit at the
-- subdistrict); community staff see the enterprises of their community.
INSERT INTO role_permissions (role_code, permission) VALUES
 ('admin', 'enterprise.read'), ('admin', 'enterprise.write'), ('admin', 'enterprise.reveal'),
 ('subdistrict_staff', 'enterprise.read'), ('subdistrict_staff', 'enterprise.write'),
 ('subdistrict_staff', 'enterprise.reveal'),
 ('community_staff', 'enterprise.read');
