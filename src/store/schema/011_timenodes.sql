-- 011: time nodes (src/timenode/): the shared table of due dates for every kind of ledger that keeps
-- none of its own (work orders keep theirs on work_orders, 005 and 008).  One row per thing that is due,
-- owned by (kind, ref_id), the row of the kind's ledger; it answers to node_id (an org node; moved one
-- level up by an escalation) and, when assignee_user_id is set, to that person.
CREATE TABLE time_nodes (
	id               INTEGER PRIMARY KEY,
	subdistrict_id   INTEGER NOT NULL REFERENCES nodes(id),
	kind             TEXT    NOT NULL,
	ref_id           INTEGER NOT NULL,
	title            TEXT    NOT NULL,
	node_id          INTEGER NOT NULL REFERENCES nodes(id),
	assignee_user_id INTEGER REFERENCES users(id),
	state            TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open','done')),
	start_at         INTEGER NOT NULL,			-- unix seconds
	days             INTEGER NOT NULL CHECK (days BETWEEN 1 AND 365),
	day_rule         TEXT    NOT NULL CHECK (day_rule IN ('working','calendar')),
	deadline         INTEGER NOT NULL,			-- unix seconds: 23:59:59 Asia/Shanghai of the last day
	provisional      INTEGER NOT NULL DEFAULT 0 CHECK (provisional IN (0, 1)),	-- on a provisional calendar
	card             TEXT    NOT NULL DEFAULT 'none' CHECK (card IN ('none','yellow','red')),
	escalate_at      INTEGER,				-- as work_orders.escalate_at: only the sweeper writes it
	done_at          INTEGER,
	created_at       INTEGER NOT NULL,
	UNIQUE (kind, ref_id)
);
-- The sweeper's passes, per kind, as for work orders (008): cards by (card, deadline) of open nodes,
-- escalations by escalate_at.
CREATE INDEX time_nodes_sweep_card ON time_nodes(kind, card, deadline) WHERE state = 'open';
CREATE INDEX time_nodes_sweep_escalate ON time_nodes(kind, escalate_at) WHERE escalate_at IS NOT NULL;
-- The inbox: open nodes by the person, or by the node, they wait for.
CREATE INDEX time_nodes_assignee ON time_nodes(assignee_user_id, deadline) WHERE state = 'open';
CREATE INDEX time_nodes_node ON time_nodes(node_id, deadline) WHERE state = 'open';

-- The card history: append-only, one row per opening, card, escalation, closing, and recount (a provisional
-- deadline counted again when its year's official calendar is loaded: src/workorder/recalc.c).
CREATE TABLE time_node_events (
	id             INTEGER PRIMARY KEY,
	subdistrict_id INTEGER NOT NULL REFERENCES nodes(id),
	time_node_id   INTEGER NOT NULL REFERENCES time_nodes(id),
	at             INTEGER NOT NULL,
	action         TEXT    NOT NULL CHECK (action IN ('open','yellow_card','red_card','escalate','done','recount')),
	from_node_id   INTEGER REFERENCES nodes(id),
	to_node_id     INTEGER REFERENCES nodes(id),
	note           TEXT
);
CREATE INDEX time_node_events_node ON time_node_events(time_node_id, id);
