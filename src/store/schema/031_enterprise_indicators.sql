-- 031: enterprises' monthly indicators (src/enterprise/indicator.c, issue 15): per enterprise and month,
-- industrial output (工业产值), sales revenue, taxes and fixed-asset investment (固定资产投资) in 万元 and
-- energy use in tonnes of standard coal, each as a fixed-point integer with four decimals (万元 to the
-- yuan: 20.27 亿元 = 202700 万元 = 2027000000), NULL when not reported.  Growth (环比, 同比), shares
-- and contributions are computed when asked, never stored.  A month is reported once; a correction
-- needs a reason and keeps the values it replaced in enterprise_indicator_corrections.
CREATE TABLE enterprise_indicators (
	id             INTEGER PRIMARY KEY,
	subdistrict_id INTEGER NOT NULL REFERENCES nodes(id),
	enterprise_id  INTEGER NOT NULL REFERENCES enterprises(id),
	month          TEXT    NOT NULL,			-- YYYY-MM
	output         INTEGER CHECK (output >= 0),
	sales          INTEGER CHECK (sales >= 0),
	taxes          INTEGER CHECK (taxes >= 0),
	investment     INTEGER CHECK (investment >= 0),
	energy         INTEGER CHECK (energy >= 0),
	revision       INTEGER NOT NULL DEFAULT 1,
	user_id        INTEGER REFERENCES users(id),
	created_at     TEXT    NOT NULL,
	updated_at     TEXT    NOT NULL,
	UNIQUE (enterprise_id, month)
);
CREATE INDEX enterprise_indicators_month ON enterprise_indicators(subdistrict_id, month);

-- Append-only: the values a correction replaced, with its reason.
CREATE TABLE enterprise_indicator_corrections (
	id             INTEGER PRIMARY KEY,
	subdistrict_id INTEGER NOT NULL REFERENCES nodes(id),
	indicator_id   INTEGER NOT NULL REFERENCES enterprise_indicators(id),
	revision       INTEGER NOT NULL,			-- the revision these values were
	output         INTEGER,
	sales          INTEGER,
	taxes          INTEGER,
	investment     INTEGER,
	energy         INTEGER,
	reason         TEXT    NOT NULL,
	user_id        INTEGER REFERENCES users(id),
	created_at     TEXT    NOT NULL
);
CREATE INDEX enterprise_indicator_corrections_indicator ON enterprise_indicator_corrections(indicator_id, id);
