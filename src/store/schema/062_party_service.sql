-- 062: party members' service (issue 18 part 4): each member's membership — status (正式 formal, 预备
-- probationary, 发展对象 candidate, 积极分子 activist) since a day, the branch that holds the relationship
-- and what they pledged (亮身份) — with an append-only history of status changes and transfers between
-- branches, and their service records (what, when, hours, for whom).  Points (党员积分) are computed on
-- reading by the rules of src/cobuild/party.c, never stored.  node_id is the branch's node: the scope.

CREATE TABLE party_members (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	person_id       INTEGER NOT NULL UNIQUE REFERENCES persons(id),
	org_id          INTEGER NOT NULL REFERENCES party_orgs(id),
	node_id         INTEGER NOT NULL REFERENCES nodes(id),
	status          TEXT    NOT NULL CHECK (status IN ('formal','probationary','candidate','activist')),
	status_since    TEXT    NOT NULL,
	pledge          TEXT,
	created_at      TEXT    NOT NULL,
	updated_at      TEXT    NOT NULL
);
CREATE INDEX party_members_node ON party_members(node_id, id);

-- History: append-only (enrol, status, transfer).
CREATE TABLE party_member_events (
	id           INTEGER PRIMARY KEY,
	member_id    INTEGER NOT NULL REFERENCES party_members(id),
	action       TEXT    NOT NULL CHECK (action IN ('enrol','status','transfer')),
	status       TEXT,
	from_org_id  INTEGER REFERENCES party_orgs(id),
	to_org_id    INTEGER REFERENCES party_orgs(id),
	on_date      TEXT    NOT NULL,
	reason       TEXT,
	by_user_id   INTEGER REFERENCES users(id),
	created_at   TEXT    NOT NULL
);
CREATE INDEX party_member_events_member ON party_member_events(member_id, id);

CREATE TABLE party_service_records (
	id              INTEGER PRIMARY KEY,
	subdistrict_id  INTEGER NOT NULL REFERENCES nodes(id),
	member_id       INTEGER NOT NULL REFERENCES party_members(id),
	served_on       TEXT    NOT NULL,
	hours_tenths    INTEGER NOT NULL CHECK (hours_tenths > 0),
	what            TEXT    NOT NULL,
	for_whom        TEXT,
	by_user_id      INTEGER REFERENCES users(id),
	created_at      TEXT    NOT NULL
);
CREATE INDEX party_service_member ON party_service_records(member_id, served_on);
