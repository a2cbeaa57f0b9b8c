-- 033: service records (src/enterprise/visit.c, event.c, handout.c; issue 15): visits to enterprises
-- (送政策上门), events such as finance and legal 直通车 with the enterprises attending, and policy
-- documents handed out, so that "300 booklets, 13 events, 200+ visits" are counts of rows.
CREATE TABLE enterprise_visits (
	id             INTEGER PRIMARY KEY,
	subdistrict_id INTEGER NOT NULL REFERENCES nodes(id),
	enterprise_id  INTEGER NOT NULL REFERENCES enterprises(id),
	visited_on     TEXT    NOT NULL,			-- YYYY-MM-DD, not in the future
	user_id        INTEGER NOT NULL REFERENCES users(id),	-- who visited
	purpose        TEXT    NOT NULL,
	policies       TEXT,				-- the policies delivered
	follow_up      TEXT,
	created_by     INTEGER REFERENCES users(id),
	created_at     TEXT    NOT NULL
);
CREATE INDEX enterprise_visits_enterprise ON enterprise_visits(enterprise_id, visited_on);
CREATE INDEX enterprise_visits_day ON enterprise_visits(subdistrict_id, visited_on);

-- Events answer to a node (the subdistrict or community that held them).
CREATE TABLE enterprise_events (
	id             INTEGER PRIMARY KEY,
	subdistrict_id INTEGER NOT NULL REFERENCES nodes(id),
	node_id        INTEGER NOT NULL REFERENCES nodes(id),
	held_on        TEXT    NOT NULL,
	kind           TEXT    NOT NULL CHECK (kind IN ('finance','legal','policy','other')),	-- 金融/法律直通车 ...
	title          TEXT    NOT NULL,
	partner        TEXT,				-- the bank, law firm or office that came
	created_by     INTEGER REFERENCES users(id),
	created_at     TEXT    NOT NULL
);
CREATE INDEX enterprise_events_day ON enterprise_events(subdistrict_id, held_on);

CREATE TABLE enterprise_event_attendees (
	event_id       INTEGER NOT NULL REFERENCES enterprise_events(id),
	enterprise_id  INTEGER NOT NULL REFERENCES enterprises(id),
	subdistrict_id INTEGER NOT NULL REFERENCES nodes(id),
	PRIMARY KEY (event_id, enterprise_id)
);

-- Policy documents handed out: at an event, to an enterprise, or in the subdistrict at large (node_id).
CREATE TABLE policy_handouts (
	id             INTEGER PRIMARY KEY,
	subdistrict_id INTEGER NOT NULL REFERENCES nodes(id),
	node_id        INTEGER NOT NULL REFERENCES nodes(id),
	enterprise_id  INTEGER REFERENCES enterprises(id),
	event_id       INTEGER REFERENCES enterprise_events(id),
	title          TEXT    NOT NULL,
	copies         INTEGER NOT NULL CHECK (copies BETWEEN 1 AND 100000),
	handed_on      TEXT    NOT NULL,
	created_by     INTEGER REFERENCES users(id),
	created_at     TEXT    NOT NULL
);
CREATE INDEX policy_handouts_day ON policy_handouts(subdistrict_id, handed_on);
