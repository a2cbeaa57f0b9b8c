-- 007: finding work orders fast at ten million rows (src/workorder/list.c, search.c): the place and
-- the handler denormalised to their community and courtyard, full-text search over the order's own
-- words, and the indexes of the lists' access paths.
--
-- All of it is kept in step by triggers, inside the transaction of the write that changes an order
-- (or moves a node): the engine's writes need not know it exists, and a write rolled back leaves
-- nothing behind.  The triggers and the search index are in two dialects: SQLite's FTS5 and
-- PostgreSQL's pg_trgm (search.c holds the search SQL of both).

-- The place's and the handler's community and courtyard (NULL when the node is above that level).
-- A subtree of a community or a courtyard is then one equality on an indexed column, which a page
-- walks in the order it shows, instead of node_id IN (thousands of households) and a sort of all
-- their orders.  (A subdistrict is subdistrict_id, there since 005; below a courtyard, few orders:
-- the courtyard's walk and the closure.)  Derived data: the tree decides, and a moved node carries
-- its orders' columns along (trigger on nodes below).  Each is read from the node's few closure
-- rows (node_closure_desc) and each ancestor's level by its key: written as a join with
-- "level = ...", the planner may start from every node of that level instead, on every insert.
ALTER TABLE work_orders ADD COLUMN community_id INTEGER;
ALTER TABLE work_orders ADD COLUMN courtyard_id INTEGER;
ALTER TABLE work_orders ADD COLUMN handler_community_id INTEGER;
ALTER TABLE work_orders ADD COLUMN handler_courtyard_id INTEGER;

UPDATE work_orders SET
	community_id = (SELECT c.ancestor_id FROM node_closure c WHERE c.descendant_id = work_orders.node_id
			AND (SELECT a.level FROM nodes a WHERE a.id = c.ancestor_id) = 'community'),
	courtyard_id = (SELECT c.ancestor_id FROM node_closure c WHERE c.descendant_id = work_orders.node_id
			AND (SELECT a.level FROM nodes a WHERE a.id = c.ancestor_id) = 'courtyard'),
	handler_community_id = (SELECT c.ancestor_id FROM node_closure c WHERE c.descendant_id = work_orders.handler_node_id
			AND (SELECT a.level FROM nodes a WHERE a.id = c.ancestor_id) = 'community'),
	handler_courtyard_id = (SELECT c.ancestor_id FROM node_closure c WHERE c.descendant_id = work_orders.handler_node_id
			AND (SELECT a.level FROM nodes a WHERE a.id = c.ancestor_id) = 'courtyard');

-- dialect: sqlite
-- Full-text search (FTS5, trigram tokenizer: any substring of 3 or more characters, which suits
-- Chinese, written without spaces) over the order's number, the hotline's number, the address and
-- the text; never the caller's name or phone (personal data: encrypted at rest, not searchable).
-- Contentless (content=''): the words stay in work_orders only, and the index's rowid is free to be
-- the order's key in the time sort, (received_at - 2000-01-01) * 2^30 + id, so that the matches
-- come out newest first and a page of a search stops when it is full.  (It holds for ids below
-- 2^30, a thousand million orders, and times before the year 2272; beyond, a search_key column
-- with a unique index would carry it instead.)  place and handler hold tokens for the
-- place's subdistrict, community and courtyard and the handler's community and courtyard (each
-- node id as 3 private-use characters, U+E000 + base-6400 digits: one trigram, found by no
-- word), so that "in my courtyard" is a term the index intersects, not a check of every match.
CREATE VIRTUAL TABLE wo_search USING fts5(number, external_no, address, text, place, handler,
	content='', tokenize='trigram');
INSERT INTO wo_search (rowid, number, external_no, address, text, place, handler)
	SELECT (w.received_at - 946684800) * 1073741824 + w.id, w.number, w.external_no, w.address, w.text,
		CASE WHEN w.subdistrict_id IS NULL THEN '' ELSE char(57344 + w.subdistrict_id / 40960000 % 6400, 57344 + w.subdistrict_id / 6400 % 6400, 57344 + w.subdistrict_id % 6400) || ' ' END
		|| CASE WHEN w.community_id IS NULL THEN '' ELSE char(57344 + w.community_id / 40960000 % 6400, 57344 + w.community_id / 6400 % 6400, 57344 + w.community_id % 6400) || ' ' END
		|| CASE WHEN w.courtyard_id IS NULL THEN '' ELSE char(57344 + w.courtyard_id / 40960000 % 6400, 57344 + w.courtyard_id / 6400 % 6400, 57344 + w.courtyard_id % 6400) || ' ' END,
		CASE WHEN w.handler_community_id IS NULL THEN '' ELSE char(57344 + w.handler_community_id / 40960000 % 6400, 57344 + w.handler_community_id / 6400 % 6400, 57344 + w.handler_community_id % 6400) || ' ' END
		|| CASE WHEN w.handler_courtyard_id IS NULL THEN '' ELSE char(57344 + w.handler_courtyard_id / 40960000 % 6400, 57344 + w.handler_courtyard_id / 6400 % 6400, 57344 + w.handler_courtyard_id % 6400) || ' ' END
	FROM work_orders w;

-- An order's index row is a function of its columns: whenever one of them changes, the row indexed
-- with the old values (a contentless index needs them exactly) is taken out and the new one put in.
-- Every change goes through here, the derived columns' too (the triggers below set them).
CREATE TRIGGER wo_search_sync AFTER UPDATE OF number, external_no, address, text, received_at, subdistrict_id,
	community_id, courtyard_id, handler_community_id, handler_courtyard_id ON work_orders
WHEN old.number IS NOT new.number OR old.external_no IS NOT new.external_no OR old.address IS NOT new.address
	OR old.text IS NOT new.text OR old.received_at IS NOT new.received_at OR old.subdistrict_id IS NOT new.subdistrict_id
	OR old.community_id IS NOT new.community_id OR old.courtyard_id IS NOT new.courtyard_id
	OR old.handler_community_id IS NOT new.handler_community_id
	OR old.handler_courtyard_id IS NOT new.handler_courtyard_id
BEGIN
	INSERT INTO wo_search (wo_search, rowid, number, external_no, address, text, place, handler)
	VALUES ('delete', (old.received_at - 946684800) * 1073741824 + old.id, old.number, old.external_no, old.address, old.text,
		CASE WHEN old.subdistrict_id IS NULL THEN '' ELSE char(57344 + old.subdistrict_id / 40960000 % 6400, 57344 + old.subdistrict_id / 6400 % 6400, 57344 + old.subdistrict_id % 6400) || ' ' END
		|| CASE WHEN old.community_id IS NULL THEN '' ELSE char(57344 + old.community_id / 40960000 % 6400, 57344 + old.community_id / 6400 % 6400, 57344 + old.community_id % 6400) || ' ' END
		|| CASE WHEN old.courtyard_id IS NULL THEN '' ELSE char(57344 + old.courtyard_id / 40960000 % 6400, 57344 + old.courtyard_id / 6400 % 6400, 57344 + old.courtyard_id % 6400) || ' ' END,
		CASE WHEN old.handler_community_id IS NULL THEN '' ELSE char(57344 + old.handler_community_id / 40960000 % 6400, 57344 + old.handler_community_id / 6400 % 6400, 57344 + old.handler_community_id % 6400) || ' ' END
		|| CASE WHEN old.handler_courtyard_id IS NULL THEN '' ELSE char(57344 + old.handler_courtyard_id / 40960000 % 6400, 57344 + old.handler_courtyard_id / 6400 % 6400, 57344 + old.handler_courtyard_id % 6400) || ' ' END);
	INSERT INTO wo_search (rowid, number, external_no, address, text, place, handler)
	VALUES ((new.received_at - 946684800) * 1073741824 + new.id, new.number, new.external_no, new.address, new.text,
		CASE WHEN new.subdistrict_id IS NULL THEN '' ELSE char(57344 + new.subdistrict_id / 40960000 % 6400, 57344 + new.subdistrict_id / 6400 % 6400, 57344 + new.subdistrict_id % 6400) || ' ' END
		|| CASE WHEN new.community_id IS NULL THEN '' ELSE char(57344 + new.community_id / 40960000 % 6400, 57344 + new.community_id / 6400 % 6400, 57344 + new.community_id % 6400) || ' ' END
		|| CASE WHEN new.courtyard_id IS NULL THEN '' ELSE char(57344 + new.courtyard_id / 40960000 % 6400, 57344 + new.courtyard_id / 6400 % 6400, 57344 + new.courtyard_id % 6400) || ' ' END,
		CASE WHEN new.handler_community_id IS NULL THEN '' ELSE char(57344 + new.handler_community_id / 40960000 % 6400, 57344 + new.handler_community_id / 6400 % 6400, 57344 + new.handler_community_id % 6400) || ' ' END
		|| CASE WHEN new.handler_courtyard_id IS NULL THEN '' ELSE char(57344 + new.handler_courtyard_id / 40960000 % 6400, 57344 + new.handler_courtyard_id / 6400 % 6400, 57344 + new.handler_courtyard_id % 6400) || ' ' END);
END;
CREATE TRIGGER wo_search_delete AFTER DELETE ON work_orders BEGIN
	INSERT INTO wo_search (wo_search, rowid, number, external_no, address, text, place, handler)
	VALUES ('delete', (old.received_at - 946684800) * 1073741824 + old.id, old.number, old.external_no, old.address, old.text,
		CASE WHEN old.subdistrict_id IS NULL THEN '' ELSE char(57344 + old.subdistrict_id / 40960000 % 6400, 57344 + old.subdistrict_id / 6400 % 6400, 57344 + old.subdistrict_id % 6400) || ' ' END
		|| CASE WHEN old.community_id IS NULL THEN '' ELSE char(57344 + old.community_id / 40960000 % 6400, 57344 + old.community_id / 6400 % 6400, 57344 + old.community_id % 6400) || ' ' END
		|| CASE WHEN old.courtyard_id IS NULL THEN '' ELSE char(57344 + old.courtyard_id / 40960000 % 6400, 57344 + old.courtyard_id / 6400 % 6400, 57344 + old.courtyard_id % 6400) || ' ' END,
		CASE WHEN old.handler_community_id IS NULL THEN '' ELSE char(57344 + old.handler_community_id / 40960000 % 6400, 57344 + old.handler_community_id / 6400 % 6400, 57344 + old.handler_community_id % 6400) || ' ' END
		|| CASE WHEN old.handler_courtyard_id IS NULL THEN '' ELSE char(57344 + old.handler_courtyard_id / 40960000 % 6400, 57344 + old.handler_courtyard_id / 6400 % 6400, 57344 + old.handler_courtyard_id % 6400) || ' ' END);
END;
-- Intake: the index row as inserted first, then the derived columns, whose update moves the index
-- row along (wo_search_sync).  One trigger, so that the two happen in this order.
CREATE TRIGGER work_orders_intake AFTER INSERT ON work_orders BEGIN
	INSERT INTO wo_search (rowid, number, external_no, address, text, place, handler)
	VALUES ((new.received_at - 946684800) * 1073741824 + new.id, new.number, new.external_no, new.address, new.text,
		CASE WHEN new.subdistrict_id IS NULL THEN '' ELSE char(57344 + new.subdistrict_id / 40960000 % 6400, 57344 + new.subdistrict_id / 6400 % 6400, 57344 + new.subdistrict_id % 6400) || ' ' END
		|| CASE WHEN new.community_id IS NULL THEN '' ELSE char(57344 + new.community_id / 40960000 % 6400, 57344 + new.community_id / 6400 % 6400, 57344 + new.community_id % 6400) || ' ' END
		|| CASE WHEN new.courtyard_id IS NULL THEN '' ELSE char(57344 + new.courtyard_id / 40960000 % 6400, 57344 + new.courtyard_id / 6400 % 6400, 57344 + new.courtyard_id % 6400) || ' ' END,
		CASE WHEN new.handler_community_id IS NULL THEN '' ELSE char(57344 + new.handler_community_id / 40960000 % 6400, 57344 + new.handler_community_id / 6400 % 6400, 57344 + new.handler_community_id % 6400) || ' ' END
		|| CASE WHEN new.handler_courtyard_id IS NULL THEN '' ELSE char(57344 + new.handler_courtyard_id / 40960000 % 6400, 57344 + new.handler_courtyard_id / 6400 % 6400, 57344 + new.handler_courtyard_id % 6400) || ' ' END);
	UPDATE work_orders SET
		community_id = (SELECT c.ancestor_id FROM node_closure c WHERE c.descendant_id = new.node_id
			AND (SELECT a.level FROM nodes a WHERE a.id = c.ancestor_id) = 'community'),
		courtyard_id = (SELECT c.ancestor_id FROM node_closure c WHERE c.descendant_id = new.node_id
			AND (SELECT a.level FROM nodes a WHERE a.id = c.ancestor_id) = 'courtyard'),
		handler_community_id = (SELECT c.ancestor_id FROM node_closure c WHERE c.descendant_id = new.handler_node_id
			AND (SELECT a.level FROM nodes a WHERE a.id = c.ancestor_id) = 'community'),
		handler_courtyard_id = (SELECT c.ancestor_id FROM node_closure c WHERE c.descendant_id = new.handler_node_id
			AND (SELECT a.level FROM nodes a WHERE a.id = c.ancestor_id) = 'courtyard')
	WHERE id = new.id;
END;
CREATE TRIGGER work_orders_place AFTER UPDATE OF node_id ON work_orders
WHEN new.node_id IS NOT old.node_id BEGIN
	UPDATE work_orders SET
		community_id = (SELECT c.ancestor_id FROM node_closure c WHERE c.descendant_id = new.node_id
			AND (SELECT a.level FROM nodes a WHERE a.id = c.ancestor_id) = 'community'),
		courtyard_id = (SELECT c.ancestor_id FROM node_closure c WHERE c.descendant_id = new.node_id
			AND (SELECT a.level FROM nodes a WHERE a.id = c.ancestor_id) = 'courtyard')
	WHERE id = new.id;
END;
CREATE TRIGGER work_orders_handler AFTER UPDATE OF handler_node_id ON work_orders
WHEN new.handler_node_id IS NOT old.handler_node_id BEGIN
	UPDATE work_orders SET
		handler_community_id = (SELECT c.ancestor_id FROM node_closure c WHERE c.descendant_id = new.handler_node_id
			AND (SELECT a.level FROM nodes a WHERE a.id = c.ancestor_id) = 'community'),
		handler_courtyard_id = (SELECT c.ancestor_id FROM node_closure c WHERE c.descendant_id = new.handler_node_id
			AND (SELECT a.level FROM nodes a WHERE a.id = c.ancestor_id) = 'courtyard')
	WHERE id = new.id;
END;
-- org_node_update() rewrites the closure before it updates the node's parent_id: the closure read
-- here is already the new one.  Moves stay inside a subdistrict, so subdistrict_id holds.
CREATE TRIGGER nodes_move_work_orders AFTER UPDATE OF parent_id ON nodes
WHEN new.parent_id IS NOT old.parent_id BEGIN
	UPDATE work_orders SET
		community_id = (SELECT c.ancestor_id FROM node_closure c WHERE c.descendant_id = work_orders.node_id
			AND (SELECT a.level FROM nodes a WHERE a.id = c.ancestor_id) = 'community'),
		courtyard_id = (SELECT c.ancestor_id FROM node_closure c WHERE c.descendant_id = work_orders.node_id
			AND (SELECT a.level FROM nodes a WHERE a.id = c.ancestor_id) = 'courtyard')
	WHERE node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = new.id);
	UPDATE work_orders SET
		handler_community_id = (SELECT c.ancestor_id FROM node_closure c WHERE c.descendant_id = work_orders.handler_node_id
			AND (SELECT a.level FROM nodes a WHERE a.id = c.ancestor_id) = 'community'),
		handler_courtyard_id = (SELECT c.ancestor_id FROM node_closure c WHERE c.descendant_id = work_orders.handler_node_id
			AND (SELECT a.level FROM nodes a WHERE a.id = c.ancestor_id) = 'courtyard')
	WHERE handler_node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = new.id);
