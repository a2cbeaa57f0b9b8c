-- 010: outbound webhooks: subscribers, and the outbox their deliveries wait in.
--
-- An outbox row is written in the same transaction as the work-order event it tells of
-- (src/workorder/event.c calls webhook_on_event()), one row per subscriber that wants the
-- event, so an event that committed is delivered at least once and one that rolled back
-- never is.  Delivery threads of any number of servers claim rows by a conditional UPDATE
-- of the lease (lease_owner, lease_until): a row is taken by one claimer at a time, and
-- taken again only once its lease has run out (a server that died mid-delivery).

-- Deployment-wide: a subscriber belongs to no subdistrict.
CREATE TABLE webhook_subscribers (
	id          INTEGER PRIMARY KEY,
	url         TEXT    NOT NULL,
	secret_enc  TEXT    NOT NULL,	-- the signing secret, sealed with the data key (pii_encrypt)
	events      TEXT    NOT NULL,	-- comma list: order.created,order.state_changed,card.issued,order.closed
	active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at  TEXT    NOT NULL,
	updated_at  TEXT    NOT NULL
);

CREATE TABLE webhook_outbox (
	id             INTEGER PRIMARY KEY,
	subdistrict_id INTEGER NOT NULL REFERENCES nodes(id),
	subscriber_id  INTEGER NOT NULL REFERENCES webhook_subscribers(id),
	event          TEXT    NOT NULL,
	order_id       INTEGER NOT NULL REFERENCES work_orders(id),
	event_id       INTEGER NOT NULL REFERENCES wo_events(id),
	payload        TEXT    NOT NULL,
	created_at     INTEGER NOT NULL,	-- unix seconds
	state          TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','delivered','failed')),
	attempts       INTEGER NOT NULL DEFAULT 0,
	next_at_ms     INTEGER NOT NULL,	-- unix milliseconds of the next attempt (backoff below a second is exact)
	lease_owner    TEXT,
	lease_until    INTEGER,
	last_status    INTEGER,			-- HTTP status of the last attempt; 0: no answer
	last_error     TEXT,
	delivered_at   INTEGER
);
CREATE INDEX webhook_outbox_due ON webhook_outbox(state, next_at_ms);
CREATE INDEX webhook_outbox_subscriber ON webhook_outbox(subscriber_id, state, id);

-- Administrators manage subscribers and see the backlog.
INSERT INTO role_permissions (role_code, permission) VALUES ('admin', 'webhooks.admin');
