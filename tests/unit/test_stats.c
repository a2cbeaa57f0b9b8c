/*
 * test_stats.c - src/stats: the figures of docs/METRICS.md on hand-built
 * orders with answers worked out by hand; the rollups kept by the hook
 * (stats_on_write / stats_on_event, through whole histories of transitions)
 * against the recomputation from raw rows (stats_compute_raw) and against a
 * rebuild (stats_rebuild); periods that cut months; subtree against sibling.
 *
 * The orders are written by SQL, as the engine would leave them, so that the
 * test does not depend on the engine's rules, only on the contract of
 * 005_workorders.sql.  Working days come from the shipped calendars
 * (share/calendar, run from the project root).
 *
 * With YL_STATS_BENCH=1 a last test builds a rollup the size of 10 million
 * orders and times stats_compute (a benchmark, skipped otherwise).
 */
#include "unit.h"

#include "calendar/calendar.h"
#include "org/org.h"
#include "stats/compute.c"
#include "stats/stats.h"
#include "stats/stats_internal.h"
#include "store/store.h"
#include "util/util.h"
#include "workorder/workorder.h"

#include <time.h>

/* Categories of 005_workorders.sql: leaf (top). */
#define CAT_ENV_CLEAN 2		/* 市容环境 (1) */
#define CAT_ENV_GREEN 3		/* 市容环境 (1) */
#define CAT_ENV_PARKING 4	/* 市容环境 (1) */
#define CAT_PROP_MGMT 6		/* 城乡建设 (5) */
#define CAT_PROP_REPAIR 7	/* 城乡建设 (5) */
#define CAT_NOISE 10		/* 邻里纠纷 (9) */
#define CAT_DISPUTE 11		/* 邻里纠纷 (9) */
#define CAT_FIRE 17		/* 治安安全 (16) */
#define CAT_SOCIAL 21		/* 民生服务 (19) */
#define CAT_OTHER 23		/* 其他 (22) */

static struct store *S;
static struct fault F;

/*
 * The tree:
 *   S  明水街道
 *     C1 龙泉社区:  Y1 君临天下 > B1 1号楼 > H1 101室;  Y2 泉景
 *     C2 燕山社区:  Y3 燕山小区
 *   S2 刁镇街道 > OC 刁镇社区 > OY 刁镇小区
 */
static int64_t N_S, N_C1, N_Y1, N_B1, N_H1, N_Y2, N_C2, N_Y3, N_S2, N_OC, N_OY;
static int64_t O[15];		/* O[1] .. O[13]: the orders below */

/* ---- helpers ---- */

static int64_t mk_node(int64_t parent, enum node_level level, const char *name)
{
	struct node_input in = { 0 };
	int64_t id = 0;

	in.parent_id = parent;
	in.level = level;
	in.name = name;
	if (level == LEVEL_COURTYARD)
		in.kind = "residential";
	if (org_node_create(S, &in, &id, &F) < 0)
		fail_msg("node %s: %s", name, F.message);
	return id;
}

/* "2025-09-30 10:00" or "2025-09-30 23:59:59" in Asia/Shanghai to unix seconds; NULL to 0. */
static int64_t local(const char *text)
{
	char date[11];
	int32_t day;
	int hh = 0, mm = 0, ss = 0;

	if (!text)
		return 0;
	snprintf(date, sizeof(date), "%.10s", text);
	if (calendar_day_parse(date, &day) < 0)
		fail_msg("bad date %s", text);
	if (text[10])
		sscanf(text + 11, "%d:%d:%d", &hh, &mm, &ss);
	return calendar_day_start(day) + hh * 3600 + mm * 60 + ss;
}

static void exec(const char *sql)
{
	if (store_exec(S, sql) != STORE_OK)
		fail_msg("%s: %s", sql, store_errmsg(S));
}

static int64_t query(const char *sql)
{
	int64_t v = 0;

	if (store_query_int64(S, sql, &v, 0) != STORE_OK)
		fail_msg("%s: %s", sql, store_errmsg(S));
	return v;
}

static void begin(void)
{
	if (store_begin_write(S) != STORE_OK)
		fail_msg("begin: %s", store_errmsg(S));
}

static void commit(void)
{
	if (store_commit(S) != STORE_OK)
		fail_msg("commit: %s", store_errmsg(S));
}

/* An order as the engine leaves it: every time in local text, NULL for none. */
struct ord {
	int64_t place;
	const char *received;
	const char *source, *type;
	int64_t category;
	const char *state;
	const char *accepted, *dispatched, *sign_deadline, *signed_at, *replied, *deadline, *closed;
	const char *settled, *satisfaction;
	int resolved;			/* -1 NULL */
	int returns, extensions, redos, supervisions, escalations;
	const char *card;
};

static void bind_time(struct store_stmt *st, int idx, const char *t)
{
	if (t)
		store_bind_int64(st, idx, local(t));
	else
		store_bind_null(st, idx);
}

static const char SQL_INSERT_ORDER[] =
	"INSERT INTO work_orders (subdistrict_id, number, source, type, category_id, urgency, node_id, text, state,"
	" received_at, accepted_at, dispatched_at, sign_deadline, signed_at, replied_at, deadline, closed_at,"
	" settled_level, satisfaction, resolved, returns, extensions, redos, supervisions, escalations, card,"
	" created_at, updated_at)"
	" SELECT n.subdistrict_id, ?, ?, ?, ?, 'normal', n.id, 'test', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	" ?, ?, ?, 'now', 'now' FROM nodes n WHERE n.id = ?";

static int64_t insert_row(const struct ord *o)
{
	static int seq;
	struct store_stmt *st = store_prepare(S, SQL_INSERT_ORDER);
	char number[32];
	int rc;

	snprintf(number, sizeof(number), "YLTEST%05d", ++seq);
	store_bind_text(st, 1, number);
	store_bind_text(st, 2, o->source);
	store_bind_text(st, 3, o->type);
	store_bind_int64(st, 4, o->category);
	store_bind_text(st, 5, o->state);
	bind_time(st, 6, o->received);
	bind_time(st, 7, o->accepted);
	bind_time(st, 8, o->dispatched);
	bind_time(st, 9, o->sign_deadline);
	bind_time(st, 10, o->signed_at);
	bind_time(st, 11, o->replied);
	bind_time(st, 12, o->deadline);
	bind_time(st, 13, o->closed);
	store_bind_text(st, 14, o->settled);
	store_bind_text(st, 15, o->satisfaction);
	if (o->resolved < 0)
		store_bind_null(st, 16);
	else
		store_bind_int64(st, 16, o->resolved);
	store_bind_int64(st, 17, o->returns);
	store_bind_int64(st, 18, o->extensions);
	store_bind_int64(st, 19, o->redos);
	store_bind_int64(st, 20, o->supervisions);
	store_bind_int64(st, 21, o->escalations);
	store_bind_text(st, 22, o->card ? o->card : "none");
	store_bind_int64(st, 23, o->place);
	rc = store_step(st);
	store_done(st);
	if (rc != STORE_DONE)
		fail_msg("insert order: %s", store_errmsg(S));
	return store_last_id(S);
}

/* Intake: the row, then the hook with no before. */
static int64_t insert_order(const struct ord *o)
{
	int64_t id;

	begin();
	id = insert_row(o);
	if (stats_on_write(S, NULL, id, &F) < 0)
		fail_msg("hook: %s", F.message);
	commit();
	return id;
}

static void add_event(int64_t id, const char *action, const char *at)
{
	char sql[256];

	snprintf(sql, sizeof(sql),
		 "INSERT INTO wo_events (order_id, subdistrict_id, at, action, from_state, to_state)"
		 " SELECT id, subdistrict_id, %lld, '%s', state, state FROM work_orders WHERE id = %lld",
		 (long long)local(at), action, (long long)id);
	exec(sql);
}

static char *dup_col(struct store_stmt *st, int col)
{
	const char *t = store_column_text(st, col);

	return t ? xstrdup(t) : NULL;
}

