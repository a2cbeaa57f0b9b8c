-- 060: co-building (双报到, issue 18; DOMAIN.md "Community life"): organisations located in a community
-- (government offices, banks, schools, enterprises) and their in-service party members report to it; the
-- community keeps three lists (三张清单) — residents' needs, the units' resources, and projects built from
-- needs — and units claim (认领) projects, carry them out, report with evidence and are rated.  Every row
-- carries its subdistrict (the shard key).  A claim's due day and a project still unclaimed are time nodes
-- of the shared table (011, kinds cobuild_claim and cobuild_unclaimed).

-- The units that reported (报到单位).  node_id: the community it reports to (its scope); credit_code: the
-- GB 32100 unified social credit code when it has one (util/check.c uscc_valid); the contact's phone is
-- personal data, sealed and hashed as persons' phones are (auth/pii.c).
CREATE TABLE cobuild_units (
	id                 INTEGER PRIMARY KEY,
	subdistrict_id     INTEGER NOT NULL REFERENCES nodes(id),
	node_id            INTEGER NOT NULL REFERENCES nodes(id),
	name               TEXT    NOT NULL,
	kind               TEXT    NOT NULL CHECK (kind IN ('government','institution','enterprise','bank','school',
	                                                     'hospital','social_org','other')),
	credit_code        TEXT    UNIQUE,
	party_org_name     TEXT,					-- its own party organisation (党组织)
	contact_name       TEXT,
	contact_phone_enc  TEXT,
	contact_phone_hash TEXT,
	reported_on        TEXT    NOT NULL,				-- the day it reported (报到)
	created_at         TEXT    NOT NULL,
	updated_at         TEXT    NOT NULL
);
CREATE INDEX cobuild_units_node ON cobuild_units(node_id, id);
CREATE INDEX cobuild_units_subdistrict ON cobuild_units(subdistrict_id, id);

-- Its in-service party members who reported (在职党员): persons who are party members; their own branch
-- and their living place stay on the person (双找, 002).
CREATE TABLE cobuild_unit_members (
	id           INTEGER PRIMARY KEY,
	unit_id      INTEGER NOT NULL REFERENCES cobuild_units(id),
	person_id    INTEGER NOT NULL REFERENCES persons(id),
	reported_on  TEXT    NOT NULL,
	created_at   TEXT    NOT NULL,
	UNIQUE (unit_id, person_id)
);
CREATE INDEX cobuild_unit_members_person ON cobuild_unit_members(person_id);

-- The accounts that speak for a unit (role unit_contact): they claim and report for it and see only its claims.
CREATE TABLE cobuild_unit_users (
	unit_id  INTEGER NOT NULL REFERENCES cobuild_units(id),
	user_id  INTEGER NOT NULL REFERENCES users(id),
	PRIMARY KEY (unit_id, user_id)
);
CREATE INDEX cobuild_unit_users_user ON cobuild_unit_users(user_id);

-- 需求清单: what residents need, raised by a resident, a grid member, a council or from a work order.
CREATE TABLE cobuild_needs (
	id                  INTEGER PRIMARY KEY,
	subdistrict_id      INTEGER NOT NULL REFERENCES nodes(id),
	node_id             INTEGER NOT NULL REFERENCES nodes(id),	-- where: a courtyard, building or community
	title               TEXT    NOT NULL,
	detail              TEXT,
	kind                TEXT    NOT NULL CHECK (kind IN ('facility','care','health','legal','education','culture',
	                                                      'environment','finance','employment','other')),
	urgency             TEXT    NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal','urgent')),
	source              TEXT    NOT NULL CHECK (source IN ('resident','grid_member','council','work_order')),
	raised_by_person_id INTEGER REFERENCES persons(id),		-- the resident who raised it, when one did
	work_order_id       INTEGER REFERENCES work_orders(id),
	raised_by_user_id   INTEGER REFERENCES users(id),		-- who recorded it
	raised_on           TEXT    NOT NULL,
	status              TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open','planned','met')),
	met_on              TEXT,
	created_at          TEXT    NOT NULL,
	CHECK ((status = 'met') = (met_on IS NOT NULL)),
	CHECK (source <> 'work_order' OR work_order_id IS NOT NULL)
);
CREATE INDEX cobuild_needs_node ON cobuild_needs(node_id, id);
CREATE INDEX cobuild_needs_subdistrict ON cobuild_needs(subdistrict_id, raised_on);

