/*
 * contrib.c - what one order adds to the figures: the definitions of
 * docs/METRICS.md, written once.  The hook (rollup.c), the rebuild
 * (rebuild.c) and the recomputation from raw rows (compute.c) all count
 * through stat_contrib_of(), so they cannot disagree on a definition.
 */
#include "stats/stats_internal.h"
#include "calendar/calendar.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy_text(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static int64_t col_int(struct store_stmt *st, int col, int64_t null_value)
{
	return store_column_is_null(st, col) ? null_value : store_column_int64(st, col);
}

void stat_row_read(struct store_stmt *st, int col, struct stat_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = store_column_int64(st, col + 0);
	r->subdistrict_id = store_column_int64(st, col + 1);
	r->node_id = store_column_int64(st, col + 2);
	r->category_id = store_column_int64(st, col + 3);
	r->received_at = store_column_int64(st, col + 4);
	r->accepted_at = col_int(st, col + 5, 0);
	r->dispatched_at = col_int(st, col + 6, 0);
	r->signed_at = col_int(st, col + 7, 0);
	r->sign_deadline = col_int(st, col + 8, 0);
	r->replied_at = col_int(st, col + 9, 0);
	r->deadline = col_int(st, col + 10, 0);
	r->returns = (int)store_column_int64(st, col + 11);
	r->extensions = (int)store_column_int64(st, col + 12);
	r->redos = (int)store_column_int64(st, col + 13);
	r->supervisions = (int)store_column_int64(st, col + 14);
	r->escalations = (int)store_column_int64(st, col + 15);
	r->resolved = (int)col_int(st, col + 16, -1);
	copy_text(r->state, sizeof(r->state), store_column_text(st, col + 17));
	copy_text(r->source, sizeof(r->source), store_column_text(st, col + 18));
	copy_text(r->type, sizeof(r->type), store_column_text(st, col + 19));
	copy_text(r->settled_level, sizeof(r->settled_level), store_column_text(st, col + 20));
	copy_text(r->satisfaction, sizeof(r->satisfaction), store_column_text(st, col + 21));
	copy_text(r->card, sizeof(r->card), store_column_text(st, col + 22));
}

