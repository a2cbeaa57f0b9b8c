-- 006: figures (统计) of work orders: rollups kept in the same transaction as every write
-- to work_orders (src/stats/stats.h, the hook stats_on_write), and the stats permission.
-- Definitions: docs/METRICS.md.
--
-- Keys.  node_id is the order's stat node: the courtyard holding its place, or the place
-- itself when that is a courtyard, community or subdistrict.  span 'day' rows have period
-- 'YYYY-MM-DD', span 'month' rows 'YYYY-MM': the local (Asia/Shanghai) day or month of
-- received_at.  Each order is in one day row and one month row.  A node's figures for a
-- period sum the rows of the stat nodes under it (node_closure) for the whole months of
-- the period and the days of the months it cuts.
--
-- The counters are the STATS_COUNTERS list of stats.h, in the same order: number of
-- orders with a property, or a sum of a per-order count (returns, extensions, redos,
-- supervisions, escalations, cards, handling_seconds).  Rows carry their subdistrict (the
-- shard key, DESIGN.md).
CREATE TABLE wo_rollup (
	node_id              INTEGER NOT NULL REFERENCES nodes(id),
	span                 TEXT    NOT NULL CHECK (span IN ('day','month')),
	period               TEXT    NOT NULL,
	subdistrict_id       INTEGER NOT NULL REFERENCES nodes(id),
	received             INTEGER NOT NULL DEFAULT 0,
	refused              INTEGER NOT NULL DEFAULT 0,
	still_open           INTEGER NOT NULL DEFAULT 0,
	closed               INTEGER NOT NULL DEFAULT 0,
	completed            INTEGER NOT NULL DEFAULT 0,
	on_time              INTEGER NOT NULL DEFAULT 0,
	settled_courtyard    INTEGER NOT NULL DEFAULT 0,
	settled_community    INTEGER NOT NULL DEFAULT 0,
	settled_subdistrict  INTEGER NOT NULL DEFAULT 0,
	dispatched           INTEGER NOT NULL DEFAULT 0,
	response_due         INTEGER NOT NULL DEFAULT 0,
	responded            INTEGER NOT NULL DEFAULT 0,
	signed_for           INTEGER NOT NULL DEFAULT 0,
	returned             INTEGER NOT NULL DEFAULT 0,
	returns              INTEGER NOT NULL DEFAULT 0,
	extended             INTEGER NOT NULL DEFAULT 0,
	extensions           INTEGER NOT NULL DEFAULT 0,
	callbacks            INTEGER NOT NULL DEFAULT 0,
	satisfied            INTEGER NOT NULL DEFAULT 0,
	basically_satisfied  INTEGER NOT NULL DEFAULT 0,
	dissatisfied         INTEGER NOT NULL DEFAULT 0,
	resolved_known       INTEGER NOT NULL DEFAULT 0,
	resolved             INTEGER NOT NULL DEFAULT 0,
	redo_base            INTEGER NOT NULL DEFAULT 0,
	redone               INTEGER NOT NULL DEFAULT 0,
	redos                INTEGER NOT NULL DEFAULT 0,
	supervised           INTEGER NOT NULL DEFAULT 0,
	supervisions         INTEGER NOT NULL DEFAULT 0,
	escalated            INTEGER NOT NULL DEFAULT 0,
	escalations          INTEGER NOT NULL DEFAULT 0,
	yellow_cards         INTEGER NOT NULL DEFAULT 0,
	red_cards            INTEGER NOT NULL DEFAULT 0,
	handled              INTEGER NOT NULL DEFAULT 0,
	handling_seconds     BIGINT  NOT NULL DEFAULT 0,
	handling_unknown     INTEGER NOT NULL DEFAULT 0,
	src_resident         INTEGER NOT NULL DEFAULT 0,
	src_grid             INTEGER NOT NULL DEFAULT 0,
	src_mobile_grid      INTEGER NOT NULL DEFAULT 0,
	src_phone            INTEGER NOT NULL DEFAULT 0,
	src_walk_in          INTEGER NOT NULL DEFAULT 0,
	src_hotline          INTEGER NOT NULL DEFAULT 0,
	type_consultation    INTEGER NOT NULL DEFAULT 0,
	type_help            INTEGER NOT NULL DEFAULT 0,
	type_complaint       INTEGER NOT NULL DEFAULT 0,
	type_report          INTEGER NOT NULL DEFAULT 0,
	type_suggestion      INTEGER NOT NULL DEFAULT 0,
	-- The handling-time histogram (received -> the standing reply, in working days) of the
	-- row's completed orders, sparse: "b:n,b:n" by bucket, no zero counts ('' for none).
	-- Bucket b holds [b/10, (b+1)/10) working days, bucket 600 sixty days or more.  One text
	-- a row rather than a row a bucket: a subdistrict's year reads ~1100 short texts instead
	-- of ~100000 bucket rows (on the 10-million-order bench of test_stats.c the bucket rows
	-- cost ~100 ms a query, the texts a few ms).
	hist                 TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (node_id, span, period)
);

-- Orders per top-level category (volume by category), same keys.
CREATE TABLE wo_rollup_category (
	node_id        INTEGER NOT NULL REFERENCES nodes(id),
	span           TEXT    NOT NULL CHECK (span IN ('day','month')),
	period         TEXT    NOT NULL,
	category_id    INTEGER NOT NULL REFERENCES wo_categories(id),
	subdistrict_id INTEGER NOT NULL REFERENCES nodes(id),
	n              INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (node_id, span, period, category_id)
);

-- "The stat nodes under N" is a short range: N's descendants down to the courtyard
-- (depth 0..2), not the whole subtree down to every household.
CREATE INDEX node_closure_ancestor_depth ON node_closure(ancestor_id, depth, descendant_id);

-- workorder.stats: the figures of one's scope (GET /api/v1/stats, /api/v1/stats/ranking).
INSERT INTO role_permissions (role_code, permission) VALUES
 ('admin', 'workorder.stats'), ('subdistrict_staff', 'workorder.stats'),
 ('community_staff', 'workorder.stats'), ('courtyard_secretary', 'workorder.stats');
