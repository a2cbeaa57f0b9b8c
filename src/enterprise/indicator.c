/*
 * indicator.c - enterprises' monthly indicators: industrial output, sales,
 * taxes, fixed-asset investment (万元) and energy use (tonnes of standard
 * coal), entered per enterprise and month as fixed-point text ("20.27").
 *
 * Rules (issue 15): a month in the future, a negative figure or a month with
 * no figure at all is refused naming the field; a month already reported is
 * changed only as a correction with a reason, which keeps the values it
 * replaces (enterprise_indicator_corrections) and counts the revision, in the
 * same transaction.  Growth is computed on reading, never stored.
 */
#include "enterprise/enterprise.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REASON_CHARS 500

const char *const enterprise_measure_names[EM_COUNT] = { "output", "sales", "taxes", "investment", "energy" };

static void indicator_release(struct enterprise_indicator *i)
{
	free(i->updated_at);
}

void enterprise_indicator_list_release(struct enterprise_indicator_list *l)
{
	YL_LIST_RELEASE(l, indicator_release);
}

static void correction_release(struct enterprise_indicator_correction *c)
{
	free(c->reason);
	free(c->created_at);
}

void enterprise_indicator_correction_list_release(struct enterprise_indicator_correction_list *l)
{
	YL_LIST_RELEASE(l, correction_release);
}

#define MEASURE_COLUMNS "output, sales, taxes, investment, energy"

static const char SQL_ENTERPRISE[] = "SELECT subdistrict_id FROM enterprises WHERE id = ?";
static const char SQL_FIND[] =
	"SELECT id, revision, " MEASURE_COLUMNS " FROM enterprise_indicators WHERE enterprise_id = ? AND month = ?";
static const char SQL_INSERT[] =
	"INSERT INTO enterprise_indicators (subdistrict_id, enterprise_id, month, " MEASURE_COLUMNS
	", user_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_KEEP[] =
	"INSERT INTO enterprise_indicator_corrections (subdistrict_id, indicator_id, revision, " MEASURE_COLUMNS
	", reason, user_id, created_at) SELECT subdistrict_id, id, revision, " MEASURE_COLUMNS
	", ?, ?, ? FROM enterprise_indicators WHERE id = ?";
static const char SQL_CORRECT[] =
	"UPDATE enterprise_indicators SET output = ?, sales = ?, taxes = ?, investment = ?, energy = ?,"
	" revision = revision + 1, user_id = ?, updated_at = ? WHERE id = ?";
static const char SQL_LIST[] =
	"SELECT id, enterprise_id, month, revision, updated_at, " MEASURE_COLUMNS
	" FROM enterprise_indicators WHERE enterprise_id = ? ORDER BY month";
static const char SQL_CORRECTIONS[] =
	"SELECT c.id, i.month, c.revision, c.reason, c.user_id, c.created_at, c.output, c.sales, c.taxes,"
	" c.investment, c.energy FROM enterprise_indicator_corrections c"
	" JOIN enterprise_indicators i ON i.id = c.indicator_id WHERE i.enterprise_id = ? ORDER BY i.month, c.id";

/* The measures of a row from column first on. */
static void read_measures(struct store_stmt *st, int first, int64_t value[EM_COUNT], int has[EM_COUNT])
{
	int m;

	for (m = 0; m < EM_COUNT; m++) {
		has[m] = !store_column_is_null(st, first + m);
		value[m] = has[m] ? store_column_int64(st, first + m) : 0;
	}
}

static void bind_measures(struct store_stmt *st, int first, const int64_t value[EM_COUNT], const int has[EM_COUNT])
{
	int m;

	for (m = 0; m < EM_COUNT; m++) {
		if (has[m])
			store_bind_int64(st, first + m, value[m]);
		else
			store_bind_null(st, first + m);
	}
}

static int parse_input(const struct enterprise_indicator_input *in, int64_t value[EM_COUNT], int has[EM_COUNT],
		       struct fault *f)
{
	int m, any = 0;

	if (!in->month)
		return fault_set(f, FAULT_INVALID, "month", "month is required (YYYY-MM)");
	if (enterprise_month_check("month", in->month, f) < 0)
		return -1;
	for (m = 0; m < EM_COUNT; m++) {
		const char *name = enterprise_measure_names[m];

		has[m] = in->value[m] != NULL;
		value[m] = 0;
		if (!has[m])
			continue;
		any = 1;
		if (money_parse(in->value[m], MONEY_WAN, &value[m]) < 0)
			return fault_set(f, FAULT_INVALID, name,
					 "%s must be a number with at most four decimals, as \"20.27\"", name);
		if (value[m] < 0)
			return fault_set(f, FAULT_INVALID, name, "%s must not be negative", name);
	}
	if (!any)
		return fault_set(f, FAULT_INVALID, "output",
				 "report at least one of output, sales, taxes, investment and energy");
	return check_text("reason", in->reason, REASON_CHARS, TEXT_NOT_BLANK, f);
}