END;

-- dialect: postgresql
-- PostgreSQL: the derived columns are set by a BEFORE trigger on the row itself, a move of a node
-- carries its orders along as above, and the search is ILIKE over one expression of the four
-- columns with a pg_trgm GIN index on it (search.c): any substring, words of every length.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE FUNCTION yl_ancestor_at(node BIGINT, lvl TEXT) RETURNS BIGINT LANGUAGE sql STABLE AS $$
	SELECT c.ancestor_id FROM node_closure c JOIN nodes a ON a.id = c.ancestor_id
	WHERE c.descendant_id = node AND a.level = lvl
$$;
CREATE FUNCTION work_orders_derive() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' OR NEW.node_id IS DISTINCT FROM OLD.node_id THEN
		NEW.community_id := yl_ancestor_at(NEW.node_id, 'community');
		NEW.courtyard_id := yl_ancestor_at(NEW.node_id, 'courtyard');
	END IF;
	IF TG_OP = 'INSERT' OR NEW.handler_node_id IS DISTINCT FROM OLD.handler_node_id THEN
		NEW.handler_community_id := yl_ancestor_at(NEW.handler_node_id, 'community');
		NEW.handler_courtyard_id := yl_ancestor_at(NEW.handler_node_id, 'courtyard');
	END IF;
	RETURN NEW;
