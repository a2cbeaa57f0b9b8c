/*
 * wo_internal.h - what the files of src/workorder/ share among themselves.
 * Internal: the contract for other modules is workorder.h.
 *
 * States are an enum here (names in WO_STATES order); the store holds the names.
 * Every helper returns 0, or -1 with the fault filled, unless it says otherwise.
 */
#ifndef YL_WO_INTERNAL_H
#define YL_WO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "workorder/workorder.h"

enum wo_state {
	WO_RECEIVED,
	WO_ACCEPTED,
	WO_ANSWERED,
	WO_DISPATCHED,
	WO_RETURN_REQUESTED,
	WO_IN_PROGRESS,
	WO_REPLIED,
	WO_REVIEWED,
	WO_DISSATISFIED,
	WO_CLOSED,
	WO_NSTATES,
	WO_STATE_NONE = -1,
};

#define WO_BIT(s) (1u << (s))

const char *wo_state_name(enum wo_state st);
enum wo_state wo_state_parse(const char *name);	/* WO_STATE_NONE when unknown */
/* 1 when v is one of the comma-separated words of list ("a,b,c"). */
int wo_word_in(const char *list, const char *v);

/* The system (a NULL actor) holds every permission. */
int wo_can(const struct actor *a, const char *permission);
/* 1 when the actor's scope holds node (a NULL or unscoped actor holds all), 0 when not, -1 on a store error. */
int wo_in_scope(struct store *s, const struct actor *a, int64_t node);



/* "2025-10-09 23:59:59" in Asia/Shanghai, for messages. */
void wo_local_text(int64_t unix_seconds, char out[32]);
int64_t wo_now(void);


/* number.c: the next public number for an order received at received_at, inside the write transaction. */
int wo_number_next(struct store *s, int64_t received_at, char out[WO_NUMBER_SIZE], struct fault *f);

/* category.c: the category (FAULT_INVALID on field when missing or inactive). */
int wo_category_check(struct store *s, int64_t id, const char *field, struct fault *f);

/* event.c: one event row, and its photos (checked: uploads that exist, not yet on the order). */
struct wo_event_input {
	int64_t order_id;
	int64_t subdistrict_id;
	int64_t at;
	const struct actor *actor;
	const char *action;
	const char *from_state;		/* NULL for the intake event */
	const char *to_state;
	int64_t node_id;		/* the handler after the event; 0: none */
	const char *opinion;
	const char *detail;
	const int64_t *photo_ids;
	size_t nphotos;
};

int wo_photos_check(struct store *s, const struct actor *a, int64_t order_id, const int64_t *ids, size_t n,
		    struct fault *f);
int wo_event_add(struct store *s, const struct wo_event_input *e, int64_t *event_id, struct fault *f);
/* The time of the order's last event (0 when none). */
int wo_last_event_at(struct store *s, int64_t order_id, int64_t *at, struct fault *f);

/*
 * provisional.c: deadlines counted on a provisional calendar.  wo_deadline()
 * is calendar_deadline() that also gives *base: 0 when counted on official
 * calendars only, else chain_base when not 0 (an extension of a provisional
 * deadline keeps its base), else from.  wo_provisional_save() writes the
 * order's rows when they differ from was (NULL: an order without rows yet).
 */
int wo_deadline(struct store *s, int64_t from, int days, int64_t chain_base, int64_t *deadline, int64_t *base,
		struct fault *f);
int wo_provisional_save(struct store *s, int64_t id, const struct wo_provisional *was,
			const struct wo_provisional *now, struct fault *f);

/* order.c: reads a row of WO_ORDER_SELECT; fills photo ids. */
int wo_load_photos(struct store *s, struct wo_order *o, struct fault *f);
void wo_read_order(struct store_stmt *st, struct wo_order *o);
extern const char WO_ORDER_SELECT[];	/* "SELECT <columns> FROM work_orders w JOIN ..." without WHERE */

/*
 * machine.c.  The transition table, for tests and the UI's help text: each row
 * names an action, the states it is allowed from (WO_BIT set), its permission,
 * and whose node the actor's scope must hold.
 */
enum wo_scope_of { WO_SCOPE_PLACE, WO_SCOPE_HANDLER };

struct wo_rule_view {
	const char *action;
	unsigned from;
	const char *permission;
	enum wo_scope_of scope;
	const char *to;			/* the usual next state; NULL: the same state */
};

size_t wo_rule_count(void);
void wo_rule_get(size_t i, struct wo_rule_view *out);

/*
 * The dispatch at intake: a trusted order is sent to the node routing chose,
 * as the system would (no permission or target-scope check: the creator's
 * right to enter the order was checked, and routing may pick a node above the
 * creator's scope).  Inside the caller's write transaction.
 */
int wo_dispatch_at_intake(struct store *s, const struct actor *a, int64_t id, int64_t node, int64_t at,
			  struct fault *f);

#endif