/* The order as the engine's before-struct would hold it (the columns figures read). */
static void read_order(int64_t id, struct wo_order *o)
{
	struct store_stmt *st = store_prepare(S, "SELECT " STAT_ROW_COLUMNS " FROM work_orders w WHERE w.id = ?");
	struct stat_row r;

	store_bind_int64(st, 1, id);
	if (store_step(st) != STORE_ROW)
		fail_msg("order %lld: not found", (long long)id);
	stat_row_read(st, 0, &r);
	memset(o, 0, sizeof(*o));
	o->id = r.id;
	o->subdistrict_id = r.subdistrict_id;
	o->node_id = r.node_id;
	o->category_id = r.category_id;
	o->received_at = r.received_at;
	o->accepted_at = r.accepted_at;
	o->dispatched_at = r.dispatched_at;
	o->signed_at = r.signed_at;
	o->sign_deadline = r.sign_deadline;
	o->replied_at = r.replied_at;
	o->deadline = r.deadline;
	o->returns = r.returns;
	o->extensions = r.extensions;
	o->redos = r.redos;
	o->supervisions = r.supervisions;
	o->escalations = r.escalations;
	o->resolved = r.resolved;
	o->state = dup_col(st, 17);
	o->source = dup_col(st, 18);
	o->type = dup_col(st, 19);
	o->settled_level = dup_col(st, 20);
	o->satisfaction = dup_col(st, 21);
	o->card = dup_col(st, 22);
	store_done(st);
}

/* The hook as the engine calls it: the orders' columns as the figures read them (wo_stat_row). */
static int hook_event(const struct wo_order *before, const struct wo_order *after)
{
	struct stat_row b, a;

	if (before)
		wo_stat_row(before, &b);
	if (after)
		wo_stat_row(after, &a);
	return stats_on_event(S, before ? &b : NULL, after ? &a : NULL, &F);
}

/*
 * One transition: "SET ..." (printf-style) applied to the row in a
 * transaction with the hook, as machine.c run() does.  via_event 1 hands
 * both structs to stats_on_event(), 0 lets stats_on_write() read the row.
 */
static void transition(int64_t id, int via_event, const char *fmt, ...) YL_PRINTF(3, 4);

