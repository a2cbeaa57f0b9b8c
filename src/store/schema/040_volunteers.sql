-- 040: volunteers, duty rosters and patrols (issue 16; src/volunteer/volunteer.h): teams on any node of
-- the tree with their dated members, shift types, shifts (one by one or from a repeat rule) with the
-- members signed up or assigned, check-in and check-out, the hours and points ledger with the points
-- shop, patrol logs whose incidents become work orders, and the personal calendar feed.  Every row
-- carries its subdistrict (the shard key).  Instants are unix seconds (INTEGER), days local YYYY-MM-DD.
--
-- Two due instants of a shift are kept on its own row for the time-node engine (src/timenode/, kinds
-- volunteer_short and volunteer_close in kinds.c): staff_due, a day before the start while the shift is
-- short of people (cards to the team's leader), and close_due, its end (the sweeper marks late and
-- no-show, counts the hours and points).  Each is NULL when nothing is due.

CREATE TABLE volunteer_teams (
	id                   INTEGER PRIMARY KEY,
	subdistrict_id       INTEGER NOT NULL REFERENCES nodes(id),
	node_id              INTEGER NOT NULL REFERENCES nodes(id),	-- a courtyard, community or subdistrict
	name                 TEXT    NOT NULL,
	kind                 TEXT    NOT NULL CHECK (kind IN ('patrol','service','culture','mediation','emergency')),
	leader_person_id     INTEGER REFERENCES persons(id),		-- a current member
	weekly_limit_minutes INTEGER CHECK (weekly_limit_minutes IS NULL OR weekly_limit_minutes BETWEEN 60 AND 10080),
	cutoff_hours         INTEGER NOT NULL DEFAULT 24 CHECK (cutoff_hours BETWEEN 0 AND 168),	-- give-up and swap
	description          TEXT,
	active               INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
	created_at           TEXT    NOT NULL,
	updated_at           TEXT    NOT NULL,
	UNIQUE (node_id, name)
);
CREATE INDEX volunteer_teams_node ON volunteer_teams(node_id, id);
CREATE INDEX volunteer_teams_leader ON volunteer_teams(leader_person_id);

-- Members: persons of the team's subdistrict; a person may be in several teams.  A member on day D has
-- joined_on <= D and no left_on, or D < left_on.  One open membership per team and person.
CREATE TABLE volunteer_members (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	team_id         INTEGER NOT NULL REFERENCES volunteer_teams(id),
	person_id       INTEGER NOT NULL REFERENCES persons(id),
	joined_on       TEXT    NOT NULL,
	left_on         TEXT,
	created_at      TEXT    NOT NULL,
	updated_at      TEXT    NOT NULL,
	CHECK (left_on IS NULL OR left_on >= joined_on)
);
CREATE UNIQUE INDEX volunteer_members_open ON volunteer_members(team_id, person_id) WHERE left_on IS NULL;
CREATE INDEX volunteer_members_team ON volunteer_members(team_id, id);
CREATE INDEX volunteer_members_person ON volunteer_members(person_id, team_id);

-- A kind of duty: default length, what it needs ("patrol, 2 people, one a party member"), where, and its
-- points rule (points per hour served).
CREATE TABLE volunteer_shift_types (
	id               INTEGER PRIMARY KEY,
	subdistrict_id   INTEGER NOT NULL REFERENCES nodes(id),
	team_id          INTEGER NOT NULL REFERENCES volunteer_teams(id),
	name             TEXT    NOT NULL,
	minutes          INTEGER NOT NULL CHECK (minutes BETWEEN 15 AND 1440),
	people           INTEGER NOT NULL CHECK (people BETWEEN 1 AND 200),
	party_members    INTEGER NOT NULL DEFAULT 0 CHECK (party_members >= 0 AND party_members <= people),
	points_per_hour  INTEGER NOT NULL DEFAULT 10 CHECK (points_per_hour BETWEEN 0 AND 1000),
	place            TEXT,
	active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
	created_at       TEXT    NOT NULL,
	updated_at       TEXT    NOT NULL,
	UNIQUE (team_id, name)
);

