-- 050: courtyard councils (小区议事会, issue 17; DOMAIN.md "Community life"): the council on a courtyard or
-- community with its members by seat and term, the courtyard's parties (物业 property company, 业委会 owners'
-- committee: "三位一体"), meetings with agenda, attendance and minutes, proposals with supports and votes,
-- the result with its counts, and resolutions, each a time node of the shared engine (011, kind
-- council_resolution) that may spawn a work order (linked both ways: the resolution keeps the order's id,
-- the order is found by it).  The notice board (楼长公示栏): notices published to a node and everything
-- under it, shown on the public courtyard page.  Every row carries its subdistrict (the shard key).

CREATE TABLE councils (
	id                INTEGER PRIMARY KEY,
	subdistrict_id    INTEGER NOT NULL REFERENCES nodes(id),
	node_id           INTEGER NOT NULL REFERENCES nodes(id),	-- a courtyard or a community
	name              TEXT    NOT NULL,
	term_start        TEXT    NOT NULL,				-- YYYY-MM-DD
	term_end          TEXT    NOT NULL,
	quorum_percent    INTEGER NOT NULL DEFAULT 50 CHECK (quorum_percent BETWEEN 1 AND 100),
	pass_rule         TEXT    NOT NULL DEFAULT 'majority' CHECK (pass_rule IN ('simple','majority','two_thirds')),
	convenor_user_id  INTEGER REFERENCES users(id),			-- 召集人: overdue resolutions are carded to them
	created_at        TEXT    NOT NULL,
	updated_at        TEXT    NOT NULL,
	CHECK (term_end > term_start)
);
CREATE INDEX councils_node ON councils(node_id, id);

-- Members by seat, with joining and leaving (a member who left keeps their row: past votes name them).
-- A member with a login (user_id) may vote and support as themselves.
CREATE TABLE council_members (
	id           INTEGER PRIMARY KEY,
	council_id   INTEGER NOT NULL REFERENCES councils(id),
	name         TEXT    NOT NULL,
	seat         TEXT    NOT NULL CHECK (seat IN ('resident_rep','party_member','building_head','property',
	                                              'owners_committee','grid_member')),
	person_id    INTEGER REFERENCES persons(id),
	user_id      INTEGER REFERENCES users(id),
	phone_enc    TEXT,						-- personal data: encrypted, shown masked
	joined_on    TEXT    NOT NULL,
	left_on      TEXT,
	created_at   TEXT    NOT NULL,
	CHECK (left_on IS NULL OR left_on >= joined_on)
);
CREATE INDEX council_members_council ON council_members(council_id, id);
CREATE INDEX council_members_user ON council_members(user_id) WHERE user_id IS NOT NULL;

-- The courtyard's parties: its property company and owners' committee, with a contact (personal data).
CREATE TABLE courtyard_parties (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	node_id         INTEGER NOT NULL REFERENCES nodes(id),
	kind            TEXT    NOT NULL CHECK (kind IN ('property','owners_committee')),
	name            TEXT    NOT NULL,
	contact_name    TEXT,
	contact_phone_enc  TEXT,
	contact_phone_hash TEXT,
	created_at      TEXT    NOT NULL
);
CREATE INDEX courtyard_parties_node ON courtyard_parties(node_id, id);

-- Meetings: planned -> closed (only with minutes).  Attendance per member: present, absent, proxy (by
-- another member); present and proxy count towards the quorum.
CREATE TABLE council_meetings (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	council_id      INTEGER NOT NULL REFERENCES councils(id),
	held_on         TEXT    NOT NULL,
	place           TEXT,
	status          TEXT    NOT NULL DEFAULT 'planned' CHECK (status IN ('planned','closed')),
	minutes         TEXT,
	closed_at       TEXT,
	closed_by       INTEGER REFERENCES users(id),
	created_at      TEXT    NOT NULL,
	CHECK (status <> 'closed' OR minutes IS NOT NULL)
);
CREATE INDEX council_meetings_council ON council_meetings(council_id, held_on);

CREATE TABLE council_agenda_items (
	meeting_id  INTEGER NOT NULL REFERENCES council_meetings(id),
	seq         INTEGER NOT NULL,
	title       TEXT    NOT NULL,
	PRIMARY KEY (meeting_id, seq)
);

CREATE TABLE council_attendance (
	meeting_id      INTEGER NOT NULL REFERENCES council_meetings(id),
	member_id       INTEGER NOT NULL REFERENCES council_members(id),
	status          TEXT    NOT NULL CHECK (status IN ('present','absent','proxy')),
	proxy_member_id INTEGER REFERENCES council_members(id),
	PRIMARY KEY (meeting_id, member_id),
	CHECK ((status = 'proxy') = (proxy_member_id IS NOT NULL))
);

