/*
 * webhook.h - outbound webhooks: subscribers, the outbox written with each
 * work-order event, and delivery with retries (at least once).
 *
 * Events: order.created (the intake event), order.state_changed (any event
 * that moves the state, closing included), card.issued (a yellow or red
 * card), order.closed.  One work-order event may be several of them.  The
 * payload carries the order's id, number, states and action: no caller, no
 * text (a receiver that needs more asks the API with a token of its own).
 *
 * Delivery (deliver.c): POST of the payload with
 *   X-Yuanluo-Event: order.created
 *   X-Yuanluo-Delivery: the outbox row id (the same on every retry: receivers de-duplicate by it)
 *   X-Yuanluo-Timestamp: unix seconds of this attempt
 *   X-Yuanluo-Signature: sha256=hex(HMAC-SHA256(secret, timestamp + "." + body))
 * A 2xx answer delivers; anything else (or no answer within the timeout) is
 * retried after backoff * 2^(attempts-1) seconds (at most a day), and after
 * max_attempts the row is failed and shows in the admin view.
 *
 * Targets: only http and https URLs are taken.  A deployment restricts where
 * its servers may connect (a firewall or an egress proxy): a subscriber's URL
 * is entered by an administrator, and the server calls whatever it names.
 */
#ifndef YL_WEBHOOK_H
#define YL_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/fault.h"

#define WEBHOOK_EVENTS "order.created,order.state_changed,card.issued,order.closed"
#define WEBHOOK_SECRET_MAX 128
#define WEBHOOK_URL_MAX 2000

/* What event.c knows of one work-order event, inside its transaction. */
struct webhook_event {
	int64_t order_id;
	int64_t event_id;
	int64_t subdistrict_id;
	int64_t at;			/* unix seconds */
	const char *action;
	const char *from_state;		/* NULL: intake */
	const char *to_state;
};

/* Writes one outbox row per active subscriber that wants any of the event's kinds; inside the caller's transaction. */
int webhook_on_event(struct store *s, const struct webhook_event *e, struct fault *f);

struct webhook_subscriber {
	int64_t id;
	char *url;
	char *events;
	int active;
	char *created_at, *updated_at;
	int64_t pending, failed, delivered;	/* outbox rows by state */
};

struct webhook_subscriber_list {
	struct webhook_subscriber *items;
	size_t n;
	int64_t total;			/* all the subscribers, not only this page's */
};

/* New subscriber; secret NULL: one is generated and returned in *secret_out (the caller frees). */
struct webhook_input {
	const char *url;		/* NULL: unchanged (update) */
	const char *secret;		/* NULL: unchanged (update) or generated (create) */
	const char *events;		/* comma list; NULL: all (create) or unchanged (update) */
	int active;			/* -1: unchanged (update) / active (create) */
};

int webhook_create(struct store *s, const struct webhook_input *in, int64_t *id, char **secret_out, struct fault *f);
int webhook_update(struct store *s, int64_t id, const struct webhook_input *in, struct fault *f);
int webhook_get(struct store *s, int64_t id, struct webhook_subscriber *out, struct fault *f);
/* One page in id order (limit 0: all of them, from offset). */
int webhook_list(struct store *s, int limit, int offset, struct webhook_subscriber_list *out, struct fault *f);
void webhook_subscriber_release(struct webhook_subscriber *w);
void webhook_subscriber_list_release(struct webhook_subscriber_list *l);

/* The admin view of the outbox. */
struct webhook_delivery {
	int64_t id;
	int64_t subscriber_id;
	char *event;
	int64_t order_id;
	int64_t created_at, next_at, delivered_at;
	char *state;
	int attempts;
	int last_status;
	char *last_error;
	char *payload;
};

struct webhook_delivery_list {
	struct webhook_delivery *items;
	size_t n;
};

struct webhook_backlog {
	int64_t pending, failed, delivered;
	int64_t oldest_pending;		/* created_at of the oldest pending row; 0: none */
};

/* state NULL: every state; subscriber 0: every subscriber; newest first. */
int webhook_deliveries(struct store *s, const char *state, int64_t subscriber, int limit, int offset,
		       struct webhook_delivery_list *out, struct fault *f);
void webhook_delivery_list_release(struct webhook_delivery_list *l);
int webhook_backlog(struct store *s, struct webhook_backlog *out, struct fault *f);
/* A failed delivery goes back to pending, due now, its attempts counted afresh. */
int webhook_retry(struct store *s, int64_t delivery_id, struct fault *f);

/* Delivery (deliver.c). */
struct webhook_settings {
	unsigned interval_ms;		/* polling period */
	unsigned backoff;		/* seconds before the first retry */
	unsigned max_attempts;
	unsigned timeout;		/* seconds per attempt */
	unsigned lease;			/* seconds a claimed row stays with its claimer */
};

/*
 * Claims up to max (at most 64) due rows for owner: rows pending whose next attempt is due by the
 * wall clock (milliseconds) and that nobody holds at now (unix seconds), leased until now + lease.
 * Fills ids; returns how many, or -1.
 */
int webhook_claim(struct store *s, const char *owner, int64_t now, unsigned lease, int64_t *ids, int max,
		  struct fault *f);

struct webhook_stats {
	uint64_t attempts, delivered, failed, retried;
};

struct webhook_sender;
/* Starts the delivery thread on its own connection to dsn; NULL when interval is 0 or it cannot start. */
struct webhook_sender *webhook_sender_start(const char *dsn, const struct webhook_settings *cfg);
void webhook_sender_stop(struct webhook_sender *w);
void webhook_sender_stats(struct webhook_stats *out);

/* sha256=HEX of HMAC-SHA256(secret, timestamp "." body): what receivers check. */
void webhook_sign(const char *secret, int64_t timestamp, const char *body, size_t len, char out[72]);

#endif