-- A repeat rule ("every evening 19:00-21:00 for a month"): the shifts it made carry its id.
CREATE TABLE volunteer_shift_series (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	team_id         INTEGER NOT NULL REFERENCES volunteer_teams(id),
	type_id         INTEGER NOT NULL REFERENCES volunteer_shift_types(id),
	from_on         TEXT    NOT NULL,
	until_on        TEXT    NOT NULL,
	weekdays        TEXT    NOT NULL,				-- ISO weekdays, '1234567' every day
	start_time      TEXT    NOT NULL,				-- HH:MM local
	end_time        TEXT    NOT NULL,
	shifts          INTEGER NOT NULL,
	by_user_id      INTEGER REFERENCES users(id),
	created_at      TEXT    NOT NULL,
	CHECK (until_on >= from_on)
);

CREATE TABLE volunteer_shifts (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	team_id         INTEGER NOT NULL REFERENCES volunteer_teams(id),
	type_id         INTEGER NOT NULL REFERENCES volunteer_shift_types(id),
	series_id       INTEGER REFERENCES volunteer_shift_series(id),
	node_id         INTEGER NOT NULL REFERENCES nodes(id),	-- the team's: the scope
	day             TEXT    NOT NULL,				-- the local day it starts
	starts_at       INTEGER NOT NULL,
	ends_at         INTEGER NOT NULL,
	place           TEXT,
	people          INTEGER NOT NULL CHECK (people BETWEEN 1 AND 200),
	party_members   INTEGER NOT NULL DEFAULT 0 CHECK (party_members >= 0 AND party_members <= people),
	filled          INTEGER NOT NULL DEFAULT 0 CHECK (filled >= 0 AND filled <= people),	-- active assignments
	state           TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open','cancelled','closed')),
	note            TEXT,
	staff_due       INTEGER,		-- starts_at - 1 day while open and short of people: the staffing node
	staff_card      TEXT    NOT NULL DEFAULT 'none' CHECK (staff_card IN ('none','yellow','red')),
	close_due       INTEGER,		-- ends_at while open: the attendance node
	closed_at       INTEGER,
	created_by      INTEGER REFERENCES users(id),
	created_at      TEXT    NOT NULL,
	updated_at      TEXT    NOT NULL,
	CHECK (ends_at > starts_at),
	CHECK ((state = 'open') = (close_due IS NOT NULL))
);
CREATE INDEX volunteer_shifts_team ON volunteer_shifts(team_id, starts_at);
CREATE INDEX volunteer_shifts_node ON volunteer_shifts(node_id, starts_at);
CREATE INDEX volunteer_shifts_day ON volunteer_shifts(subdistrict_id, day);
-- The sweeper's passes (as time_nodes_sweep_card): cards by (card, due), the close by its due.
CREATE INDEX volunteer_shifts_staff_due ON volunteer_shifts(staff_card, staff_due, id) WHERE staff_due IS NOT NULL;
CREATE INDEX volunteer_shifts_close_due ON volunteer_shifts(close_due, id) WHERE close_due IS NOT NULL;