int enterprise_indicator_put(struct store *s, int64_t enterprise_id, const struct enterprise_indicator_input *in,
			     int *corrected, struct fault *f)
{
	struct store_stmt *st;
	int64_t value[EM_COUNT], subdistrict, existing = 0;
	int has[EM_COUNT], rc;
	char now[32];

	*corrected = 0;
	if (parse_input(in, value, has, f) < 0)
		return -1;
	if (store_get_by_id(s, SQL_ENTERPRISE, enterprise_id, "enterprise", &st, f) < 0)
		return -1;
	subdistrict = store_column_int64(st, 0);
	store_done(st);
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	st = store_query(s, SQL_FIND, "it", enterprise_id, in->month);
	if (store_next(st, &rc)) {
		existing = store_column_int64(st, 0);
		store_done(st);
	} else if (rc != STORE_DONE) {
		store_fault(s, rc, f);
		goto fail;
	}
	time_now_text(now);
	if (existing && !in->reason) {
		fault_set(f, FAULT_CONFLICT, "reason",
			  "%s is already reported: a correction needs a reason", in->month);
		goto fail;
	}
	if (existing) {
		if ((rc = store_run(s, SQL_KEEP, "tIti", in->reason, in->user_id, now, existing)) != STORE_OK) {
			store_fault(s, rc, f);
			goto fail;
		}
		st = store_prepare(s, SQL_CORRECT);
		bind_measures(st, 1, value, has);
		store_bind_id(st, 6, in->user_id);
		store_bind_text(st, 7, now);
		store_bind_int64(st, 8, existing);
		*corrected = 1;
	} else {
		st = store_prepare(s, SQL_INSERT);
		store_bind_int64(st, 1, subdistrict);
		store_bind_int64(st, 2, enterprise_id);
		store_bind_text(st, 3, in->month);
		bind_measures(st, 4, value, has);
		store_bind_id(st, 9, in->user_id);
		store_bind_text(st, 10, now);
		store_bind_text(st, 11, now);
	}
	if ((rc = store_step_done(st)) != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail:
	store_rollback(s);
	*corrected = 0;
	return -1;
}

/* The row of month in l (sorted by month), or NULL. */
static const struct enterprise_indicator *find_month(const struct enterprise_indicator_list *l, const char *month)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->items[i].month, month))
			return &l->items[i];
	return NULL;
}

/* Growth of each measure against the month before and the same month a year before, where both are known. */
static void add_growth(const struct enterprise_indicator_list *all, struct enterprise_indicator *row)
{
	const struct enterprise_indicator *prev = NULL, *last = NULL;
	char m[8];
	int k;

	if (enterprise_month_add(row->month, -1, m) == 0)
		prev = find_month(all, m);
	if (enterprise_month_add(row->month, -12, m) == 0)
		last = find_month(all, m);
	for (k = 0; k < EM_COUNT; k++) {
		row->has_mom[k] = row->has[k] && prev && prev->has[k] &&
				  enterprise_growth_tenths(row->value[k], prev->value[k], &row->mom[k]) == 0;
		row->has_yoy[k] = row->has[k] && last && last->has[k] &&
				  enterprise_growth_tenths(row->value[k], last->value[k], &row->yoy[k]) == 0;
	}
}

int enterprise_indicators(struct store *s, int64_t enterprise_id, const char *from, const char *to,
			  struct enterprise_indicator_list *out, struct fault *f)
{
	struct enterprise_indicator_list all = { 0 };
	struct store_stmt *st;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (from && !enterprise_month_valid(from))
		return fault_set(f, FAULT_INVALID, "from", "from must be a month as YYYY-MM");
	if (to && !enterprise_month_valid(to))
		return fault_set(f, FAULT_INVALID, "to", "to must be a month as YYYY-MM");
	/* An enterprise reports a few dozen months: all of them, so that growth reaches before from. */
	st = store_query(s, SQL_LIST, "i", enterprise_id);
	while (store_next(st, &rc)) {
		struct enterprise_indicator *r;

		YL_GROW(all.items, all.n, all.cap);
		r = &all.items[all.n++];
		memset(r, 0, sizeof(*r));
		r->id = store_column_int64(st, 0);
		r->enterprise_id = store_column_int64(st, 1);
		store_column_copy(st, 2, r->month, sizeof(r->month));
		r->revision = (int)store_column_int64(st, 3);
		r->updated_at = store_column_dup(st, 4);
		read_measures(st, 5, r->value, r->has);
	}
	if (rc != STORE_DONE) {
		enterprise_indicator_list_release(&all);
		return store_fault(s, rc, f);
	}
	for (i = 0; i < all.n; i++) {
		struct enterprise_indicator *r = &all.items[i];

		if ((from && strcmp(r->month, from) < 0) || (to && strcmp(r->month, to) > 0))
			continue;
		add_growth(&all, r);
		YL_GROW(out->items, out->n, out->cap);
		out->items[out->n] = *r;
		out->items[out->n++].updated_at = xstrdup_or_null(r->updated_at);
	}
	enterprise_indicator_list_release(&all);
	return 0;
}

int enterprise_indicator_corrections(struct store *s, int64_t enterprise_id,
				     struct enterprise_indicator_correction_list *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_CORRECTIONS, "i", enterprise_id);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		struct enterprise_indicator_correction *c;

		YL_GROW(out->items, out->n, out->cap);
		c = &out->items[out->n++];
		memset(c, 0, sizeof(*c));
		c->id = store_column_int64(st, 0);
		store_column_copy(st, 1, c->month, sizeof(c->month));
		c->revision = (int)store_column_int64(st, 2);
		c->reason = store_column_dup(st, 3);
		c->user_id = store_column_int64(st, 4);
		c->created_at = store_column_dup(st, 5);
		read_measures(st, 6, c->value, c->has);
	}
	if (rc != STORE_DONE) {
		enterprise_indicator_correction_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}