static int is(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

/* Working seconds from receipt to the standing reply; *known 0 when a year between has no calendar. */
static int handling_seconds(struct store *s, const struct stat_row *r, int64_t *secs, int *known, struct fault *f)
{
	struct fault cf = { 0 };

	*secs = 0;
	*known = 1;
	/* A reply dated before its receipt (bad data) took no time. */
	if (r->replied_at <= r->received_at)
		return 0;
	/* A year not loaded is counted on the provisional calendar (calendar.h): the time is always known. */
	if (calendar_working_seconds(s, r->received_at, r->replied_at, secs, &cf) == 0)
		return 0;
	*f = cf;
	return -1;
}

int stat_contrib_of(struct store *s, const struct stat_row *r, int with_handling, struct stat_contrib *out,
		    struct fault *f)
{
	int64_t *v = out->v;
	int closed = is(r->state, "closed");
	int refused = closed && r->accepted_at == 0;
	int completed = r->settled_level[0] != '\0';
	int callback = r->satisfaction[0] != '\0';

	memset(out, 0, sizeof(*out));
	out->bucket = -1;
	v[SC_received] = 1;
	/* Refused at intake (received -> closed with a reason): never accepted, never handled. */
	v[SC_refused] = refused;
	v[SC_still_open] = !closed;
	v[SC_closed] = closed && !refused;
	/* 办结: a reply (or a direct answer) stands; a rejected review, a redo or a reopen withdraws it. */
	v[SC_completed] = completed;
	/* 按期: replied by the deadline as it stands (extended, or renewed by a redo); no deadline, no delay. */
	v[SC_on_time] = completed && (r->deadline == 0 || r->replied_at <= r->deadline);
	v[SC_settled_courtyard] = completed && is(r->settled_level, "courtyard");
	v[SC_settled_community] = completed && is(r->settled_level, "community");
	v[SC_settled_subdistrict] = completed && is(r->settled_level, "subdistrict");
	/* An approved return to the desk clears dispatched_at and counts the return: either shows a dispatch. */
	v[SC_dispatched] = r->dispatched_at != 0 || r->returns > 0;
	/* 响应: the standing dispatch (the last one: a re-dispatch or an escalation must be signed again). */
	v[SC_response_due] = r->dispatched_at != 0;
	v[SC_signed_for] = r->dispatched_at != 0 && r->signed_at != 0;
	v[SC_responded] = v[SC_signed_for] && (r->sign_deadline == 0 || r->signed_at <= r->sign_deadline);
	v[SC_returned] = r->returns > 0;
	v[SC_returns] = r->returns;
	v[SC_extended] = r->extensions > 0;
	v[SC_extensions] = r->extensions;
	/* The standing callback: the last one (a redo keeps it until the next callback, a reopen clears it). */
	v[SC_callbacks] = callback;
	v[SC_satisfied] = callback && is(r->satisfaction, "satisfied");
	v[SC_basically_satisfied] = callback && is(r->satisfaction, "basically_satisfied");
	v[SC_dissatisfied] = callback && is(r->satisfaction, "dissatisfied");
	v[SC_resolved_known] = callback && (r->resolved == 0 || r->resolved == 1);
	v[SC_resolved] = callback && r->resolved == 1;
	v[SC_redo_base] = callback || r->redos > 0;
	v[SC_redone] = r->redos > 0;
	v[SC_redos] = r->redos;
	v[SC_supervised] = r->supervisions > 0;
	v[SC_supervisions] = r->supervisions;
	v[SC_escalated] = r->escalations > 0;
	v[SC_escalations] = r->escalations;
	v[SC_src_resident] = is(r->source, "resident");
	v[SC_src_grid] = is(r->source, "grid");
	v[SC_src_mobile_grid] = is(r->source, "mobile_grid");
	v[SC_src_phone] = is(r->source, "phone");
	v[SC_src_walk_in] = is(r->source, "walk_in");
	v[SC_src_hotline] = is(r->source, "hotline");
	v[SC_type_consultation] = is(r->type, "consultation");
	v[SC_type_help] = is(r->type, "help");
	v[SC_type_complaint] = is(r->type, "complaint");
	v[SC_type_report] = is(r->type, "report");
	v[SC_type_suggestion] = is(r->type, "suggestion");
	if (completed && with_handling) {
		int64_t secs;
		int known;

		if (handling_seconds(s, r, &secs, &known, f) < 0)
			return -1;
		if (known) {
			int64_t b = secs / STATS_BUCKET_SECONDS;

			v[SC_handled] = 1;
			v[SC_handling_seconds] = secs;
			out->bucket = (int)(b < STATS_BUCKETS - 1 ? b : STATS_BUCKETS - 1);
		} else {
			v[SC_handling_unknown] = 1;
		}
	}
	return 0;
}

int32_t stat_day_of(const struct stat_row *r)
{
	return calendar_day_of(r->received_at);
}

void stat_day_text(int32_t day, char out[11])
{
	calendar_day_format(day, out);
}

void stat_month_text(int32_t day, char out[8])
{
	char d[11];

	calendar_day_format(day, d);
	memcpy(out, d, 7);
	out[7] = '\0';
}

/* The nearest ancestor-or-self at courtyard level or above (levels are strict: one row at each depth). */
static const char SQL_STAT_NODE[] =
	"SELECT nc.ancestor_id FROM node_closure nc JOIN nodes n ON n.id = nc.ancestor_id"
	" WHERE nc.descendant_id = ? AND n.level IN ('subdistrict', 'community', 'courtyard')"
	" ORDER BY nc.depth LIMIT 1";

int stat_node_of(struct store *s, int64_t place, int64_t *stat_node, struct fault *f)
{
	int rc = store_query_int64(s, SQL_STAT_NODE, stat_node, 1, place);

	if (rc == STORE_NOTFOUND)
		return fault_set(f, FAULT_INTERNAL, "node_id", "node %lld is on no subdistrict's tree", (long long)place);
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}

static const char SQL_CATEGORY_PARENT[] = "SELECT COALESCE(parent_id, 0) FROM wo_categories WHERE id = ?";

int stat_category_top(struct store *s, int64_t category, int64_t *top, struct fault *f)
{
	int64_t id = category, parent;
	int depth, rc;

	/* The tree is two levels deep (three at most, DOMAIN.md); the bound stops a cycle. */
	for (depth = 0; depth < 8; depth++) {
		rc = store_query_int64(s, SQL_CATEGORY_PARENT, &parent, 1, id);
		if (rc == STORE_NOTFOUND)
			return fault_set(f, FAULT_INTERNAL, "category_id", "category %lld does not exist",
					 (long long)id);
		if (rc != STORE_OK)
			return store_fault(s, rc, f);
		if (!parent) {
			*top = id;
			return 0;
		}
		id = parent;
	}
	return fault_set(f, FAULT_INTERNAL, "category_id", "category %lld is in a cycle of parents",
			 (long long)category);
}

#define ADD_(name) c->name += v[SC_##name];
void stat_counts_add(struct stats_counts *c, const int64_t *v)
{
	STATS_COUNTERS(ADD_)
}
#undef ADD_

#define PLUS_(name) c->name += plus->name;
void stat_counts_plus(struct stats_counts *c, const struct stats_counts *plus)
{
	STATS_COUNTERS(PLUS_)
}
#undef PLUS_

#define SUB_(name) c->name -= minus->name;
void stat_counts_sub(struct stats_counts *c, const struct stats_counts *minus)
{
	STATS_COUNTERS(SUB_)
}
#undef SUB_

void stats_rates_of(const struct stats_counts *c, struct stats_rates *r)
{
	r->response = (struct stats_ratio){ c->responded, c->response_due };
	r->resolution = (struct stats_ratio){ c->resolved, c->resolved_known };
	r->satisfaction = (struct stats_ratio){ c->satisfied + c->basically_satisfied, c->callbacks };
	r->completion = (struct stats_ratio){ c->completed, c->received - c->refused };
	r->on_time = (struct stats_ratio){ c->on_time, c->completed };
	r->returns = (struct stats_ratio){ c->returned, c->dispatched };
	r->extensions = (struct stats_ratio){ c->extended, c->dispatched };
	r->redos = (struct stats_ratio){ c->redone, c->redo_base };
	r->settled_courtyard = (struct stats_ratio){ c->settled_courtyard, c->completed };
	r->settled_community = (struct stats_ratio){ c->settled_community, c->completed };
	r->settled_subdistrict = (struct stats_ratio){ c->settled_subdistrict, c->completed };
}

void stat_hist_parse(const char *text, int64_t *hist)
{
	const char *p = text;

	while (p && *p) {
		char *end;
		long b = strtol(p, &end, 10);
		long long n;

		if (end == p || *end != ':')
			return;
		p = end + 1;
		n = strtoll(p, &end, 10);
		if (end == p)
			return;
		if (b >= 0 && b < STATS_BUCKETS)
			hist[b] += n;
		p = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			return;
	}
}

void stat_hist_format(const int64_t *hist, struct buf *out)
{
	const char *sep = "";
	int b;

	for (b = 0; b < STATS_BUCKETS; b++)
		if (hist[b]) {
			buf_addf(out, "%s%d:%lld", sep, b, (long long)hist[b]);
			sep = ",";
		}
}