-- Who is on a shift: signed up by the member, assigned by the leader, or taken over in a swap.  The
-- shift's times are copied so that "two shifts at once" and the weekly limit are ranges of the person's
-- index.  attendance and minutes are set when the shift closes (or the leader confirms the hours).
CREATE TABLE volunteer_assignments (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	shift_id        INTEGER NOT NULL REFERENCES volunteer_shifts(id),
	team_id         INTEGER NOT NULL REFERENCES volunteer_teams(id),
	person_id       INTEGER NOT NULL REFERENCES persons(id),
	starts_at       INTEGER NOT NULL,
	ends_at         INTEGER NOT NULL,
	how             TEXT    NOT NULL CHECK (how IN ('signup','assigned','swap')),
	state           TEXT    NOT NULL DEFAULT 'active' CHECK (state IN ('active','given_up','swapped','withdrawn')),
	by_user_id      INTEGER REFERENCES users(id),
	created_at      TEXT    NOT NULL,
	ended_at        TEXT,
	swapped_to      INTEGER REFERENCES volunteer_assignments(id),
	check_in_at     INTEGER,
	check_in_by     INTEGER REFERENCES users(id),
	check_out_at    INTEGER,
	check_out_by    INTEGER REFERENCES users(id),
	attendance      TEXT    CHECK (attendance IN ('present','late','no_show')),
	minutes         INTEGER CHECK (minutes IS NULL OR minutes >= 0),
	confirmed_by    INTEGER REFERENCES users(id),
	CHECK (check_out_at IS NULL OR (check_in_at IS NOT NULL AND check_out_at >= check_in_at))
);
CREATE UNIQUE INDEX volunteer_assignments_one ON volunteer_assignments(shift_id, person_id) WHERE state = 'active';
CREATE INDEX volunteer_assignments_shift ON volunteer_assignments(shift_id, id);
CREATE INDEX volunteer_assignments_person ON volunteer_assignments(person_id, starts_at);

-- The hours and points ledger: one row per change, numbered per person; balance is the points held
-- after the row (the previous row's balance plus its points), so the balance always equals the sum of
-- the rows, and it is never negative.  served_minutes likewise sums the minutes.
CREATE TABLE volunteer_ledger (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	person_id       INTEGER NOT NULL REFERENCES persons(id),
	seq             INTEGER NOT NULL CHECK (seq >= 1),
	kind            TEXT    NOT NULL CHECK (kind IN ('shift','confirm','adjust','redeem')),
	minutes         INTEGER NOT NULL DEFAULT 0,
	points          INTEGER NOT NULL DEFAULT 0,
	balance         INTEGER NOT NULL CHECK (balance >= 0),
	served_minutes  INTEGER NOT NULL CHECK (served_minutes >= 0),
	team_id         INTEGER REFERENCES volunteer_teams(id),
	assignment_id   INTEGER REFERENCES volunteer_assignments(id),
	redemption_id   INTEGER,
	reason          TEXT,
	by_user_id      INTEGER REFERENCES users(id),
	on_day          TEXT    NOT NULL,
	at              TEXT    NOT NULL,
	UNIQUE (person_id, seq)
);
CREATE INDEX volunteer_ledger_day ON volunteer_ledger(subdistrict_id, on_day);
CREATE INDEX volunteer_ledger_team ON volunteer_ledger(team_id, on_day);

-- The points shop (积分超市) of a node: items with their price in points and their stock; an exchange is
-- a redemption row and a ledger row written together.
CREATE TABLE volunteer_shop_items (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	node_id         INTEGER NOT NULL REFERENCES nodes(id),
	name            TEXT    NOT NULL,
	points          INTEGER NOT NULL CHECK (points BETWEEN 1 AND 1000000),
	stock           INTEGER NOT NULL CHECK (stock >= 0),
	active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
	created_at      TEXT    NOT NULL,
	updated_at      TEXT    NOT NULL,
	UNIQUE (node_id, name)
);
CREATE TABLE volunteer_redemptions (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	item_id         INTEGER NOT NULL REFERENCES volunteer_shop_items(id),
	node_id         INTEGER NOT NULL REFERENCES nodes(id),
	person_id       INTEGER NOT NULL REFERENCES persons(id),
	quantity        INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 100),
	points          INTEGER NOT NULL CHECK (points > 0),
	by_user_id      INTEGER REFERENCES users(id),
	at              TEXT    NOT NULL
);
CREATE INDEX volunteer_redemptions_node ON volunteer_redemptions(node_id, id);
CREATE INDEX volunteer_redemptions_person ON volunteer_redemptions(person_id, id);