static void transition(int64_t id, int via_event, const char *fmt, ...)
{
	struct wo_order before, after;
	struct stat_row b;
	char set[480], sql[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(set, sizeof(set), fmt, ap);
	va_end(ap);
	begin();
	read_order(id, &before);
	snprintf(sql, sizeof(sql), "UPDATE work_orders SET %s WHERE id = %lld", set, (long long)id);
	exec(sql);
	wo_stat_row(&before, &b);
	if (via_event) {
		read_order(id, &after);
		if (hook_event(&before, &after) < 0)
			fail_msg("hook: %s", F.message);
		wo_order_release(&after);
	} else if (stats_on_write(S, &b, id, &F) < 0) {
		fail_msg("hook: %s", F.message);
	}
	wo_order_release(&before);
	commit();
}

/* SET clauses carry instants as numbers. */
static const char *at(const char *text)
{
	static char bufs[8][24];
	static int i;
	char *b = bufs[i++ % 8];

	snprintf(b, sizeof(bufs[0]), "%lld", (long long)local(text));
	return b;
}

/* ---- the data ---- */

/*
 * Thirteen orders.  P = 2025-01-15 .. 2025-03-10 is the period most tests
 * ask for: it cuts January (15..31), holds February whole and cuts March
 * (1..10).  2025 calendar: Spring Festival holidays 01-28 .. 02-04, swapped
 * working days Sunday 01-26 and Saturday 02-08.
 *
 *  O1  H1 (Y1)  01-06 09:00  resident complaint 物业管理   before P
 *      closed; dispatched Y1, signed on time; replied 01-07 09:00 (1.0 wd); satisfied, resolved
 *  O2  B1 (Y1)  01-15 09:00  hotline complaint 环境卫生    first day of P
 *      closed; dispatched Y1 01-15 09:00, sign by 01-16 23:59:59, signed 01-15 10:00;
 *      replied Fri 01-17 21:00: Wed 15h + Thu 24h + Fri 21h = 60h = 2.5 wd = 216000 s (bucket 25);
 *      deadline 01-22: on time; settled courtyard; basically satisfied, resolved not said
 *  O3  Y1       01-27 10:00  resident help 噪音扰民
 *      dispatched Y1, escalated (1) to C1 02-05 10:00, sign by 02-06 23:59:59, signed 02-06 09:00;
 *      extension (1): deadline 02-14 23:59:59; replied 02-14 12:00: on time; settled community;
 *      01-27 14h + (01-28..02-04 holidays) + 02-05,06,07 72h + Sat 02-08 (swapped) 24h
 *      + 02-10..13 96h + 02-14 12h = 218h = 784800 s (bucket 90);
 *      callback dissatisfied but resolved; supervised (1); state dissatisfied (open)
 *  O4  Y2 (C1)  02-10 09:00  grid report 消防隐患
 *      dispatched C1 02-10 09:30, sign by 02-11 23:59:59, signed LATE 02-12 09:00;
 *      deadline 02-17 23:59:59, replied LATE 02-20 09:00: 15h + 96h + 72h + 9h = 192h = 691200 s
 *      (bucket 80); settled community; yellow then red card; state replied (no callback yet)
 *  O5  Y3 (C2)  02-20 14:00  hotline consultation 社保低保
 *      answered directly 02-20 16:00 (7200 s, bucket 0), settled subdistrict, deadline 02-27: on time
 *  O6  C2       03-03 09:00  phone help 绿化养护  (place known only to the community)
 *      accepted, waiting for dispatch
 *  O7  Y1       03-10 23:30  resident suggestion 其他事项  last half hour of P; received
 *  O8  Y1       03-11 00:00  resident complaint 物业管理   first second after P; received
 *  O9  Y2 (C1)  01-14 23:59  resident complaint 环境卫生   last minute before P; refused at intake
 *  O10 H1 (Y1)  02-05 09:00  mobile_grid help 房屋维修    refused at intake
 *  O11 Y2 (C1)  01-20 09:00  walk_in complaint 邻里矛盾
 *      returned once (1) and dispatched again 01-22 09:00, sign by 01-23 23:59:59, signed 01-22 10:00;
 *      replied, called back dissatisfied (not resolved), redone (1): reply withdrawn, in progress
 *  O12 Y3 (C2)  02-28 09:00  resident complaint 乱停乱放
 *      dispatched Y3 02-28 10:00, sign by 03-03 23:59:59, not signed; yellow card
 *  O13 OY (S2)  02-10 09:00  hotline complaint 环境卫生   the other subdistrict
 *      answered 02-10 10:00 (3600 s, bucket 0), settled subdistrict, satisfied, resolved; closed
 *
 * O2, O5, O7 .. O10, O13 are written in their final state; O1, O3, O4, O6,
 * O11, O12 go through their histories, one hooked transition at a time.
 */
static void build_orders(void)
{
	/* O1: through its history, every hook by stats_on_event. */
	O[1] = insert_order(&(struct ord){ .place = N_H1, .received = "2025-01-06 09:00", .source = "resident",
					   .type = "complaint", .category = CAT_PROP_MGMT, .state = "received",
					   .resolved = -1 });
	transition(O[1], 1, "state = 'accepted', accepted_at = %s, deadline = %s", at("2025-01-06 09:00"),
				   at("2025-01-13 23:59:59"));
	transition(O[1], 1, "state = 'dispatched', handler_node_id = %lld, dispatched_at = %s,"
				   " sign_deadline = %s", (long long)N_Y1, at("2025-01-06 10:00"),
				   at("2025-01-07 23:59:59"));
	transition(O[1], 1, "state = 'in_progress', signed_at = %s", at("2025-01-06 11:00"));
	transition(O[1], 1, "state = 'replied', replied_at = %s, settled_level = 'courtyard'",
				   at("2025-01-07 09:00"));
	transition(O[1], 1, "state = 'reviewed'");
	transition(O[1], 1, "state = 'closed', closed_at = %s, satisfaction = 'satisfied', resolved = 1",
				   at("2025-01-08 09:00"));

	O[2] = insert_order(&(struct ord){ .place = N_B1, .received = "2025-01-15 09:00", .source = "hotline",
					   .type = "complaint", .category = CAT_ENV_CLEAN, .state = "closed",
					   .accepted = "2025-01-15 09:00", .dispatched = "2025-01-15 09:00",
					   .sign_deadline = "2025-01-16 23:59:59", .signed_at = "2025-01-15 10:00",
					   .replied = "2025-01-17 21:00", .deadline = "2025-01-22 23:59:59",
					   .closed = "2025-01-20 10:00", .settled = "courtyard",
					   .satisfaction = "basically_satisfied", .resolved = -1 });

	/* O3: escalated, extended, replied, called back dissatisfied, supervised (stats_on_write). */
	O[3] = insert_order(&(struct ord){ .place = N_Y1, .received = "2025-01-27 10:00", .source = "resident",
					   .type = "help", .category = CAT_NOISE, .state = "accepted",
					   .accepted = "2025-01-27 10:00", .deadline = "2025-02-10 23:59:59",
					   .resolved = -1 });
	transition(O[3], 0, "state = 'dispatched', dispatched_at = %s, sign_deadline = %s",
				   at("2025-01-27 11:00"), at("2025-02-05 23:59:59"));
	transition(O[3], 0, "state = 'dispatched', dispatched_at = %s, sign_deadline = %s, escalations = 1",
				   at("2025-02-05 10:00"), at("2025-02-06 23:59:59"));
	transition(O[3], 0, "state = 'in_progress', signed_at = %s", at("2025-02-06 09:00"));
	transition(O[3], 0, "extensions = 1, deadline = %s", at("2025-02-14 23:59:59"));
	transition(O[3], 0, "state = 'replied', replied_at = %s, settled_level = 'community'",
				   at("2025-02-14 12:00"));
	transition(O[3], 0, "state = 'reviewed'");
	transition(O[3], 0, "state = 'dissatisfied', satisfaction = 'dissatisfied', resolved = 1");
	transition(O[3], 0, "supervisions = 1");

	/* O4: signed late, cards, replied late. */
	O[4] = insert_order(&(struct ord){ .place = N_Y2, .received = "2025-02-10 09:00", .source = "grid",
					   .type = "report", .category = CAT_FIRE, .state = "received", .resolved = -1 });
	transition(O[4], 0, "state = 'accepted', accepted_at = %s, deadline = %s", at("2025-02-10 09:00"),
				   at("2025-02-17 23:59:59"));
	transition(O[4], 1, "state = 'dispatched', dispatched_at = %s, sign_deadline = %s",
				   at("2025-02-10 09:30"), at("2025-02-11 23:59:59"));
	transition(O[4], 0, "state = 'in_progress', signed_at = %s", at("2025-02-12 09:00"));
	add_event(O[4], STATS_ACTION_YELLOW_CARD, "2025-02-14 00:00");
	transition(O[4], 0, "card = 'yellow'");
	add_event(O[4], STATS_ACTION_RED_CARD, "2025-02-18 00:00");
	transition(O[4], 1, "card = 'red'");
	transition(O[4], 0, "state = 'replied', replied_at = %s, settled_level = 'community'",
				   at("2025-02-20 09:00"));

	O[5] = insert_order(&(struct ord){ .place = N_Y3, .received = "2025-02-20 14:00", .source = "hotline",
					   .type = "consultation", .category = CAT_SOCIAL, .state = "answered",
					   .accepted = "2025-02-20 14:00", .replied = "2025-02-20 16:00",
					   .deadline = "2025-02-27 23:59:59", .settled = "subdistrict", .resolved = -1 });

	O[6] = insert_order(&(struct ord){ .place = N_C2, .received = "2025-03-03 09:00", .source = "phone",
					   .type = "help", .category = CAT_ENV_GREEN, .state = "received", .resolved = -1 });
	transition(O[6], 0, "state = 'accepted', accepted_at = %s, deadline = %s", at("2025-03-03 09:00"),
				   at("2025-03-10 23:59:59"));

	O[7] = insert_order(&(struct ord){ .place = N_Y1, .received = "2025-03-10 23:30", .source = "resident",
					   .type = "suggestion", .category = CAT_OTHER, .state = "received",
					   .resolved = -1 });
	O[8] = insert_order(&(struct ord){ .place = N_Y1, .received = "2025-03-11 00:00", .source = "resident",
					   .type = "complaint", .category = CAT_PROP_MGMT, .state = "received",
					   .resolved = -1 });
	O[9] = insert_order(&(struct ord){ .place = N_Y2, .received = "2025-01-14 23:59", .source = "resident",
					   .type = "complaint", .category = CAT_ENV_CLEAN, .state = "closed",
					   .closed = "2025-01-15 09:00", .resolved = -1 });
	O[10] = insert_order(&(struct ord){ .place = N_H1, .received = "2025-02-05 09:00", .source = "mobile_grid",
					    .type = "help", .category = CAT_PROP_REPAIR, .state = "closed",
					    .closed = "2025-02-05 10:00", .resolved = -1 });

	/* O11: returned, dispatched again, replied, dissatisfied, redone. */
	O[11] = insert_order(&(struct ord){ .place = N_Y2, .received = "2025-01-20 09:00", .source = "walk_in",
					    .type = "complaint", .category = CAT_DISPUTE, .state = "accepted",
					    .accepted = "2025-01-20 09:00", .deadline = "2025-01-27 23:59:59",
					    .resolved = -1 });
	transition(O[11], 0, "state = 'dispatched', dispatched_at = %s, sign_deadline = %s",
				    at("2025-01-20 10:00"), at("2025-01-21 23:59:59"));
	transition(O[11], 0, "state = 'in_progress', signed_at = %s", at("2025-01-20 11:00"));
	transition(O[11], 0, "state = 'return_requested', return_from = 'in_progress'");
	transition(O[11], 1, "state = 'accepted', return_from = NULL, returns = 1, dispatched_at = NULL, signed_at = NULL,"
			  " sign_deadline = NULL");
	transition(O[11], 0, "state = 'dispatched', dispatched_at = %s, sign_deadline = %s",
				    at("2025-01-22 09:00"), at("2025-01-23 23:59:59"));
	transition(O[11], 1, "state = 'in_progress', signed_at = %s", at("2025-01-22 10:00"));
	transition(O[11], 0, "state = 'replied', replied_at = %s, settled_level = 'courtyard'",
				    at("2025-01-24 09:00"));
	transition(O[11], 0, "state = 'reviewed'");
	transition(O[11], 0, "state = 'dissatisfied', satisfaction = 'dissatisfied', resolved = 0");
	transition(O[11], 0, "state = 'in_progress', redos = 1, settled_level = NULL, deadline = %s",
				    at("2025-02-10 23:59:59"));

	O[12] = insert_order(&(struct ord){ .place = N_Y3, .received = "2025-02-28 09:00", .source = "resident",
					    .type = "complaint", .category = CAT_ENV_PARKING, .state = "accepted",
					    .accepted = "2025-02-28 09:00", .deadline = "2025-03-07 23:59:59",
					    .resolved = -1 });
	transition(O[12], 0, "state = 'dispatched', dispatched_at = %s, sign_deadline = %s",
				    at("2025-02-28 10:00"), at("2025-03-03 23:59:59"));
	add_event(O[12], STATS_ACTION_YELLOW_CARD, "2025-03-06 00:00");
	transition(O[12], 0, "card = 'yellow'");

	O[13] = insert_order(&(struct ord){ .place = N_OY, .received = "2025-02-10 09:00", .source = "hotline",
					    .type = "complaint", .category = CAT_ENV_CLEAN, .state = "closed",
					    .accepted = "2025-02-10 09:00", .replied = "2025-02-10 10:00",
					    .deadline = "2025-02-17 23:59:59", .closed = "2025-02-11 10:00",
					    .settled = "subdistrict", .satisfaction = "satisfied", .resolved = 1 });
}

static int setup(void **state)
{
	(void)state;
	S = unit_db_open();
	if (!S)
		return -1;
	unit_load_calendars(S);
	N_S = mk_node(0, LEVEL_SUBDISTRICT, "明水街道");
	N_C1 = mk_node(N_S, LEVEL_COMMUNITY, "龙泉社区");
	N_Y1 = mk_node(N_C1, LEVEL_COURTYARD, "君临天下");
	N_B1 = mk_node(N_Y1, LEVEL_BUILDING, "1号楼");
	N_H1 = mk_node(N_B1, LEVEL_HOUSEHOLD, "101室");
	N_Y2 = mk_node(N_C1, LEVEL_COURTYARD, "泉景");
	N_C2 = mk_node(N_S, LEVEL_COMMUNITY, "燕山社区");
	N_Y3 = mk_node(N_C2, LEVEL_COURTYARD, "燕山小区");
	N_S2 = mk_node(0, LEVEL_SUBDISTRICT, "刁镇街道");
	N_OC = mk_node(N_S2, LEVEL_COMMUNITY, "刁镇社区");
	N_OY = mk_node(N_OC, LEVEL_COURTYARD, "刁镇小区");
	build_orders();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unit_db_close(S);
	return 0;
}

/* ---- checking ---- */

/* Every counter equal, naming the first that is not. */
static void assert_counts(const char *what, const struct stats_counts *got, const struct stats_counts *want)
{
#define CHECK_(name)                                                                                       \
	if (got->name != want->name)                                                                       \
		fail_msg("%s: %s is %lld, expected %lld", what, #name, (long long)got->name, (long long)want->name);
	STATS_COUNTERS(CHECK_)
#undef CHECK_
}

static void assert_ratio(const char *what, struct stats_ratio r, int64_t num, int64_t den)
{
	if (r.num != num || r.den != den)
		fail_msg("%s: %lld/%lld, expected %lld/%lld", what, (long long)r.num, (long long)r.den, (long long)num,
			 (long long)den);
}

/* Everything but the names: the same figures. */
static void assert_same(const char *what, const struct wo_stats *a, const struct wo_stats *b)
{
	size_t i;

	assert_counts(what, &a->c, &b->c);
	assert_memory_equal(a->hist, b->hist, sizeof(a->hist));
	assert_int_equal(a->p90_bucket, b->p90_bucket);
	assert_int_equal(a->nmonths, b->nmonths);
	for (i = 0; i < a->nmonths; i++) {
		assert_string_equal(a->months[i].month, b->months[i].month);
		assert_int_equal(a->months[i].received, b->months[i].received);
		assert_int_equal(a->months[i].hotline, b->months[i].hotline);
	}
	assert_int_equal(a->ncategories, b->ncategories);
	for (i = 0; i < a->ncategories; i++) {
		assert_int_equal(a->categories[i].id, b->categories[i].id);
		assert_int_equal(a->categories[i].received, b->categories[i].received);
	}
}

static void figures(int64_t node, const char *from, const char *to, struct wo_stats *out)
{
	if (stats_compute(S, node, from, to, out, &F) < 0)
		fail_msg("stats_compute %lld %s..%s: %s", (long long)node, from, to, F.message);
}

/* Rollup and raw agree, for the node and the period; the rollup's figures are returned. */
static void figures_both(int64_t node, const char *from, const char *to, struct wo_stats *out)
{
	struct wo_stats raw;
	char what[96];

	figures(node, from, to, out);
	if (stats_compute_raw(S, node, from, to, &raw, &F) < 0)
		fail_msg("stats_compute_raw: %s", F.message);
	snprintf(what, sizeof(what), "node %lld %s..%s rollup vs raw", (long long)node, from, to);
	assert_same(what, out, &raw);
	wo_stats_release(&raw);
}

/* ---- tests ---- */

/* The subdistrict over P: every figure, by hand from the table above. */
static void test_subdistrict_period(void **state)
{
	struct wo_stats st;
	/*
	 * In P under S: O2 O3 O4 O5 O6 O7 O10 O11 O12 (O1, O9 before; O8 after; O13 elsewhere).
	 */
	const struct stats_counts want = {
		.received = 9,
		.refused = 1,			/* O10 */
		.still_open = 7,		/* O3 dissatisfied, O4 replied, O5 answered, O6, O7, O11, O12 */
		.closed = 1,			/* O2 */
		.completed = 4,			/* O2 O3 O4 O5 (O11's reply was withdrawn by the redo) */
		.on_time = 3,			/* O2 O3 (extended deadline) O5; O4 late */
		.settled_courtyard = 1,		/* O2 */
		.settled_community = 2,		/* O3 O4 */
		.settled_subdistrict = 1,	/* O5 */
		.dispatched = 5,		/* O2 O3 O4 O11 O12 */
		.response_due = 5,
		.responded = 3,			/* O2 O3 O11 (its second dispatch); O4 late, O12 not signed */
		.signed_for = 4,		/* O2 O3 O4 O11 */
		.returned = 1, .returns = 1,	/* O11 */
		.extended = 1, .extensions = 1,	/* O3 */
		.callbacks = 3,			/* O2 O3 O11 */
		.basically_satisfied = 1,	/* O2 */
		.dissatisfied = 2,		/* O3 O11 */
		.resolved_known = 2,		/* O3 (1) O11 (0); O2 not said */
		.resolved = 1,			/* O3 */
		.redo_base = 3,			/* O2 O3 O11 */
		.redone = 1, .redos = 1,	/* O11 */
		.supervised = 1, .supervisions = 1,	/* O3 */
		.escalated = 1, .escalations = 1,	/* O3 */
		.yellow_cards = 2,		/* O4 O12 */
		.red_cards = 1,			/* O4 */
		.handled = 4,
		.handling_seconds = 216000 + 784800 + 691200 + 7200,	/* O2 O3 O4 O5 */
		.src_resident = 3,		/* O3 O7 O12 */
		.src_grid = 1, .src_mobile_grid = 1, .src_phone = 1, .src_walk_in = 1,
		.src_hotline = 2,		/* O2 O5 */
		.type_consultation = 1,		/* O5 */
		.type_help = 3,			/* O3 O6 O10 */
		.type_complaint = 3,		/* O2 O11 O12 */
		.type_report = 1,		/* O4 */
		.type_suggestion = 1,		/* O7 */
	};

	(void)state;
	figures_both(N_S, "2025-01-15", "2025-03-10", &st);
	assert_counts("S over P", &st.c, &want);
	assert_int_equal(st.node_id, N_S);
	assert_string_equal(st.from, "2025-01-15");
	assert_string_equal(st.to, "2025-03-10");

	assert_ratio("response 响应率", st.r.response, 3, 5);
	assert_ratio("resolution 解决率", st.r.resolution, 1, 2);
	assert_ratio("satisfaction 满意率", st.r.satisfaction, 1, 3);
	assert_ratio("completion 办结率", st.r.completion, 4, 8);	/* refused O10 is not a request to handle */
	assert_ratio("on time 按期办结率", st.r.on_time, 3, 4);
	assert_ratio("return 退单率", st.r.returns, 1, 5);
	assert_ratio("extension 延期率", st.r.extensions, 1, 5);
	assert_ratio("redo 重办率", st.r.redos, 1, 3);
	assert_ratio("settled courtyard", st.r.settled_courtyard, 1, 4);
	assert_ratio("settled community", st.r.settled_community, 2, 4);
	assert_ratio("settled subdistrict", st.r.settled_subdistrict, 1, 4);

	/* Handling: 0.083, 2.5, 8.0, 9.083 working days; mean 1699200 / 4 / 86400 = 4.9166...;
	 * p90: rank ceil(0.9 * 4) = 4, the 4th shortest is O3's, bucket 90: reported 9.1. */
	assert_int_equal(st.hist[0], 1);
	assert_int_equal(st.hist[25], 1);
	assert_int_equal(st.hist[80], 1);
	assert_int_equal(st.hist[90], 1);
	assert_true(st.mean_days > 4.91666 && st.mean_days < 4.91667);
	assert_int_equal(st.p90_bucket, 90);
	assert_true(st.p90_days > 9.0999 && st.p90_days < 9.1001);

	/* Months: January 15..31 O2 (hotline) O3 O11; February O4 O5 (hotline) O10 O12; March 1..10 O6 O7. */
	assert_int_equal(st.nmonths, 3);
	assert_string_equal(st.months[0].month, "2025-01");
	assert_int_equal(st.months[0].received, 3);
	assert_int_equal(st.months[0].hotline, 1);
	assert_string_equal(st.months[1].month, "2025-02");
	assert_int_equal(st.months[1].received, 4);
	assert_int_equal(st.months[1].hotline, 1);
	assert_string_equal(st.months[2].month, "2025-03");
	assert_int_equal(st.months[2].received, 2);
	assert_int_equal(st.months[2].hotline, 0);

	/* Top-level categories in the tree's order: 市容环境 O2 O6 O12; 城乡建设 O10; 邻里纠纷 O3 O11;
	 * 治安安全 O4; 民生服务 O5; 其他 O7.  公用设施 has none and is left out. */
	assert_int_equal(st.ncategories, 6);
	assert_int_equal(st.categories[0].id, 1);
	assert_string_equal(st.categories[0].name, "市容环境");
	assert_int_equal(st.categories[0].received, 3);
	assert_int_equal(st.categories[1].id, 5);
	assert_int_equal(st.categories[1].received, 1);
	assert_int_equal(st.categories[2].id, 9);
	assert_int_equal(st.categories[2].received, 2);
	assert_int_equal(st.categories[3].id, 16);
	assert_int_equal(st.categories[3].received, 1);
	assert_int_equal(st.categories[4].id, 19);
	assert_string_equal(st.categories[4].code, "service");
	assert_int_equal(st.categories[4].received, 1);
	assert_int_equal(st.categories[5].id, 22);
	assert_int_equal(st.categories[5].received, 1);
	wo_stats_release(&st);
}

/* Subtrees and siblings over P: a community, its courtyards, a building and a household (counted raw). */
static void test_subtrees(void **state)
{
	struct wo_stats c1, c2, y1, y2, y3, b1, h1, all, sub2;

	(void)state;
	/* C1: O2 O3 O4 O7 O10 O11. */
	figures_both(N_C1, "2025-01-15", "2025-03-10", &c1);
	assert_int_equal(c1.c.received, 6);
	assert_int_equal(c1.c.refused, 1);
	assert_int_equal(c1.c.completed, 3);		/* O2 O3 O4 */
	assert_int_equal(c1.c.on_time, 2);		/* O2 O3 */
	assert_ratio("C1 response", c1.r.response, 3, 4);	/* O2 O3 O11 of O2 O3 O4 O11 */
	assert_ratio("C1 satisfaction", c1.r.satisfaction, 1, 3);
	assert_int_equal(c1.c.yellow_cards, 1);
	assert_int_equal(c1.c.red_cards, 1);
	/* C2: O5 O6 (placed on the community itself) O12. */
	figures_both(N_C2, "2025-01-15", "2025-03-10", &c2);
	assert_int_equal(c2.c.received, 3);
	assert_int_equal(c2.c.completed, 1);
	assert_int_equal(c2.c.settled_subdistrict, 1);
	assert_ratio("C2 response", c2.r.response, 0, 1);	/* O12 not signed */
	assert_int_equal(c2.c.yellow_cards, 1);
	/* The communities partition the subdistrict: nothing is placed on S itself. */
	assert_int_equal(c1.c.received + c2.c.received, 9);
	assert_int_equal(c1.c.handling_seconds + c2.c.handling_seconds, 1699200);

	/* Siblings: Y1 (O2 O3 O7 O10) and Y2 (O4 O11) do not see each other's orders. */
	figures_both(N_Y1, "2025-01-15", "2025-03-10", &y1);
	figures_both(N_Y2, "2025-01-15", "2025-03-10", &y2);
	figures_both(N_Y3, "2025-01-15", "2025-03-10", &y3);
	assert_int_equal(y1.c.received, 4);
	assert_int_equal(y1.c.src_hotline, 1);
	assert_int_equal(y1.c.escalated, 1);		/* O3 */
	assert_int_equal(y1.c.red_cards, 0);
	assert_int_equal(y2.c.received, 2);
	assert_int_equal(y2.c.red_cards, 1);		/* O4 */
	assert_int_equal(y2.c.redone, 1);		/* O11 */
	assert_int_equal(y2.c.returned, 1);
	assert_int_equal(y3.c.received, 2);		/* O5 O12 */
	assert_int_equal(y1.c.received + y2.c.received, c1.c.received);

	/* Below the courtyard (counted from the orders): B1 holds O2 and O10 (in H1). */
	figures(N_B1, "2025-01-15", "2025-03-10", &b1);
	assert_int_equal(b1.c.received, 2);
	assert_int_equal(b1.c.refused, 1);
	assert_int_equal(b1.c.completed, 1);
	assert_int_equal(b1.c.handling_seconds, 216000);
	assert_int_equal(b1.p90_bucket, 25);
	assert_true(b1.p90_days > 2.5999 && b1.p90_days < 2.6001);
	assert_int_equal(b1.months[0].hotline, 1);
	figures(N_H1, "2025-01-15", "2025-03-10", &h1);
	assert_int_equal(h1.c.received, 1);		/* O10 */
	assert_int_equal(h1.c.src_mobile_grid, 1);
	assert_ratio("H1 completion", h1.r.completion, 0, 0);	/* refused only: no rate */

	/* The deployment: S and S2 (O13). */
	figures_both(0, "2025-01-15", "2025-03-10", &all);
	figures_both(N_S2, "2025-01-15", "2025-03-10", &sub2);
	assert_int_equal(all.node_id, 0);
	assert_int_equal(all.c.received, 10);
	assert_int_equal(sub2.c.received, 1);
	assert_int_equal(all.c.satisfied, 1);
	assert_int_equal(all.c.handling_seconds, 1699200 + 3600);
	assert_ratio("all satisfaction", all.r.satisfaction, 2, 4);
	assert_ratio("all resolution", all.r.resolution, 2, 3);
	assert_int_equal(all.hist[0], 2);		/* O5 O13 */

	wo_stats_release(&c1);
	wo_stats_release(&c2);
	wo_stats_release(&y1);
	wo_stats_release(&y2);
	wo_stats_release(&y3);
	wo_stats_release(&b1);
	wo_stats_release(&h1);
	wo_stats_release(&all);
	wo_stats_release(&sub2);
}

/* Edges of days (local midnight), whole months from month rows, a year. */
static void test_periods(void **state)
{
	struct wo_stats st;

	(void)state;
	/* 01-14 23:59 (O9) and 01-15 09:00 (O2): the local day, not the UTC one, decides. */
	figures_both(N_S, "2025-01-14", "2025-01-14", &st);
	assert_int_equal(st.c.received, 1);
	assert_int_equal(st.c.refused, 1);
	assert_ratio("a day of refusals", st.r.completion, 0, 0);
	wo_stats_release(&st);
	figures_both(N_S, "2025-01-14", "2025-01-15", &st);
	assert_int_equal(st.c.received, 2);
	wo_stats_release(&st);
	/* 03-10 23:30 (O7) is in, 03-11 00:00 (O8) is the next day. */
	figures_both(N_Y1, "2025-03-10", "2025-03-10", &st);
	assert_int_equal(st.c.received, 1);
	assert_int_equal(st.c.type_suggestion, 1);
	wo_stats_release(&st);
	figures_both(N_Y1, "2025-03-11", "2025-03-11", &st);
	assert_int_equal(st.c.received, 1);
	wo_stats_release(&st);

	/* January whole (one month row a node): O1 O2 O3 O9 O11. */
	figures_both(N_S, "2025-01-01", "2025-01-31", &st);
	assert_int_equal(st.c.received, 5);
	assert_int_equal(st.c.completed, 3);		/* O1 O2 O3 */
	assert_int_equal(st.c.satisfied, 1);		/* O1 */
	assert_int_equal(st.c.handling_seconds, 86400 + 216000 + 784800);
	assert_int_equal(st.nmonths, 1);
	assert_int_equal(st.months[0].received, 5);
	wo_stats_release(&st);

	/* The year: twelve month rows, all of S's twelve orders; every month listed. */
	figures_both(N_S, "2025-01-01", "2025-12-31", &st);
	assert_int_equal(st.c.received, 12);
	assert_int_equal(st.nmonths, 12);
	assert_string_equal(st.months[11].month, "2025-12");
	assert_int_equal(st.months[0].received, 5);
	assert_int_equal(st.months[1].received, 4);
	assert_int_equal(st.months[2].received, 3);	/* O6 O7 O8 */
	assert_int_equal(st.months[3].received, 0);
	assert_ratio("year on time", st.r.on_time, 4, 5);	/* O1 O2 O3 O5 of those and O4 */
	wo_stats_release(&st);

	/* Across a year's end, with no orders: zeros and no rates, no handling figures. */
	figures_both(N_S, "2024-12-15", "2025-01-05", &st);
	assert_int_equal(st.c.received, 0);
	assert_int_equal(st.nmonths, 2);
	assert_string_equal(st.months[0].month, "2024-12");
	assert_int_equal(st.p90_bucket, -1);
	assert_true(st.mean_days == 0.0);
	assert_ratio("nothing", st.r.response, 0, 0);
	wo_stats_release(&st);
}

static void test_period_split(void **state)
{
	struct range r[3];
	int32_t a, b;
	size_t n;

	(void)state;
	calendar_day_parse("2025-01-15", &a);
	calendar_day_parse("2025-03-10", &b);
	n = split_period(a, b, r);
	assert_int_equal(n, 3);
	assert_string_equal(r[0].span, "day");
	assert_string_equal(r[0].lo, "2025-01-15");
	assert_string_equal(r[0].hi, "2025-01-31");
	assert_string_equal(r[1].span, "month");
	assert_string_equal(r[1].lo, "2025-02");
	assert_string_equal(r[1].hi, "2025-02");
	assert_string_equal(r[2].lo, "2025-03-01");
	assert_string_equal(r[2].hi, "2025-03-10");

	calendar_day_parse("2024-01-01", &a);
	calendar_day_parse("2025-12-31", &b);
	n = split_period(a, b, r);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].lo, "2024-01");
	assert_string_equal(r[0].hi, "2025-12");

	calendar_day_parse("2024-02-29", &a);	/* a leap day, inside one month */
	n = split_period(a, a, r);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].span, "day");
	assert_string_equal(r[0].lo, "2024-02-29");
	assert_string_equal(r[0].hi, "2024-02-29");

	calendar_day_parse("2024-02-01", &a);
	calendar_day_parse("2024-03-15", &b);
	n = split_period(a, b, r);
	assert_int_equal(n, 2);
	assert_string_equal(r[0].span, "month");
	assert_string_equal(r[0].hi, "2024-02");
	assert_string_equal(r[1].lo, "2024-03-01");

	calendar_day_parse("2024-12-20", &a);
	calendar_day_parse("2025-01-31", &b);
	n = split_period(a, b, r);
	assert_int_equal(n, 2);
	assert_string_equal(r[0].hi, "2024-12-31");
	assert_string_equal(r[1].span, "month");
	assert_string_equal(r[1].lo, "2025-01");
}

