-- 051: mediation cases (民事调解, issue 17 part 5) and 红白理事会 filings.  A case: where the dispute is
-- (a node), its kind, a mediator, the parties (a person of the register or a free name; a phone as
-- personal data), sessions with notes, and its end: settled with an agreement at a level (courtyard,
-- community, above — "矛盾不出社区" as a number), referred elsewhere, or withdrawn.  The summary, the
-- session notes and the agreement are sensitive text: stored encrypted (auth/pii.h) and shown only to
-- holders of mediation.read; lists show the parties' names masked.  A case may come from a work order of
-- the 邻里纠纷 kind (work_order_id).  Every row carries its subdistrict (the shard key).

CREATE TABLE mediation_cases (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	node_id         INTEGER NOT NULL REFERENCES nodes(id),
	kind            TEXT    NOT NULL CHECK (kind IN ('neighbours','family','property','rent','debt','other')),
	summary_enc     TEXT    NOT NULL,				-- sensitive: encrypted
	mediator_user_id INTEGER REFERENCES users(id),
	mediator_name   TEXT,
	opened_on       TEXT    NOT NULL,
	status          TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open','settled','referred','withdrawn')),
	settled_level   TEXT    CHECK (settled_level IN ('courtyard','community','above')),
	agreement_enc   TEXT,						-- sensitive: encrypted
	referred_to     TEXT,
	closed_on       TEXT,
	work_order_id   INTEGER REFERENCES work_orders(id),
	created_by      INTEGER REFERENCES users(id),
	created_at      TEXT    NOT NULL,
	CHECK ((status = 'settled') = (settled_level IS NOT NULL)),
	CHECK (status <> 'settled' OR agreement_enc IS NOT NULL),
	CHECK (status <> 'referred' OR referred_to IS NOT NULL),
	CHECK ((status = 'open') = (closed_on IS NULL)),
	CHECK (closed_on IS NULL OR closed_on >= opened_on)
);
CREATE INDEX mediation_cases_node ON mediation_cases(node_id, id);
CREATE UNIQUE INDEX mediation_cases_order ON mediation_cases(work_order_id) WHERE work_order_id IS NOT NULL;

CREATE TABLE mediation_parties (
	id          INTEGER PRIMARY KEY,
	case_id     INTEGER NOT NULL REFERENCES mediation_cases(id),
	person_id   INTEGER REFERENCES persons(id),
	name        TEXT    NOT NULL,
	role        TEXT    NOT NULL CHECK (role IN ('applicant','respondent','other')),
	phone_enc   TEXT,
	created_at  TEXT    NOT NULL
);
CREATE INDEX mediation_parties_case ON mediation_parties(case_id, id);

CREATE TABLE mediation_sessions (
	id          INTEGER PRIMARY KEY,
	case_id     INTEGER NOT NULL REFERENCES mediation_cases(id),
	held_on     TEXT    NOT NULL,
	notes_enc   TEXT    NOT NULL,					-- sensitive: encrypted
	by_user_id  INTEGER REFERENCES users(id),
	created_at  TEXT    NOT NULL
);
CREATE INDEX mediation_sessions_case ON mediation_sessions(case_id, id);

-- 红白理事会: a wedding or a funeral filed with its day, scale and the frugality pledge.
CREATE TABLE red_white_filings (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	node_id         INTEGER NOT NULL REFERENCES nodes(id),
	kind            TEXT    NOT NULL CHECK (kind IN ('wedding','funeral')),
	held_on         TEXT    NOT NULL,
	family_name     TEXT    NOT NULL,
	tables          INTEGER NOT NULL CHECK (tables BETWEEN 0 AND 200),
	frugal_pledge   INTEGER NOT NULL CHECK (frugal_pledge IN (0, 1)),
	created_by      INTEGER REFERENCES users(id),
	created_at      TEXT    NOT NULL
);
CREATE INDEX red_white_filings_node ON red_white_filings(node_id, held_on);