END;
$$;
CREATE TRIGGER work_orders_derive BEFORE INSERT OR UPDATE OF node_id, handler_node_id ON work_orders
	FOR EACH ROW EXECUTE FUNCTION work_orders_derive();
CREATE FUNCTION nodes_move_work_orders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE work_orders SET community_id = yl_ancestor_at(node_id, 'community'),
		courtyard_id = yl_ancestor_at(node_id, 'courtyard')
	WHERE node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = NEW.id);
	UPDATE work_orders SET handler_community_id = yl_ancestor_at(handler_node_id, 'community'),
		handler_courtyard_id = yl_ancestor_at(handler_node_id, 'courtyard')
	WHERE handler_node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = NEW.id);
	RETURN NULL;
END;
$$;
CREATE TRIGGER nodes_move_work_orders AFTER UPDATE OF parent_id ON nodes
	FOR EACH ROW WHEN (NEW.parent_id IS DISTINCT FROM OLD.parent_id) EXECUTE FUNCTION nodes_move_work_orders();
CREATE INDEX work_orders_words ON work_orders USING gin ((COALESCE(number, '') || ' ' || COALESCE(external_no, '')
	|| ' ' || COALESCE(address, '') || ' ' || COALESCE(text, '')) gin_trgm_ops);
-- dialect: all

