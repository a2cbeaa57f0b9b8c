-- 009: every row of a subdistrict's data carries its subdistrict, the child tables' too, so that
-- a province's deployment can be sharded by subdistrict (docs/SCALING.md: with Citus, the
-- distribution column of every distributed table).  The code fills the column on every insert
-- from the parent row (org/node.c, org/grid.c, people/person.c, workorder/event.c); here the
-- rows made before.  Deployment-wide tables (accounts, sessions, tokens, the audit log's single
-- chain) and reference tables (roles, categories, calendars, limits) have none: docs/SCALING.md.
ALTER TABLE node_closure ADD COLUMN subdistrict_id INTEGER;
ALTER TABLE node_history ADD COLUMN subdistrict_id INTEGER;
ALTER TABLE grid_nodes ADD COLUMN subdistrict_id INTEGER;
ALTER TABLE person_tags ADD COLUMN subdistrict_id INTEGER;
ALTER TABLE wo_photos ADD COLUMN subdistrict_id INTEGER;

UPDATE node_closure SET subdistrict_id = (SELECT n.subdistrict_id FROM nodes n WHERE n.id = node_closure.descendant_id);
UPDATE node_history SET subdistrict_id = (SELECT n.subdistrict_id FROM nodes n WHERE n.id = node_history.node_id);
UPDATE grid_nodes SET subdistrict_id = (SELECT g.subdistrict_id FROM grids g WHERE g.id = grid_nodes.grid_id);
UPDATE person_tags SET subdistrict_id = (SELECT p.subdistrict_id FROM persons p WHERE p.id = person_tags.person_id);
UPDATE wo_photos SET subdistrict_id = (SELECT w.subdistrict_id FROM work_orders w WHERE w.id = wo_photos.order_id);
