/*
 * provisional.c - which deadlines of an order were counted on a provisional
 * calendar (calendar.h), kept in provisional_deadlines (012_provisional.sql)
 * beside the order so that the order row and its readers stay as they were.
 *
 * The order's reads take the bases with the row (WO_ORDER_SELECT in order.c).
 * A deadline is written with the base its working days count from: the base
 * of a deadline extended from a provisional one is that deadline's base, so
 * count(base, deadline) is the whole chain's working days, and recalc.c can
 * count them again on the official calendar.
 */
#include "workorder/wo_internal.h"
#include "calendar/calendar.h"

#include <string.h>

static const char SQL_PROV_DELETE[] = "DELETE FROM provisional_deadlines WHERE kind = 'work_order' AND ref_id = ?";
static const char SQL_PROV_INSERT[] =
	"INSERT INTO provisional_deadlines (kind, ref_id, field, base_at) VALUES ('work_order', ?, ?, ?)";

/* The fields, in the order of struct wo_provisional. */
static const char *const fields[] = { "sign_deadline", "return_deadline", "deadline" };

static int64_t *slot(struct wo_provisional *p, size_t i)
{
	return i == 0 ? &p->sign_deadline : i == 1 ? &p->return_deadline : &p->deadline;
}

int wo_provisional_save(struct store *s, int64_t id, const struct wo_provisional *was,
			const struct wo_provisional *now, struct fault *f)
{
	struct wo_provisional p = *now;
	size_t i;
	int rc;

	if (was && memcmp(was, now, sizeof(*now)) == 0)
		return 0;
	if (was && (was->sign_deadline || was->return_deadline || was->deadline) &&
	    (rc = store_run(s, SQL_PROV_DELETE, "i", id)) != STORE_OK)
		return store_fault(s, rc, f);
	for (i = 0; i < YL_ARRAY_LEN(fields); i++) {
		if (*slot(&p, i) && (rc = store_run(s, SQL_PROV_INSERT, "iti", id, fields[i], *slot(&p, i))) != STORE_OK)
			return store_fault(s, rc, f);
	}
	return 0;
}

int wo_deadline(struct store *s, int64_t from, int days, int64_t chain_base, int64_t *deadline, int64_t *base,
		struct fault *f)
{
	int provisional = 0;

	if (calendar_deadline_marked(s, from, days, deadline, &provisional, f) < 0)
		return -1;
	*base = provisional ? (chain_base ? chain_base : from) : 0;
	return 0;
}