/* The dashboard's ranking: children side by side, and what is placed on the node itself. */
static void test_ranking(void **state)
{
	struct stats_ranking rk;

	(void)state;
	if (stats_ranking(S, N_S, "2025-01-15", "2025-03-10", &rk, &F) < 0)
		fail_msg("ranking: %s", F.message);
	assert_int_equal(rk.n, 2);
	/* By name: 燕 (U+71D5) sorts before 龙 (U+9F99). */
	assert_int_equal(rk.items[0].node_id, N_C2);
	assert_string_equal(rk.items[0].name, "燕山社区");
	assert_int_equal(rk.items[0].level, LEVEL_COMMUNITY);
	assert_int_equal(rk.items[0].c.received, 3);
	assert_int_equal(rk.items[1].node_id, N_C1);
	assert_int_equal(rk.items[1].c.received, 6);
	assert_ratio("C1 on time", rk.items[1].r.on_time, 2, 3);
	assert_ratio("C1 resolution", rk.items[1].r.resolution, 1, 2);
	assert_int_equal(rk.total.c.received, 9);
	assert_ratio("S response", rk.total.r.response, 3, 5);
	assert_int_equal(rk.has_self, 0);
	stats_ranking_release(&rk);

	/* Under C2: Y3 (O5 O12), and O6 placed on the community itself. */
	if (stats_ranking(S, N_C2, "2025-01-15", "2025-03-10", &rk, &F) < 0)
		fail_msg("ranking: %s", F.message);
	assert_int_equal(rk.n, 1);
	assert_int_equal(rk.items[0].node_id, N_Y3);
	assert_int_equal(rk.items[0].c.received, 2);
	assert_int_equal(rk.has_self, 1);
	assert_int_equal(rk.self.c.received, 1);
	assert_int_equal(rk.self.c.src_phone, 1);
	stats_ranking_release(&rk);

	/* Under a courtyard: its buildings, counted from the orders; the courtyard's own orders apart. */
	if (stats_ranking(S, N_Y1, "2025-01-15", "2025-03-10", &rk, &F) < 0)
		fail_msg("ranking: %s", F.message);
	assert_int_equal(rk.n, 1);
	assert_int_equal(rk.items[0].c.received, 2);	/* O2 O10 */
	assert_int_equal(rk.self.c.received, 2);	/* O3 O7 */
	stats_ranking_release(&rk);

	/* The deployment: the subdistricts. */
	if (stats_ranking(S, 0, "2025-01-15", "2025-03-10", &rk, &F) < 0)
		fail_msg("ranking: %s", F.message);
	assert_int_equal(rk.n, 2);
	assert_int_equal(rk.total.c.received, 10);
	assert_null(rk.total.name);
	stats_ranking_release(&rk);
}