-- Access paths (list.c says which query walks which).  Every index ends, implicitly, in the rowid,
-- so "received_at DESC, id DESC" is read straight off an index: a page costs its own rows, never a
-- sort of the subtree.  Each state asked for is a branch of its own (key, state, received_at) walk.
--   time order, all states or one:  (key, received_at), (key, state, received_at)
--   for key = nothing (deployment-wide), subdistrict_id (005 has (subdistrict_id, received_at)
--   and (state, received_at)), community_id, courtyard_id.
CREATE INDEX work_orders_time ON work_orders(received_at);
CREATE INDEX work_orders_sub_state ON work_orders(subdistrict_id, state, received_at);
CREATE INDEX work_orders_com ON work_orders(community_id, received_at);
CREATE INDEX work_orders_com_state ON work_orders(community_id, state, received_at);
CREATE INDEX work_orders_yard ON work_orders(courtyard_id, received_at);
CREATE INDEX work_orders_yard_state ON work_orders(courtyard_id, state, received_at);
-- (Nothing may follow received_at in these: the walk's order must be received_at, then the rowid.
-- A column between them orders ties by that column, and the planner rightly turns to another
-- index that keeps the order, or sorts.)
-- Visibility is "place OR handler in scope" (access.c).  The handler is almost always the place's
-- courtyard or one of its ancestors, and then the place decides; the few orders handled by a node
-- outside their place (sent to another courtyard) are a second branch of the query, over these
-- small partial indexes.
CREATE INDEX work_orders_com_cross ON work_orders(handler_community_id, received_at)
	WHERE handler_community_id IS DISTINCT FROM community_id;
CREATE INDEX work_orders_yard_cross ON work_orders(handler_courtyard_id, received_at)
	WHERE handler_courtyard_id IS DISTINCT FROM courtyard_id;
-- "My tasks": live orders by handling community or courtyard, state and deadline, and by reporter;
-- closed orders (nearly all of them, in time) are not in these indexes at all.
CREATE INDEX work_orders_com_live ON work_orders(handler_community_id, state, deadline)
	WHERE state <> 'closed';
CREATE INDEX work_orders_yard_live ON work_orders(handler_courtyard_id, state, deadline)
	WHERE state <> 'closed';
CREATE INDEX work_orders_sub_live ON work_orders(subdistrict_id, state, deadline)
	WHERE state <> 'closed' AND handler_node_id IS NOT NULL;
CREATE INDEX work_orders_creator_live ON work_orders(created_by, received_at)
	WHERE state <> 'closed';
-- The assignee filter (handler_node_id): replaces 005's (handler_node_id, state), its prefix.
DROP INDEX work_orders_handler;
CREATE INDEX work_orders_handler ON work_orders(handler_node_id, state, received_at);
