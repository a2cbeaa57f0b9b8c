-- 008: the sweeper (src/workorder/sweep.c): yellow and red cards, automatic escalation, its policy and lease.

-- When the sweeper next looks at a red-carded order to move it one level up; NULL: nothing to do.
-- Only the sweeper writes it: set with the red card, cleared by the escalation or when the order
-- has nothing left to climb.  A stale value (the card was cleared, the order replied or sent back
-- to the desk meanwhile) is cleared when met.
ALTER TABLE work_orders ADD COLUMN escalate_at INTEGER;

-- Each query of the sweeper is a range of one of these, so a run reads the orders that are due
-- and never the others: cards by (card, deadline) -- card 'none' up to the yellow bound, 'none'
-- and 'yellow' past the deadline --, escalations by escalate_at, late signing by sign_deadline.
CREATE INDEX work_orders_sweep_card ON work_orders(card, deadline)
	WHERE state IN ('dispatched','in_progress','return_requested');
CREATE INDEX work_orders_sweep_escalate ON work_orders(escalate_at)
	WHERE escalate_at IS NOT NULL;
CREATE INDEX work_orders_sign_due ON work_orders(state, sign_deadline)
	WHERE state = 'dispatched';	-- state first: else SQLite prefers work_orders_state

-- Automatic escalation by the level of the handler: whether it climbs, and how many working days
-- after the deadline (0: on the first overdue day, with the red card).  A level without a row does
-- not climb; a subdistrict has nothing above it.
CREATE TABLE wo_sweep_policy (
	level      TEXT    PRIMARY KEY CHECK (level IN ('courtyard','community')),
	escalate   INTEGER NOT NULL DEFAULT 1 CHECK (escalate IN (0, 1)),
	after_days INTEGER NOT NULL DEFAULT 0 CHECK (after_days BETWEEN 0 AND 30)
);
INSERT INTO wo_sweep_policy (level, escalate, after_days) VALUES ('courtyard', 1, 0), ('community', 1, 0);

-- With several app servers on one database the sweep runs once a period: the one whose
-- conditional UPDATE (expired, or already its own) takes the row runs.  until: unix seconds.
CREATE TABLE sweeper_lease (
	name   TEXT    PRIMARY KEY,
	holder TEXT    NOT NULL DEFAULT '',
	until  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sweeper_lease (name, holder, until) VALUES ('workorders', '', 0);