/* The rollup tables as text, rows with nothing in them left out. */
#define NONZERO_(name) " OR " #name " <> 0"
#define COLS_(name) " || ',' || " #name
static char *dump_rollups(void)
{
	static const char *const sql[] = {
		"SELECT node_id || ',' || span || ',' || period || ',' || subdistrict_id" STATS_COUNTERS(COLS_)
		" || ',' || hist FROM wo_rollup WHERE hist <> ''" STATS_COUNTERS(NONZERO_) " ORDER BY node_id, span, period",
		"SELECT node_id || ',' || span || ',' || period || ',' || category_id || ',' || subdistrict_id || ','"
		" || n FROM wo_rollup_category WHERE n <> 0 ORDER BY node_id, span, period, category_id",
	};
	struct buf b = BUF_INIT;
	size_t i;

	buf_init(&b);
	for (i = 0; i < YL_ARRAY_LEN(sql); i++) {
		struct store_stmt *st = store_prepare(S, sql[i]);
		int rc;

		while ((rc = store_step(st)) == STORE_ROW) {
			buf_adds(&b, store_column_text(st, 0));
			buf_addch(&b, '\n');
		}
		store_done(st);
		if (rc != STORE_DONE)
			fail_msg("dump: %s", store_errmsg(S));
		buf_adds(&b, "--\n");
	}
	return buf_detach(&b, NULL);
}
#undef NONZERO_
#undef COLS_

