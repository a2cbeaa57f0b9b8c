-- 032: enterprises' honours (src/enterprise/honour.c, issue 15): 专精特新, 专精特新"小巨人", 瞪羚, 高新技术企业
-- and others, with the level that awarded it, the year and, when it lapses, the expiry date.  An
-- enterprise holds a kind at a level once a year.
CREATE TABLE enterprise_honours (
	id             INTEGER PRIMARY KEY,
	subdistrict_id INTEGER NOT NULL REFERENCES nodes(id),
	enterprise_id  INTEGER NOT NULL REFERENCES enterprises(id),
	kind           TEXT    NOT NULL CHECK (kind IN ('specialised','little_giant','gazelle','high_tech','other')),
	title          TEXT,				-- the award's own words; required for 'other'
	level          TEXT    NOT NULL CHECK (level IN ('national','provincial','city','district')),
	year           INTEGER NOT NULL,
	expires_on     TEXT,				-- YYYY-MM-DD; NULL: does not lapse
	user_id        INTEGER REFERENCES users(id),
	created_at     TEXT    NOT NULL,
	UNIQUE (enterprise_id, kind, level, year)
);
CREATE INDEX enterprise_honours_kind ON enterprise_honours(subdistrict_id, kind, level, year);
