-- 013: work-order configuration run by the people who run the office (categories, routing rules,
-- time limits and the sweep policy over the API: src/workorder/config.c), and the hotline's own
-- category tree mapped onto ours (src/workorder/category_map.c).
--
-- category_external: the hotline's category path as the file gave it (parts trimmed, joined by
-- '>'); category_by: how the path found the order's category: 'map' (a row of wo_category_map
-- for the path or a parent path), 'tree' (the path is one of our tree by name), 'parent' (a parent
-- path is, by name), 'fallback' (the configured fallback).  'parent' and 'fallback' are the paths
-- still waiting for a mapping: listed with counts and re-filed when one is given.
ALTER TABLE work_orders ADD COLUMN category_external TEXT;
ALTER TABLE work_orders ADD COLUMN category_by TEXT CHECK (category_by IN ('tree','map','parent','fallback'));
CREATE INDEX work_orders_category_external ON work_orders(category_external, category_by)
	WHERE category_external IS NOT NULL;

-- An external path (exact, as category_external) and the category its orders are filed under.
CREATE TABLE wo_category_map (
	path        TEXT    PRIMARY KEY,
	category_id INTEGER NOT NULL REFERENCES wo_categories(id),
	created_at  TEXT    NOT NULL,
	updated_at  TEXT    NOT NULL
);

-- Deployment-wide settings of the work-order engine, one row per key.
--   category_fallback: the category (id) of a hotline order whose path and parents map to nothing.
CREATE TABLE wo_settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
INSERT INTO wo_settings (key, value) VALUES ('category_fallback', '23');

-- workorder.config: categories, routing rules, time limits, sweep policy and the category map.
INSERT INTO role_permissions (role_code, permission) VALUES ('admin', 'workorder.config');