/* What the hooks kept, history by history, is what a recomputation from the rows gives. */
static void test_rollup_equals_rebuild(void **state)
{
	char *kept, *rebuilt;
	int64_t orders = 0;

	(void)state;
	kept = dump_rollups();
	assert_true(strlen(kept) > 100);
	if (stats_rebuild(S, &orders, &F) < 0)
		fail_msg("rebuild: %s", F.message);
	assert_int_equal(orders, 13);
	rebuilt = dump_rollups();
	assert_string_equal(kept, rebuilt);
	/* And again: a rebuild is idempotent. */
	if (stats_rebuild(S, NULL, &F) < 0)
		fail_msg("rebuild: %s", F.message);
	free(rebuilt);
	rebuilt = dump_rollups();
	assert_string_equal(kept, rebuilt);
	free(kept);
	free(rebuilt);
	/* Every order has one day row and one month row in its stat node: received sums to 13 each way. */
	assert_int_equal(query("SELECT SUM(received) FROM wo_rollup WHERE span = 'day'"), 13);
	assert_int_equal(query("SELECT SUM(received) FROM wo_rollup WHERE span = 'month'"), 13);
	assert_int_equal(query("SELECT COUNT(*) FROM wo_rollup r JOIN nodes n ON n.id = r.node_id"
			       " WHERE n.level NOT IN ('subdistrict', 'community', 'courtyard')"), 0);
}

