-- 012: deadlines counted on a provisional calendar (src/calendar/provisional.c), so that loading
-- the official year can count them again (src/workorder/recalc.c).  One row per deadline that is
-- provisional; none for a deadline counted on official calendars only.
--   kind: what is due ('work_order'); field: which of its deadlines ('deadline', 'sign_deadline',
--   'return_deadline'); base_at: the instant its working days count from (an extension keeps the
--   base of the deadline it extends, so the recount spans the whole chain).
CREATE TABLE provisional_deadlines (
	kind    TEXT    NOT NULL,
	ref_id  INTEGER NOT NULL,
	field   TEXT    NOT NULL,
	base_at INTEGER NOT NULL,
	PRIMARY KEY (kind, ref_id, field)
);
