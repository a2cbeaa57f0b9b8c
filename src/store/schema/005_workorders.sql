-- 005: work orders (工单): categories, routing rules, time limits, orders, their events and photos.

-- A two-level category tree, configurable; route_level forces where an order of the
-- category goes (NULL: the courtyard holding the place, the default).
CREATE TABLE wo_categories (
	id          INTEGER PRIMARY KEY,
	parent_id   INTEGER REFERENCES wo_categories(id),
	code        TEXT    NOT NULL UNIQUE,
	name        TEXT    NOT NULL,
	route_level TEXT    CHECK (route_level IN ('courtyard','community','subdistrict')),
	active      INTEGER NOT NULL DEFAULT 1,
	sort        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX wo_categories_parent ON wo_categories(parent_id, sort);

-- Routing rules by category and/or type; the most specific matching rule wins.
CREATE TABLE wo_routing_rules (
	id          INTEGER PRIMARY KEY,
	category_id INTEGER REFERENCES wo_categories(id),
	type        TEXT,
	route_level TEXT    NOT NULL CHECK (route_level IN ('courtyard','community','subdistrict')),
	note        TEXT
);

-- Time limits in working days per type and urgency ('*' matches any); Shandong defaults.
CREATE TABLE wo_time_limits (
	type               TEXT    NOT NULL,
	urgency            TEXT    NOT NULL,
	reply_days         INTEGER NOT NULL CHECK (reply_days BETWEEN 1 AND 60),
	sign_days          INTEGER NOT NULL CHECK (sign_days BETWEEN 1 AND 10),
	return_days        INTEGER NOT NULL CHECK (return_days BETWEEN 1 AND 10),
	extension_max_days INTEGER NOT NULL CHECK (extension_max_days BETWEEN 0 AND 30),
	reopen_days        INTEGER NOT NULL CHECK (reopen_days BETWEEN 0 AND 365),
	PRIMARY KEY (type, urgency)
);

CREATE TABLE wo_daily_seq (
	day  TEXT    PRIMARY KEY,
	last INTEGER NOT NULL
);

CREATE TABLE work_orders (
	id                 INTEGER PRIMARY KEY,
	subdistrict_id     INTEGER NOT NULL REFERENCES nodes(id),
	number             TEXT    NOT NULL UNIQUE,
	source             TEXT    NOT NULL CHECK (source IN ('resident','grid','mobile_grid','phone','walk_in','hotline')),
	external_no        TEXT,
	idempotency_key    TEXT    UNIQUE,
	type               TEXT    NOT NULL CHECK (type IN ('consultation','help','complaint','report','suggestion')),
	category_id        INTEGER NOT NULL REFERENCES wo_categories(id),
	urgency            TEXT    NOT NULL CHECK (urgency IN ('normal','urgent')),
	node_id            INTEGER NOT NULL REFERENCES nodes(id),
	address            TEXT,
	lat                DOUBLE PRECISION,
	lng                DOUBLE PRECISION,
	caller_name_enc    TEXT,
	caller_phone_enc   TEXT,
	caller_phone_hash  TEXT,
	confidential       INTEGER NOT NULL DEFAULT 0,
	text               TEXT    NOT NULL,
	state              TEXT    NOT NULL CHECK (state IN ('received','accepted','answered','dispatched','return_requested',
	                                                     'in_progress','replied','reviewed','dissatisfied','closed')),
	return_from        TEXT,
	handler_node_id    INTEGER REFERENCES nodes(id),
	settled_level      TEXT,
	created_by         INTEGER,
	received_at        INTEGER NOT NULL,
	accepted_at        INTEGER,
	dispatched_at      INTEGER,
	signed_at          INTEGER,
	replied_at         INTEGER,
	closed_at          INTEGER,
	sign_deadline      INTEGER,
	return_deadline    INTEGER,
	deadline           INTEGER,
	card               TEXT    NOT NULL DEFAULT 'none' CHECK (card IN ('none','yellow','red')),
	returns            INTEGER NOT NULL DEFAULT 0,
	extensions         INTEGER NOT NULL DEFAULT 0,
	redos              INTEGER NOT NULL DEFAULT 0,
	supervisions       INTEGER NOT NULL DEFAULT 0,
	escalations        INTEGER NOT NULL DEFAULT 0,
	reopens            INTEGER NOT NULL DEFAULT 0,
	extension_days_requested INTEGER NOT NULL DEFAULT 0,
	extension_days_granted   INTEGER NOT NULL DEFAULT 0,
	satisfaction       TEXT    CHECK (satisfaction IN ('satisfied','basically_satisfied','dissatisfied')),
	resolved           INTEGER,
	created_at         TEXT    NOT NULL,
	updated_at         TEXT    NOT NULL
);
-- The hotline's number is unique per deployment: re-importing a file creates nothing new.
CREATE UNIQUE INDEX work_orders_external ON work_orders(source, external_no);
CREATE INDEX work_orders_handler ON work_orders(handler_node_id, state);
CREATE INDEX work_orders_node ON work_orders(node_id, received_at);
CREATE INDEX work_orders_state ON work_orders(state, received_at);
CREATE INDEX work_orders_received ON work_orders(subdistrict_id, received_at);
CREATE INDEX work_orders_creator ON work_orders(created_by, received_at);
-- The sweeper's work follows the orders that are due, not all orders.
CREATE INDEX work_orders_deadline ON work_orders(deadline) WHERE state IN ('dispatched','in_progress','return_requested');

CREATE TABLE wo_events (
	id            INTEGER PRIMARY KEY,
	order_id      INTEGER NOT NULL REFERENCES work_orders(id),
	subdistrict_id INTEGER NOT NULL REFERENCES nodes(id),
	at            INTEGER NOT NULL,
	actor_user_id INTEGER,
	actor_login   TEXT,
	action        TEXT    NOT NULL,
	from_state    TEXT,
	to_state      TEXT    NOT NULL,
	node_id       INTEGER REFERENCES nodes(id),
	opinion       TEXT,
	detail        TEXT
);
CREATE INDEX wo_events_order ON wo_events(order_id, id);
CREATE INDEX wo_events_action ON wo_events(action, at);

-- Photos on disk by content hash (outside the web root); rows link them to orders and events.
CREATE TABLE wo_uploads (
	id          INTEGER PRIMARY KEY,
	sha256      TEXT    NOT NULL,
	mime        TEXT    NOT NULL CHECK (mime IN ('image/jpeg','image/png')),
	size        INTEGER NOT NULL,
	uploaded_by INTEGER,
	created_at  TEXT    NOT NULL
);
CREATE TABLE wo_photos (
	order_id  INTEGER NOT NULL REFERENCES work_orders(id),
	event_id  INTEGER REFERENCES wo_events(id),
	upload_id INTEGER NOT NULL REFERENCES wo_uploads(id),
	PRIMARY KEY (order_id, upload_id)
);

INSERT INTO wo_time_limits (type, urgency, reply_days, sign_days, return_days, extension_max_days, reopen_days) VALUES
 ('*', '*', 5, 1, 2, 10, 30);

-- A sensible default tree, after the categories 12345 centres use.
INSERT INTO wo_categories (id, parent_id, code, name, route_level, sort) VALUES
 (1,  NULL, 'env',        '市容环境', NULL, 1),
 (2,  1,    'env.clean',  '环境卫生', NULL, 1),
 (3,  1,    'env.green',  '绿化养护', NULL, 2),
 (4,  1,    'env.parking','乱停乱放', NULL, 3),
 (5,  NULL, 'prop',       '城乡建设', NULL, 2),
 (6,  5,    'prop.mgmt',  '物业管理', NULL, 1),
 (7,  5,    'prop.repair','房屋维修', NULL, 2),
 (8,  5,    'prop.heat',  '供暖',     'community', 3),
 (9,  NULL, 'neigh',      '邻里纠纷', NULL, 3),
 (10, 9,    'neigh.noise','噪音扰民', NULL, 1),
 (11, 9,    'neigh.dispute','邻里矛盾', NULL, 2),
 (12, NULL, 'util',       '公用设施', NULL, 4),
 (13, 12,   'util.water', '供水排水', 'community', 1),
 (14, 12,   'util.power', '供电照明', NULL, 2),
 (15, 12,   'util.road',  '道路井盖', 'community', 3),
 (16, NULL, 'safety',     '治安安全', NULL, 5),
 (17, 16,   'safety.fire','消防隐患', 'community', 1),
 (18, 16,   'safety.order','治安秩序', 'community', 2),
 (19, NULL, 'service',    '民生服务', NULL, 6),
 (20, 19,   'service.elder','养老助残', NULL, 1),
 (21, 19,   'service.social','社保低保', 'subdistrict', 2),
 (22, NULL, 'other',      '其他',     NULL, 7),
 (23, 22,   'other.other','其他事项', NULL, 1);

-- Reports of wrongdoing (举报) are handled by the community, not the courtyard.
INSERT INTO wo_routing_rules (category_id, type, route_level, note) VALUES
 (NULL, 'report', 'community', '举报由社区办理');

-- Who may do what with work orders.  workorder.dispatch: intake desk (accept, refuse, answer,
-- dispatch, returns, extensions, supervision; and entering phone, walk-in and hotline orders);
-- workorder.handle: the handling node (sign, ask for return or extension, reply, escalate);
-- workorder.review: review and callback, redo, close, reopen.  The route of every action is
-- declared workorder.act (held by every role holding one of the three); the action's own
-- permission is checked by the state machine (src/workorder/machine.c).
-- workorder.read opens the read routes and shows the orders one filed; workorder.read_all
-- shows every order of one's scope.  Mobile grid members, who can only report, hold read
-- without read_all.  (A positive right rather than an "own only" restriction: a role is given
-- only by someone holding all of its permissions.)  workorder.reveal shows a caller in full
-- (audited).
INSERT INTO role_permissions (role_code, permission) VALUES
 ('admin', 'workorder.create'), ('admin', 'workorder.read'), ('admin', 'workorder.read_all'),
 ('admin', 'workorder.act'), ('admin', 'workorder.dispatch'), ('admin', 'workorder.handle'),
 ('admin', 'workorder.review'), ('admin', 'workorder.reveal'),
 ('subdistrict_staff', 'workorder.create'), ('subdistrict_staff', 'workorder.read'),
 ('subdistrict_staff', 'workorder.read_all'), ('subdistrict_staff', 'workorder.act'),
 ('subdistrict_staff', 'workorder.dispatch'), ('subdistrict_staff', 'workorder.handle'),
 ('subdistrict_staff', 'workorder.review'), ('subdistrict_staff', 'workorder.reveal'),
 ('community_staff', 'workorder.create'), ('community_staff', 'workorder.read'),
 ('community_staff', 'workorder.read_all'), ('community_staff', 'workorder.act'),
 ('community_staff', 'workorder.dispatch'), ('community_staff', 'workorder.handle'),
 ('community_staff', 'workorder.review'), ('community_staff', 'workorder.reveal'),
 ('courtyard_secretary', 'workorder.create'), ('courtyard_secretary', 'workorder.read'),
 ('courtyard_secretary', 'workorder.read_all'), ('courtyard_secretary', 'workorder.act'),
 ('courtyard_secretary', 'workorder.handle'),
 ('grid_member', 'workorder.create'), ('grid_member', 'workorder.read'), ('grid_member', 'workorder.read_all'),
 ('mobile_grid_member', 'workorder.create'), ('mobile_grid_member', 'workorder.read');
