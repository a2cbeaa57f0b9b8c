-- 004: the working-day calendar: each year's public holidays (法定节假日) and swapped working days (调休),
-- as announced by the State Council and loaded by an administrator (share/calendar/YYYY.csv).
--
-- A day not listed is a working day from Monday to Friday and a rest day on Saturday and Sunday.  A year
-- without a row in calendar_years has no calendar: deadlines that reach it are refused, never guessed.
-- Days are Asia/Shanghai calendar days as 'YYYY-MM-DD' text (ordered like the dates they are).

CREATE TABLE calendar_years (
	year      INTEGER PRIMARY KEY,
	source    TEXT    NOT NULL,	-- where the file came from: its path, or 'api'
	loaded_at TEXT    NOT NULL,	-- UTC
	days      INTEGER NOT NULL	-- special days listed (rows of calendar_days)
);

CREATE TABLE calendar_days (
	day  TEXT    PRIMARY KEY,
	year INTEGER NOT NULL REFERENCES calendar_years(year),
	kind TEXT    NOT NULL CHECK (kind IN ('holiday','workday')),
	name TEXT    NOT NULL
);
CREATE INDEX calendar_days_year ON calendar_days(year, day, kind);	-- covers the per-year read

INSERT INTO role_permissions (role_code, permission) VALUES
 ('admin', 'calendar.read'), ('admin', 'calendar.admin'),
 ('subdistrict_staff', 'calendar.read'), ('community_staff', 'calendar.read'),
 ('courtyard_secretary', 'calendar.read'), ('grid_member', 'calendar.read');