/*
 * A change of the order's key (another place, category, receipt day) moves
 * it between rows; a no-op writes nothing; a reopen takes back what the
 * callback gave; deleting takes it all out.  Then figures and a rebuild
 * still agree.
 */
static void test_hook_moves(void **state)
{
	struct wo_stats before, after;
	char *kept, *rebuilt, sql[96];
	int64_t rows;
	struct wo_order o;

	(void)state;
	figures(N_S, "2025-01-01", "2025-12-31", &before);
	rows = query("SELECT COUNT(*) FROM wo_rollup");
	transition(O[6], 0, "text = 'no figure changes'");
	assert_int_equal(query("SELECT COUNT(*) FROM wo_rollup"), rows);

	/* O6 moves from C2 to Y2 (C1), from 03-03 to 04-01, and to another top-level category. */
	transition(O[6], 1, "node_id = %lld, received_at = %s, category_id = %d", (long long)N_Y2,
				   at("2025-04-01 09:00"), CAT_FIRE);
	/* O1 reopened: its callback and reply are withdrawn. */
	transition(O[1], 0, "state = 'in_progress', closed_at = NULL, satisfaction = NULL, resolved = NULL,"
				   " settled_level = NULL, reopens = 1, deadline = %s", at("2025-01-20 23:59:59"));
	figures(N_S, "2025-01-01", "2025-12-31", &after);
	assert_int_equal(after.c.received, before.c.received);
	assert_int_equal(after.c.callbacks, before.c.callbacks - 1);
	assert_int_equal(after.c.satisfied, before.c.satisfied - 1);
	assert_int_equal(after.c.completed, before.c.completed - 1);
	assert_int_equal(after.c.handled, before.c.handled - 1);
	assert_int_equal(after.c.handling_seconds, before.c.handling_seconds - 86400);
	assert_int_equal(after.hist[10], before.hist[10] - 1);
	assert_int_equal(after.months[2].received, before.months[2].received - 1);
	assert_int_equal(after.months[3].received, 1);
	wo_stats_release(&before);
	wo_stats_release(&after);

	figures(N_C2, "2025-01-01", "2025-12-31", &after);
	assert_int_equal(after.c.received, 2);		/* O5 O12 */
	assert_int_equal(after.c.src_phone, 0);
	wo_stats_release(&after);

	/* An order deleted (a purge): after = NULL takes it out. */
	begin();
	read_order(O[8], &o);
	snprintf(sql, sizeof(sql), "DELETE FROM work_orders WHERE id = %lld", (long long)O[8]);
	exec(sql);
	if (hook_event(&o, NULL) < 0)
		fail_msg("hook: %s", F.message);
	wo_order_release(&o);
	commit();
	figures(N_Y1, "2025-03-11", "2025-03-11", &after);
	assert_int_equal(after.c.received, 0);
	wo_stats_release(&after);

	kept = dump_rollups();
	if (stats_rebuild(S, NULL, &F) < 0)
		fail_msg("rebuild: %s", F.message);
	rebuilt = dump_rollups();
	assert_string_equal(kept, rebuilt);
	free(kept);
	free(rebuilt);
}

/* A hook that fails (a place on no tree) leaves nothing of its own half-written. */
static void test_hook_failure(void **state)
{
	struct wo_order o;
	int64_t rows = query("SELECT COUNT(*) FROM wo_rollup");

	(void)state;
	read_order(O[2], &o);
	o.node_id = 999999;
	o.received_at = local("2030-06-01 09:00");
	assert_int_equal(hook_event(NULL, &o), -1);
	assert_int_equal(F.kind, FAULT_INTERNAL);
	assert_int_equal(query("SELECT COUNT(*) FROM wo_rollup"), rows);
	wo_order_release(&o);
}

/* A year without a calendar: the handling time is counted on the provisional calendar (a Thursday to a Friday). */
static void test_no_calendar(void **state)
{
	struct wo_stats st;
	int64_t id;

	(void)state;
	id = insert_order(&(struct ord){ .place = N_Y3, .received = "2040-03-01 09:00", .source = "resident",
					 .type = "help", .category = CAT_ENV_CLEAN, .state = "answered",
					 .accepted = "2040-03-01 09:00", .replied = "2040-03-02 09:00",
					 .deadline = "2040-03-08 23:59:59", .settled = "community", .resolved = -1 });
	assert_true(id > 0);
	figures_both(N_S, "2040-03-01", "2040-03-31", &st);
	assert_int_equal(st.c.completed, 1);
	assert_int_equal(st.c.handled, 1);
	assert_int_equal(st.c.handling_unknown, 0);
	assert_true(st.p90_bucket >= 0);
	wo_stats_release(&st);
}

static void test_bad_input(void **state)
{
	struct wo_stats st;

	(void)state;
	assert_int_equal(stats_compute(S, N_S, "2025-13-01", "2025-12-31", &st, &F), -1);
	assert_int_equal(F.kind, FAULT_INVALID);
	assert_string_equal(F.field, "from");
	assert_int_equal(stats_compute(S, N_S, "2025-01-01", "2025-02-30", &st, &F), -1);
	assert_string_equal(F.field, "to");
	assert_int_equal(stats_compute(S, N_S, "2025-02-01", "2025-01-31", &st, &F), -1);
	assert_string_equal(F.field, "to");
	assert_int_equal(stats_compute(S, N_S, NULL, "2025-01-31", &st, &F), -1);
	assert_string_equal(F.field, "from");
	assert_int_equal(stats_compute(S, N_S, "2000-01-01", "2025-01-31", &st, &F), -1);
	assert_string_equal(F.field, "to");
	assert_int_equal(stats_compute(S, 424242, "2025-01-01", "2025-01-31", &st, &F), -1);
	assert_int_equal(F.kind, FAULT_NOT_FOUND);
	assert_string_equal(F.field, "node");
}