-- Proposals: from residents (through staff), members or staff; open -> voting (at a meeting or for a
-- period) -> passed / rejected / no_quorum, or withdrawn.  The result keeps its counts and the members
-- eligible then.
CREATE TABLE council_proposals (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	council_id      INTEGER NOT NULL REFERENCES councils(id),
	title           TEXT    NOT NULL,
	body            TEXT,
	source          TEXT    NOT NULL CHECK (source IN ('resident','member','staff')),
	proposer_name   TEXT,
	proposer_member_id INTEGER REFERENCES council_members(id),
	status          TEXT    NOT NULL DEFAULT 'open'
	                CHECK (status IN ('open','voting','passed','rejected','no_quorum','withdrawn')),
	meeting_id      INTEGER REFERENCES council_meetings(id),	-- voted at this meeting
	vote_closes_on  TEXT,						-- or open for a period until this day
	yes_count       INTEGER,
	no_count        INTEGER,
	abstain_count   INTEGER,
	eligible        INTEGER,
	decided_at      TEXT,
	created_by      INTEGER REFERENCES users(id),
	created_at      TEXT    NOT NULL
);
CREATE INDEX council_proposals_council ON council_proposals(council_id, id);

CREATE TABLE council_supports (
	id           INTEGER PRIMARY KEY,
	proposal_id  INTEGER NOT NULL REFERENCES council_proposals(id),
	member_id    INTEGER REFERENCES council_members(id),
	name         TEXT    NOT NULL,
	at           TEXT    NOT NULL
);
CREATE UNIQUE INDEX council_supports_member ON council_supports(proposal_id, member_id) WHERE member_id IS NOT NULL;

-- One member one vote.
CREATE TABLE council_votes (
	proposal_id  INTEGER NOT NULL REFERENCES council_proposals(id),
	member_id    INTEGER NOT NULL REFERENCES council_members(id),
	choice       TEXT    NOT NULL CHECK (choice IN ('yes','no','abstain')),
	by_user_id   INTEGER REFERENCES users(id),
	at           TEXT    NOT NULL,
	PRIMARY KEY (proposal_id, member_id)
);

-- Resolutions of a passed proposal: owner, due day (a time node), closed with evidence; may spawn a work
-- order.
CREATE TABLE council_resolutions (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	council_id      INTEGER NOT NULL REFERENCES councils(id),
	proposal_id     INTEGER NOT NULL REFERENCES council_proposals(id),
	content         TEXT    NOT NULL,
	owner_user_id   INTEGER NOT NULL REFERENCES users(id),
	assigned_on     TEXT    NOT NULL,
	due_on          TEXT    NOT NULL,
	status          TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open','done')),
	evidence        TEXT,
	done_at         TEXT,
	done_by         INTEGER REFERENCES users(id),
	work_order_id   INTEGER REFERENCES work_orders(id),
	created_at      TEXT    NOT NULL,
	CHECK (due_on > assigned_on),
	CHECK (status <> 'done' OR evidence IS NOT NULL)
);
CREATE INDEX council_resolutions_proposal ON council_resolutions(proposal_id, id);
CREATE INDEX council_resolutions_order ON council_resolutions(work_order_id) WHERE work_order_id IS NOT NULL;

-- The notice board: a notice published to a node shows on it and everything under it between its start
-- and end.  draft -> published -> withdrawn.
CREATE TABLE notices (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	node_id         INTEGER NOT NULL REFERENCES nodes(id),
	title           TEXT    NOT NULL,
	body            TEXT    NOT NULL,
	category        TEXT    NOT NULL CHECK (category IN ('council_result','roster','party_members','policy',
	                                                     'convention','other')),
	starts_on       TEXT    NOT NULL,
	ends_on         TEXT    NOT NULL,
	status          TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published','withdrawn')),
	published_at    TEXT,
	created_by      INTEGER REFERENCES users(id),
	created_at      TEXT    NOT NULL,
	CHECK (ends_on >= starts_on)
);
CREATE INDEX notices_node ON notices(node_id, status, ends_on);

-- Who uses it (issue 17): community and courtyard staff run councils and publish notices (council.write,
-- council.act, notice.publish); a council member with a login votes and supports as themselves
-- (council.act: the domain checks it is their own seat); subdistrict staff and auditors read.
INSERT INTO access_roles (code, name, name_en, needs_scope) VALUES
 ('council_member', '议事会成员', 'council member', 1);

INSERT INTO role_permissions (role_code, permission) VALUES
 ('admin', 'council.read'), ('admin', 'council.write'), ('admin', 'council.act'), ('admin', 'notice.publish'),
 ('admin', 'mediation.read'), ('admin', 'mediation.write'),
 ('auditor', 'council.read'), ('auditor', 'mediation.read'),
 ('subdistrict_staff', 'council.read'), ('subdistrict_staff', 'council.write'), ('subdistrict_staff', 'council.act'),
 ('subdistrict_staff', 'notice.publish'), ('subdistrict_staff', 'mediation.read'), ('subdistrict_staff', 'mediation.write'),
 ('community_staff', 'council.read'), ('community_staff', 'council.write'), ('community_staff', 'council.act'),
 ('community_staff', 'notice.publish'), ('community_staff', 'mediation.read'), ('community_staff', 'mediation.write'),
 ('courtyard_secretary', 'council.read'), ('courtyard_secretary', 'council.write'), ('courtyard_secretary', 'council.act'),
 ('courtyard_secretary', 'notice.publish'), ('courtyard_secretary', 'mediation.read'), ('courtyard_secretary', 'mediation.write'),
 ('council_member', 'council.read'), ('council_member', 'council.act'), ('council_member', 'tasks.read'),
 ('council_member', 'org.read');