-- 资源清单: what a unit or a person offers (a hall, a doctor's hours, legal advice, funding).
CREATE TABLE cobuild_resources (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	node_id         INTEGER NOT NULL REFERENCES nodes(id),		-- the community it is offered to
	unit_id         INTEGER REFERENCES cobuild_units(id),
	person_id       INTEGER REFERENCES persons(id),
	kind            TEXT    NOT NULL CHECK (kind IN ('venue','professional','legal','medical','funding','volunteer',
	                                                  'training','other')),
	title           TEXT    NOT NULL,
	detail          TEXT,
	created_at      TEXT    NOT NULL,
	CHECK ((unit_id IS NULL) <> (person_id IS NULL))
);
CREATE INDEX cobuild_resources_node ON cobuild_resources(node_id, id);
CREATE INDEX cobuild_resources_unit ON cobuild_resources(unit_id) WHERE unit_id IS NOT NULL;

-- 项目清单: projects built from one or more needs, with the resources matched.  open (waiting for a
-- claim, carded when unclaimed past claim_by) -> claimed -> reported -> rated.
CREATE TABLE cobuild_projects (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	node_id         INTEGER NOT NULL REFERENCES nodes(id),
	title           TEXT    NOT NULL,
	detail          TEXT,
	claim_by        TEXT    NOT NULL,				-- the day it should be claimed by
	status          TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open','claimed','reported','rated')),
	created_by      INTEGER REFERENCES users(id),
	created_at      TEXT    NOT NULL
);
CREATE INDEX cobuild_projects_node ON cobuild_projects(node_id, id);
CREATE INDEX cobuild_projects_subdistrict ON cobuild_projects(subdistrict_id, status);

-- A need goes into one project.
CREATE TABLE cobuild_project_needs (
	project_id  INTEGER NOT NULL REFERENCES cobuild_projects(id),
	need_id     INTEGER NOT NULL UNIQUE REFERENCES cobuild_needs(id),
	PRIMARY KEY (project_id, need_id)
);

CREATE TABLE cobuild_project_resources (
	project_id   INTEGER NOT NULL REFERENCES cobuild_projects(id),
	resource_id  INTEGER NOT NULL REFERENCES cobuild_resources(id),
	PRIMARY KEY (project_id, resource_id)
);
CREATE INDEX cobuild_project_resources_resource ON cobuild_project_resources(resource_id);

-- 认领: a unit (or a party member) claims a project, with its due day (a time node); it reports with
-- evidence, the hours served and the day served; the community and the residents who raised the needs rate.
CREATE TABLE cobuild_claims (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	project_id      INTEGER NOT NULL UNIQUE REFERENCES cobuild_projects(id),
	unit_id         INTEGER REFERENCES cobuild_units(id),
	person_id       INTEGER REFERENCES persons(id),
	claimed_on      TEXT    NOT NULL,
	due_on          TEXT    NOT NULL,
	status          TEXT    NOT NULL DEFAULT 'claimed' CHECK (status IN ('claimed','reported','rated')),
	report          TEXT,
	evidence        TEXT,
	hours_tenths    INTEGER CHECK (hours_tenths IS NULL OR hours_tenths >= 0),	-- hours in tenths: 2.5 h = 25
	served_on       TEXT,
	reported_at     TEXT,
	reported_on     TEXT,					-- the local day of the report: on time when <= due_on
	reported_by     INTEGER REFERENCES users(id),
	claimed_by      INTEGER REFERENCES users(id),
	created_at      TEXT    NOT NULL,
	CHECK ((unit_id IS NULL) <> (person_id IS NULL)),
	CHECK (due_on > claimed_on),
	CHECK (status = 'claimed' OR (evidence IS NOT NULL AND served_on IS NOT NULL))
);
CREATE INDEX cobuild_claims_unit ON cobuild_claims(unit_id, id) WHERE unit_id IS NOT NULL;
CREATE INDEX cobuild_claims_subdistrict ON cobuild_claims(subdistrict_id, claimed_on);

-- Ratings, 1 to 5: one by the community, one by each resident who raised one of the project's needs.
CREATE TABLE cobuild_ratings (
	id          INTEGER PRIMARY KEY,
	claim_id    INTEGER NOT NULL REFERENCES cobuild_claims(id),
	rater       TEXT    NOT NULL CHECK (rater IN ('community','resident')),
	person_id   INTEGER REFERENCES persons(id),
	score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
	comment     TEXT,
	by_user_id  INTEGER REFERENCES users(id),
	created_at  TEXT    NOT NULL,
	CHECK ((rater = 'resident') = (person_id IS NOT NULL))
);
CREATE UNIQUE INDEX cobuild_ratings_community ON cobuild_ratings(claim_id) WHERE rater = 'community';
CREATE UNIQUE INDEX cobuild_ratings_resident ON cobuild_ratings(claim_id, person_id) WHERE rater = 'resident';

-- Who uses it: community and subdistrict staff keep the lists and make projects (cobuild.write); grid
-- members, courtyard secretaries and a unit's contacts raise needs, claim and report (cobuild.act — which
-- unit's claims is the domain's rule, src/cobuild/access.c); leaders and auditors read.  party.read and
-- party.write are the party members' service (issue 18, part 4).
INSERT INTO access_roles (code, name, name_en, needs_scope) VALUES
 ('unit_contact', '共建单位联系人', 'co-building unit contact', 1);

INSERT INTO role_permissions (role_code, permission) VALUES
 ('admin', 'cobuild.read'), ('admin', 'cobuild.write'), ('admin', 'cobuild.act'),
 ('admin', 'party.read'), ('admin', 'party.write'),
 ('auditor', 'cobuild.read'), ('auditor', 'party.read'),
 ('subdistrict_staff', 'cobuild.read'), ('subdistrict_staff', 'cobuild.write'), ('subdistrict_staff', 'cobuild.act'),
 ('subdistrict_staff', 'party.read'), ('subdistrict_staff', 'party.write'),
 ('community_staff', 'cobuild.read'), ('community_staff', 'cobuild.write'), ('community_staff', 'cobuild.act'),
 ('community_staff', 'party.read'), ('community_staff', 'party.write'),
 ('courtyard_secretary', 'cobuild.read'), ('courtyard_secretary', 'cobuild.act'),
 ('courtyard_secretary', 'party.read'), ('courtyard_secretary', 'party.write'),
 ('grid_member', 'cobuild.read'), ('grid_member', 'cobuild.act'),
 ('mobile_grid_member', 'cobuild.read'), ('mobile_grid_member', 'cobuild.act'),
 ('subdistrict_leader', 'cobuild.read'), ('subdistrict_leader', 'party.read'),
 ('unit_contact', 'cobuild.read'), ('unit_contact', 'cobuild.act'), ('unit_contact', 'tasks.read'),
 ('unit_contact', 'org.read');