/* ---- scale (YL_STATS_BENCH=1) ---- */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* CPU time of the process: on a shared machine the wall clock also measures the neighbours. */
static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * The rollup of 10 million orders over three years (2023-2025): 20
 * subdistricts of 15 communities of 5 courtyards (1820 stat nodes), 5 orders
 * a stat node a day, in 1..3 top-level categories, 1..5 of them completed a
 * day in buckets spread over 0..30 working days.  Rows are generated by SQL straight into the tables (what the hook
 * would have left; SQLite's date() only serves this generator), then
 * stats_compute is timed: a subdistrict's calendar year (month rows), a
 * subdistrict's year cut mid-month at both ends (day rows too), a
 * community's year.
 */
static void test_scale(void **state)
{
	static const char *const periods[][2] = {
		{ "2025-01-01", "2025-12-31" }, { "2024-11-17", "2025-11-16" }, { "2025-01-01", "2025-12-31" },
	};
	static const char *const gen[] = {
		"CREATE TEMP TABLE bench_days AS WITH RECURSIVE d(day) AS (SELECT 19358 UNION ALL"
		" SELECT day + 1 FROM d WHERE day < 20453) SELECT day, date(day * 86400, 'unixepoch') AS period FROM d",
		"CREATE TEMP TABLE bench_nodes AS SELECT n.id, n.subdistrict_id FROM nodes n JOIN nodes r ON"
		" r.id = n.subdistrict_id WHERE r.name LIKE 'bench%' AND n.level IN ('subdistrict', 'community', 'courtyard')",
		"CREATE TEMP TABLE bench_seq AS WITH RECURSIVE q(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM q WHERE j < 4)"
		" SELECT j FROM q",
		"INSERT INTO wo_rollup (node_id, span, period, subdistrict_id, received, still_open, completed, on_time,"
		" settled_courtyard, dispatched, response_due, responded, callbacks, satisfied, resolved_known, resolved,"
		" handled, handling_seconds, src_hotline, type_complaint)"
		" SELECT n.id, 'day', d.period, n.subdistrict_id, 5, (d.day + n.id) % 2, 4, 3 + (d.day % 2), 2, 4, 4, 3,"
		" 3, 2, 3, 2, 1 + (d.day + n.id) % 5, 200000 + d.day, 2 + (n.id % 2), 3 FROM bench_nodes n, bench_days d",
		"INSERT INTO wo_rollup_category (node_id, span, period, category_id, subdistrict_id, n)"
		" SELECT n.id, 'day', d.period, 1 + 4 * q.j, n.subdistrict_id, 1 + q.j FROM bench_nodes n, bench_days d,"
		" bench_seq q WHERE q.j < 1 + (d.day + n.id) % 3",
		"CREATE TEMP TABLE bench_hist AS SELECT n.id AS node_id, d.period AS period,"
		" (d.day * 7 + q.j * 13 + n.id) % 300 AS bucket, 1 AS n"
		" FROM bench_nodes n, bench_days d, bench_seq q WHERE q.j < 1 + (d.day + n.id) % 5",
		"CREATE INDEX bench_hist_key ON bench_hist(node_id, period)",
		"INSERT INTO wo_rollup (node_id, span, period, subdistrict_id, received, still_open, completed, on_time,"
		" settled_courtyard, dispatched, response_due, responded, callbacks, satisfied, resolved_known, resolved,"
		" handled, handling_seconds, src_hotline, type_complaint, hist)"
		" SELECT node_id, 'month', substr(period, 1, 7), subdistrict_id, SUM(received), SUM(still_open),"
		" SUM(completed), SUM(on_time), SUM(settled_courtyard), SUM(dispatched), SUM(response_due), SUM(responded),"
		" SUM(callbacks), SUM(satisfied), SUM(resolved_known), SUM(resolved), SUM(handled), SUM(handling_seconds),"
		" SUM(src_hotline), SUM(type_complaint), '' FROM wo_rollup WHERE span = 'day' AND node_id IN"
		" (SELECT id FROM bench_nodes) GROUP BY node_id, substr(period, 1, 7), subdistrict_id",
		"INSERT INTO wo_rollup_category (node_id, span, period, category_id, subdistrict_id, n)"
		" SELECT node_id, 'month', substr(period, 1, 7), category_id, subdistrict_id, SUM(n) FROM wo_rollup_category"
		" WHERE span = 'day' AND node_id IN (SELECT id FROM bench_nodes)"
		" GROUP BY node_id, substr(period, 1, 7), category_id, subdistrict_id",
		"UPDATE wo_rollup SET hist = (SELECT group_concat(bucket || ':' || n) FROM (SELECT bucket, SUM(n) AS n"
		" FROM bench_hist h WHERE h.node_id = wo_rollup.node_id AND h.period = wo_rollup.period GROUP BY bucket))"
		" WHERE span = 'day' AND node_id IN (SELECT id FROM bench_nodes)",
		"UPDATE wo_rollup SET hist = (SELECT group_concat(bucket || ':' || n) FROM (SELECT bucket, SUM(n) AS n"
		" FROM bench_hist h WHERE h.node_id = wo_rollup.node_id AND h.period BETWEEN wo_rollup.period || '-01'"
		" AND wo_rollup.period || '-31' GROUP BY bucket)) WHERE span = 'month' AND node_id IN (SELECT id FROM bench_nodes)",
		"ANALYZE",
	};
	int64_t subs[20], node, first_com = 0;
	int i, c, y, p, reps = 200;
	double t0, times[200], cpu[200];
	struct wo_stats st;
	size_t g;

	(void)state;
	if (!getenv("YL_STATS_BENCH"))
		skip();
	t0 = now_ms();
	begin();
	for (i = 0; i < 20; i++) {
		char name[32];

		snprintf(name, sizeof(name), "bench街道%d", i);
		subs[i] = mk_node(0, LEVEL_SUBDISTRICT, name);
		for (c = 0; c < 15; c++) {
			int64_t com;

			snprintf(name, sizeof(name), "社区%d", c);
			com = mk_node(subs[i], LEVEL_COMMUNITY, name);
			if (!first_com)
				first_com = com;
			for (y = 0; y < 5; y++) {
				snprintf(name, sizeof(name), "院落%d", y);
				mk_node(com, LEVEL_COURTYARD, name);
			}
		}
	}
	for (g = 0; g < YL_ARRAY_LEN(gen); g++)
		exec(gen[g]);
	commit();
	print_message("bench: rollup of %lld orders in %lld stat nodes built in %.0f ms: %lld counter rows,"
		      " %lld category rows, %lld histogram entries\n",
		      (long long)query("SELECT SUM(received) FROM wo_rollup WHERE span = 'day'"),
		      (long long)query("SELECT COUNT(*) FROM bench_nodes"), now_ms() - t0,
		      (long long)query("SELECT COUNT(*) FROM wo_rollup"),
		      (long long)query("SELECT COUNT(*) FROM wo_rollup_category"),
		      (long long)query("SELECT COUNT(*) FROM temp.bench_hist"));
	for (p = 0; p < 3; p++) {
		node = p == 2 ? first_com : subs[7];
		for (i = 0; i < reps; i++) {
			double c0 = cpu_ms();

			t0 = now_ms();
			figures(node, periods[p][0], periods[p][1], &st);
			times[i] = now_ms() - t0;
			cpu[i] = cpu_ms() - c0;
			if (i == 0)
				print_message("bench: %s %s..%s: %lld orders, p90 %.1f days\n",
					      p == 2 ? "community" : "subdistrict", periods[p][0], periods[p][1],
					      (long long)st.c.received, st.p90_days);
			wo_stats_release(&st);
		}
		qsort(times, (size_t)reps, sizeof(times[0]), cmp_double);
		qsort(cpu, (size_t)reps, sizeof(cpu[0]), cmp_double);
		print_message("bench: %s %s..%s: wall median %.2f ms, p99 %.2f ms; cpu median %.2f ms, p99 %.2f ms\n",
			      p == 2 ? "community" : "subdistrict", periods[p][0], periods[p][1], times[reps / 2],
			      times[reps * 99 / 100], cpu[reps / 2], cpu[reps * 99 / 100]);
		assert_true(cpu[reps * 99 / 100] <= 50.0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_period_split),
		cmocka_unit_test(test_subdistrict_period),
		cmocka_unit_test(test_subtrees),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_ranking),
		cmocka_unit_test(test_rollup_equals_rebuild),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_hook_failure),
		cmocka_unit_test(test_no_calendar),
		cmocka_unit_test(test_hook_moves),
		cmocka_unit_test(test_scale),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