-- A personal calendar feed (iCal) of one's shifts: only the SHA-256 of the token is kept.
CREATE TABLE volunteer_ical_tokens (
	id          INTEGER PRIMARY KEY,
	user_id     INTEGER NOT NULL UNIQUE REFERENCES users(id),
	person_id   INTEGER NOT NULL REFERENCES persons(id),
	token_hash  TEXT    NOT NULL UNIQUE,
	created_at  TEXT    NOT NULL
);

-- Patrol logs (巡逻记录): route, start and end, who, what was seen; incidents with their place and photo,
-- each of which may become a work order (linked both ways: the incident holds the order, and the order's
-- intake event names the incident).
CREATE TABLE volunteer_patrols (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	team_id         INTEGER NOT NULL REFERENCES volunteer_teams(id),
	node_id         INTEGER NOT NULL REFERENCES nodes(id),
	shift_id        INTEGER REFERENCES volunteer_shifts(id),
	route           TEXT    NOT NULL,
	started_at      INTEGER NOT NULL,
	ended_at        INTEGER NOT NULL,
	seen            TEXT,
	by_user_id      INTEGER REFERENCES users(id),
	created_at      TEXT    NOT NULL,
	CHECK (ended_at > started_at)
);
CREATE INDEX volunteer_patrols_node ON volunteer_patrols(node_id, started_at);
CREATE INDEX volunteer_patrols_team ON volunteer_patrols(team_id, started_at);
CREATE TABLE volunteer_patrol_members (
	patrol_id   INTEGER NOT NULL REFERENCES volunteer_patrols(id),
	person_id   INTEGER NOT NULL REFERENCES persons(id),
	PRIMARY KEY (patrol_id, person_id)
);
CREATE TABLE volunteer_patrol_incidents (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	patrol_id       INTEGER NOT NULL REFERENCES volunteer_patrols(id),
	node_id         INTEGER NOT NULL REFERENCES nodes(id),	-- where it was seen
	description     TEXT    NOT NULL,
	upload_id       INTEGER REFERENCES wo_uploads(id),
	work_order_id   INTEGER REFERENCES work_orders(id),
	created_at      TEXT    NOT NULL
);
CREATE INDEX volunteer_patrol_incidents_patrol ON volunteer_patrol_incidents(patrol_id, id);
CREATE UNIQUE INDEX volunteer_patrol_incidents_order ON volunteer_patrol_incidents(work_order_id) WHERE work_order_id IS NOT NULL;

-- Who uses it: staff of the subdistrict, communities and courtyard branches run the teams, rosters, shop
-- and figures of their scope (volunteer.write) and act for any member (volunteer.act); auditors read.
-- Volunteers log in with the volunteer role (volunteer.read, volunteer.act, no write): scoped to the node
-- whose teams they serve and, inside it, to their own teams, shifts, hours and points (the domain's rule,
-- src/volunteer/access.c); a team's leader acts for the team.
INSERT INTO access_roles (code, name, name_en, needs_scope) VALUES ('volunteer', '志愿者', 'volunteer', 1);

INSERT INTO role_permissions (role_code, permission) VALUES
 ('admin', 'volunteer.read'), ('admin', 'volunteer.write'), ('admin', 'volunteer.act'),
 ('auditor', 'volunteer.read'),
 ('subdistrict_staff', 'volunteer.read'), ('subdistrict_staff', 'volunteer.write'), ('subdistrict_staff', 'volunteer.act'),
 ('community_staff', 'volunteer.read'), ('community_staff', 'volunteer.write'), ('community_staff', 'volunteer.act'),
 ('courtyard_secretary', 'volunteer.read'), ('courtyard_secretary', 'volunteer.write'),
 ('courtyard_secretary', 'volunteer.act'),
 ('subdistrict_leader', 'volunteer.read'),
 ('volunteer', 'volunteer.read'), ('volunteer', 'volunteer.act');
