/*
 * import_hotline.c - 12345 hotline orders from the CSV a hotline centre hands
 * down (DOMAIN.md, "The hotline's export").
 *
 * A row is one order; its 工单编号 is the order's external_no, unique per source,
 * so a number already in the database counts as unchanged and the same file
 * imports twice into one set of orders.  A number twice in one file is the
 * same order twice when the rows are equal (counted once) and a problem when
 * they differ.
 *
 * Every field is read and checked here first, so that a problem names its
 * column in the hotline's own words; what passes goes to wo_create() as a
 * hotline order received at the hotline's time with the hotline's time limit.
 * The address is matched onto the tree (address_match.c); one that matches
 * nothing goes to the importer's scope or, for an unscoped importer in a
 * deployment of one subdistrict, to that subdistrict: never dropped, and
 * the report counts how many orders landed at each level and how many wait
 * for a person to dispatch them.  来源渠道 is checked but not kept: the work
 * order has no field for the hotline's own channel.
 */
#include "csvio/import.h"
#include "util/check.h"
#include "auth/auth.h"
#include "calendar/calendar.h"
#include "org/org.h"
#include "util/util.h"
#include "workorder/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
	HC_NO,
	HC_TIME,
	HC_CHANNEL,
	HC_TYPE,
	HC_CATEGORY,
	HC_URGENCY,
	HC_CALLER,
	HC_PHONE,
	HC_CONFIDENTIAL,
	HC_ADDRESS,
	HC_COMMUNITY,
	HC_TEXT,
	HC_DAYS,
	HC_DISPATCH,
	HC_COUNT
};

static const char *const no_names[] = { "external_no", "工单号", "工单编码", NULL };
static const char *const time_names[] = { "received_at", "受理日期", "来电时间", NULL };
static const char *const channel_names[] = { "channel", "渠道", "来源", NULL };
static const char *const type_names[] = { "type", "诉求性质", NULL };
static const char *const category_names[] = { "category", "问题分类", NULL };
static const char *const urgency_names[] = { "urgency", "紧急度", NULL };
static const char *const caller_names[] = { "caller_name", "来电人", "联系人", NULL };
static const char *const phone_names[] = { "caller_phone", "来电号码", "电话", NULL };
static const char *const confidential_names[] = { "confidential", "保密", NULL };
static const char *const address_names[] = { "address", "事发地址", "地址", NULL };
static const char *const community_names[] = { "community", "社区", NULL };
static const char *const text_names[] = { "text", "诉求描述", "工单内容", NULL };
static const char *const days_names[] = { "hotline_days", "办理期限", NULL };
static const char *const dispatch_names[] = { "dispatched_at", "派发时间", "交办时间", NULL };

static const struct csv_column hotline_columns[HC_COUNT] = {
	[HC_NO] = { "工单编号", no_names, 1 },
	[HC_TIME] = { "受理时间", time_names, 1 },
	[HC_CHANNEL] = { "来源渠道", channel_names, 0 },
	[HC_TYPE] = { "诉求类型", type_names, 1 },
	[HC_CATEGORY] = { "诉求分类", category_names, 1 },
	[HC_URGENCY] = { "紧急程度", urgency_names, 0 },
	[HC_CALLER] = { "诉求人", caller_names, 0 },
	[HC_PHONE] = { "联系电话", phone_names, 0 },
	[HC_CONFIDENTIAL] = { "是否保密", confidential_names, 0 },
	[HC_ADDRESS] = { "诉求地址", address_names, 1 },
	[HC_COMMUNITY] = { "所属社区", community_names, 0 },
	[HC_TEXT] = { "诉求内容", text_names, 1 },
	[HC_DAYS] = { "办理时限", days_names, 0 },
	[HC_DISPATCH] = { "派单时间", dispatch_names, 0 },
};

#define CHANNEL_CHARS 20
#define MAX_HOTLINE_DAYS 60		/* wo_create(): hotline_days 1..60 */
#define EARLIEST 946684800		/* 2000-01-01: no 12345 order is older */
#define FUTURE_SLACK 300		/* seconds of clock skew */

/* The request types in the hotline's words (DOMAIN.md) and the engine's. */
static const struct {
	const char *word;
	const char *type;
} type_words[] = {
	{ "咨询", "consultation" }, { "求助", "help" },		  { "投诉", "complaint" },
	{ "举报", "report" },	    { "建议", "suggestion" },	  { "consultation", "consultation" },
	{ "help", "help" },	    { "complaint", "complaint" }, { "report", "report" },
	{ "suggestion", "suggestion" },
};

static const struct {
	const char *word;
	const char *urgency;
} urgency_words[] = {
	{ "一般", "normal" }, { "普通", "normal" }, { "normal", "normal" },
	{ "紧急", "urgent" }, { "特急", "urgent" }, { "urgent", "urgent" },
};

struct hotline_run {
	struct import_run r;
	const struct actor *a;
	struct csv_hotline_report *rep;
	struct addr_index places;
	struct strmap categories;	/* path -> category id */
	struct strmap seen;		/* 工单编号 -> index of its first row */
	int64_t fallback;		/* where an address matching nothing goes; 0: nowhere (a problem) */
	enum node_level fallback_level;
	int64_t now;
};

struct hotline_row {
	const char *no, *type, *urgency, *caller, *address, *community, *text;
	char *phone;			/* without spaces and +86; owned */
	int64_t received_at;
	int64_t dispatched_at;		/* 派单时间; 0: none given */
	int64_t category_id;
	const char *category_by;	/* static: tree, map, parent, fallback */
	char *category_path;		/* normalised; owned */
	int confidential;
	int days;			/* 0: the configured limit */
	int64_t node_id;
	enum node_level level;
	int by_fallback;
};

static void hotline_row_release(struct hotline_row *v)
{
	free(v->phone);
	free(v->category_path);
	memset(v, 0, sizeof(*v));
}

/* ---- fields ---- */

static const char *word_of_type(const char *s)
{
	size_t i;

	for (i = 0; i < YL_ARRAY_LEN(type_words); i++)
		if (!strcmp(s, type_words[i].word))
			return type_words[i].type;
	return NULL;
}

static const char *word_of_urgency(const char *s)
{
	size_t i;

	for (i = 0; i < YL_ARRAY_LEN(urgency_words); i++)
		if (!strcmp(s, urgency_words[i].word))
			return urgency_words[i].urgency;
	return NULL;
}

/*
 * 联系电话 without spaces and without the country code (+86 / 0086); the rules
 * for what a phone is are wo_create()'s.  A masked number (138****1234) is no
 * number: -1.
 */
static int phone_clean(const char *in, char **out)
{
	struct buf b = BUF_INIT;
	const char *p;

	*out = NULL;
	if (strchr(in, '*'))
		return -1;
	buf_init(&b);
	for (p = in; *p; p++)
		if (*p != ' ' && *p != '\t')
			buf_addch(&b, *p);
	if (!strncmp(b.data, "+86", 3) || !strncmp(b.data, "0086", 4)) {
		size_t cut = b.data[0] == '+' ? 3 : 4;

		if (b.data[cut] == '-')
			cut++;
		memmove(b.data, b.data + cut, b.len - cut + 1);
		b.len -= cut;
	}
	if (!b.len) {
		buf_release(&b);
		return 0;
	}
	*out = buf_detach(&b, NULL);
	return 0;
}

/* A date, or a date with the hour it is due at (the day is what counts): 1 with *day, else 0. */
static int read_due_day(const char *s, int32_t *day)
{
	const unsigned flags = TIME_SLASH_DATE | TIME_SEP_RUN | TIME_NO_SECONDS;
	char midnight[48];
	int64_t at;

	if (time_parse(s, flags, &at) < 0) {
		if (strchr(s, ' ') || strchr(s, 'T') || strlen(s) > 10)
			return 0;
		snprintf(midnight, sizeof(midnight), "%s 00:00", s);
		if (time_parse(midnight, flags, &at) < 0)
			return 0;
	}
	*day = calendar_day_of(at);
	return 1;
}

/*
 * 办理时限: working days ("5", "5个工作日", "5天"), or the date (and time) the
 * hotline wants the reply by, as the working days from the day of receipt to
 * that date.  -1 after reporting.
 */
static int read_days(struct hotline_run *hr, const struct csv_row *row, const char *s, int64_t received_at,
		     int *days)
{
	static const char *const units[] = { "", "个工作日", "工作日", "天", "日" };
	struct fault f = { 0 };
	int32_t due, from;
	int v, n;
	size_t used, i;

	used = digits_read(s, 3, &v);
	if (used && !(s[used] >= '0' && s[used] <= '9')) {
		for (i = 0; i < YL_ARRAY_LEN(units); i++) {
			if (!strcmp(s + used, units[i])) {
				if (v < 1 || v > MAX_HOTLINE_DAYS) {
					import_problem(&hr->r, row, HC_DAYS, "'%s' is outside 1 to %d working days", s,
						       MAX_HOTLINE_DAYS);
					return -1;
				}
				*days = v;
				return 0;
			}
		}
	}
	if (!read_due_day(s, &due)) {
		import_problem(&hr->r, row, HC_DAYS,
			       "'%s' is neither working days (such as 5) nor a date (such as 2022-11-10)", s);
		return -1;
	}
	if (!received_at)
		return -1;			/* 受理时间 was bad: reported there */
	from = calendar_day_of(received_at);
	if (due <= from) {
		import_problem(&hr->r, row, HC_DAYS, "the date %s is not after the day of 受理时间", s);
		return -1;
	}
	if (calendar_count_working_days(hr->r.s, from, due, &n, &f) < 0) {
		if (f.kind == FAULT_INTERNAL)
			import_store_failed(&hr->r, &f);
		else
			import_problem(&hr->r, row, HC_DAYS, "%s", f.message);
		return -1;
	}
	if (n < 1 || n > MAX_HOTLINE_DAYS) {
		import_problem(&hr->r, row, HC_DAYS, "the date %s is %d working days after receipt: the limit is 1 to %d",
			       s, n, MAX_HOTLINE_DAYS);
		return -1;
	}
	*days = n;
	return 0;
}

/*
 * 诉求分类: the hotline's path resolved onto our tree (category_map.c): never a
 * problem for a path the map, a parent or the fallback can take; the same
 * path of the file is resolved once (the id and how, packed in the map).
 */
static const char *const category_bys[] = { "tree", "map", "parent", "fallback" };

static int read_category(struct hotline_run *hr, const struct csv_row *row, const char *path, struct hotline_row *v)
{
	struct fault f = { 0 };
	int64_t packed;
	const char *by;
	size_t i;

	if (strmap_get(&hr->categories, path, &packed)) {
		v->category_id = packed >> 2;
		v->category_by = category_bys[packed & 3];
		v->category_path = wo_category_path_normal(path);
		return 0;
	}
	if (wo_category_resolve(hr->r.s, path, &v->category_path, &v->category_id, &by, &f) < 0) {
		if (f.kind == FAULT_INTERNAL)
			import_store_failed(&hr->r, &f);
		else
			import_problem(&hr->r, row, HC_CATEGORY, "%s", f.message);
		return -1;
	}
	for (i = 0; i < YL_ARRAY_LEN(category_bys) && strcmp(by, category_bys[i]); i++)
		;
	v->category_by = category_bys[i];
	strmap_put(&hr->categories, path, v->category_id << 2 | (int64_t)i);
	return 0;
}

/* Counts a created order whose path waits for a mapping. */
static void count_unmapped(struct csv_hotline_report *rep, const struct hotline_row *v)
{
	size_t i;

	if (strcmp(v->category_by, "parent") && strcmp(v->category_by, "fallback"))
		return;
	rep->unmapped_orders++;
	for (i = 0; i < rep->nunmapped; i++)
		if (!strcmp(rep->unmapped[i].path, v->category_path)) {
			rep->unmapped[i].orders++;
			return;
		}
	if (rep->nunmapped == CSV_UNMAPPED_MAX) {
		rep->unmapped_more++;
		return;
	}
	snprintf(rep->unmapped[i].path, sizeof(rep->unmapped[i].path), "%s", v->category_path);
	rep->unmapped[i].orders = 1;
	rep->unmapped[i].category_id = v->category_id;
	rep->unmapped[i].by = v->category_by;
	rep->nunmapped++;
}

/* The place: the address matched onto the tree, or the fallback; -1 after reporting. */
static int read_place(struct hotline_run *hr, const struct csv_row *row, struct hotline_row *v)
{
	struct addr_result m;
	struct fault f = { 0 };
	int in;

	if (addr_match(&hr->places, v->address, v->community, &m, &f) < 0) {
		import_store_failed(&hr->r, &f);
		return -1;
	}
	if (m.node_id) {
		v->node_id = m.node_id;
		v->level = m.level;
	} else if (hr->fallback) {
		v->node_id = hr->fallback;
		v->level = hr->fallback_level;
		v->by_fallback = 1;
	} else {
		import_problem(&hr->r, row, v->address ? HC_ADDRESS : HC_COMMUNITY,
			       "the address names no subdistrict, community or courtyard on the tree: name the community "
			       "in 所属社区 or the place in 诉求地址");
		return -1;
	}
	in = import_in_scope(&hr->r, row, HC_ADDRESS, v->node_id, "the place the address names");
	return in == 1 ? 0 : -1;
}

/* Reads and checks a row; -1 after reporting every problem found. */
static int read_row(struct hotline_run *hr, const struct csv_row *row, struct hotline_row *v)
{
	const struct csv_header_map *m = &hr->r.map;
	const char *when = csv_value(m, row, HC_TIME), *type = csv_value(m, row, HC_TYPE),
		   *category = csv_value(m, row, HC_CATEGORY), *urgency = csv_value(m, row, HC_URGENCY),
		   *phone = csv_value(m, row, HC_PHONE), *secret = csv_value(m, row, HC_CONFIDENTIAL),
		   *channel = csv_value(m, row, HC_CHANNEL), *days = csv_value(m, row, HC_DAYS),
		   *dispatch = csv_value(m, row, HC_DISPATCH);
	int bad = 0;

	memset(v, 0, sizeof(*v));
	v->no = csv_value(m, row, HC_NO);
	v->caller = csv_value(m, row, HC_CALLER);
	v->address = csv_value(m, row, HC_ADDRESS);
	v->community = csv_value(m, row, HC_COMMUNITY);
	v->text = csv_value(m, row, HC_TEXT);
	if (!when) {
		import_problem(&hr->r, row, HC_TIME, "受理时间 is required");
		bad = 1;
	} else if (time_parse(when, TIME_SLASH_DATE | TIME_SEP_RUN | TIME_NO_SECONDS, &v->received_at) < 0) {
		import_problem(&hr->r, row, HC_TIME, "'%s' is not a time such as 2022-11-03 09:12:45 (Asia/Shanghai)",
			       when);
		bad = 1;
	} else if (v->received_at < EARLIEST || v->received_at > hr->now + FUTURE_SLACK) {
		import_problem(&hr->r, row, HC_TIME, "'%s' is %s", when,
			       v->received_at < EARLIEST ? "before 2000" : "in the future");
		v->received_at = 0;
		bad = 1;
	}
	if (dispatch && time_parse(dispatch, TIME_SLASH_DATE | TIME_SEP_RUN | TIME_NO_SECONDS, &v->dispatched_at) < 0) {
		import_problem(&hr->r, row, HC_DISPATCH, "'%s' is not a time such as 2022-11-03 10:05:00 (Asia/Shanghai)",
			       dispatch);
		bad = 1;
	} else if (dispatch && v->received_at && (v->dispatched_at < v->received_at ||
						   v->dispatched_at > hr->now + FUTURE_SLACK)) {
		import_problem(&hr->r, row, HC_DISPATCH, "'%s' is %s", dispatch,
			       v->dispatched_at < v->received_at ? "before 受理时间" : "in the future");
		bad = 1;
	}
	if (!type) {
		import_problem(&hr->r, row, HC_TYPE, "诉求类型 is required");
		bad = 1;
	} else if (!(v->type = word_of_type(type))) {
		import_problem(&hr->r, row, HC_TYPE, "'%s' is not a request type: use 咨询, 求助, 投诉, 举报 or 建议", type);
		bad = 1;
	}
	if (!category) {
		import_problem(&hr->r, row, HC_CATEGORY, "诉求分类 is required");
		bad = 1;
	} else if (read_category(hr, row, category, v) < 0) {
		bad = 1;
	}
	v->urgency = "normal";
	if (urgency && !(v->urgency = word_of_urgency(urgency))) {
		import_problem(&hr->r, row, HC_URGENCY, "'%s' is not an urgency: use 一般 or 紧急", urgency);
		bad = 1;
	}
	if (phone && phone_clean(phone, &v->phone) < 0) {
		import_problem(&hr->r, row, HC_PHONE, "'%s' is masked: the import needs the number in full, or none",
			       phone);
		bad = 1;
	}
	if (secret && yesno_parse(secret, &v->confidential) < 0) {
		import_problem(&hr->r, row, HC_CONFIDENTIAL, "'%s' is not yes or no: use 是 or 否", secret);
		bad = 1;
	}
	if (channel && utf8_length(channel) > CHANNEL_CHARS) {
		import_problem(&hr->r, row, HC_CHANNEL, "a channel is at most %d characters (电话, 网站, 微信, APP, 信件)",
			       CHANNEL_CHARS);
		bad = 1;
	}
	if (!v->text) {
		import_problem(&hr->r, row, HC_TEXT, "诉求内容 is required");
		bad = 1;
	}
	if (days && read_days(hr, row, days, v->received_at, &v->days) < 0)
		bad = 1;
	if (!hr->r.store_failed && read_place(hr, row, v) < 0)
		bad = 1;
	return bad ? -1 : 0;
}

/* ---- writing ---- */

/* The column a fault of wo_create() is about. */
static int column_of_field(const char *field)
{
	static const struct {
		const char *field;
		int col;
	} fields[] = {
		{ "external_no", HC_NO },     { "received_at", HC_TIME },   { "year", HC_TIME },
		{ "type", HC_TYPE },	      { "category_id", HC_CATEGORY }, { "category", HC_CATEGORY },
		{ "urgency", HC_URGENCY },    { "caller_name", HC_CALLER }, { "caller_phone", HC_PHONE },
		{ "node_id", HC_ADDRESS },    { "address", HC_ADDRESS },    { "text", HC_TEXT },
		{ "hotline_days", HC_DAYS },   { "dispatched_at", HC_DISPATCH },
	};
	size_t i;

	for (i = 0; i < YL_ARRAY_LEN(fields); i++)
		if (strcmp(field, fields[i].field) == 0)
			return fields[i].col;
	return -1;
}

static void domain_problem(struct hotline_run *hr, const struct csv_row *row, const struct fault *f)
{
	if (f->kind == FAULT_INTERNAL) {
		import_store_failed(&hr->r, f);
		return;
	}
	import_problem(&hr->r, row, column_of_field(f->field), "%s", f->message);
}

/* The order this hotline number already is, 0 when none; -1 on a store failure (kept). */
static const char SQL_HOTLINE_ORDER[] = "SELECT id FROM work_orders WHERE source = 'hotline' AND external_no = ?";

static int existing_order(struct hotline_run *hr, const char *no, int64_t *id)
{
	struct store_stmt *st = store_prepare(hr->r.s, SQL_HOTLINE_ORDER);
	int rc;

	*id = 0;
	store_bind_text(st, 1, no);
	rc = store_step(st);
	if (rc == STORE_ROW)
		*id = store_column_int64(st, 0);
	store_done(st);
	if (rc != STORE_ROW && rc != STORE_DONE) {
		struct fault f = { 0 };

		store_fault(hr->r.s, rc, &f);
		import_store_failed(&hr->r, &f);
		return -1;
	}
	return 0;
}

/* 1 when two rows hold the same value in every column the file has. */
static int rows_equal(const struct hotline_run *hr, const struct csv_row *x, const struct csv_row *y)
{
	size_t i;

	for (i = 0; i < HC_COUNT; i++) {
		const char *a = csv_value(&hr->r.map, x, i), *b = csv_value(&hr->r.map, y, i);

		if (a ? !b || strcmp(a, b) != 0 : b != NULL)
			return 0;
	}
	return 1;
}

/*
 * A row up to the write: its number, a duplicate of an earlier row, every
 * field, an order imported before.  1 when the row should create an order (v
 * filled), 0 when it was handled (a problem, or unchanged), v released then.
 */
static int prepare_row(struct hotline_run *hr, size_t idx, struct hotline_row *v)
{
	const struct csv_row *row = &hr->r.table.rows[idx];
	const char *no = csv_value(&hr->r.map, row, HC_NO);
	int64_t first, id = 0;

	memset(v, 0, sizeof(*v));
	if (!no) {
		import_problem(&hr->r, row, HC_NO, "工单编号 is required");
		read_row(hr, row, v);		/* the rest is reported too */
		goto handled;
	}
	if (!ascii_token_valid(no, WO_EXTERNAL_NO_CHARS)) {
		import_problem(&hr->r, row, HC_NO, "'%s' is not a hotline number: 1 to %d letters, digits or signs "
			       "without spaces", no, WO_EXTERNAL_NO_CHARS);
		read_row(hr, row, v);
		goto handled;
	}
	if (strmap_get(&hr->seen, no, &first)) {
		const struct csv_row *earlier = &hr->r.table.rows[first];

		if (rows_equal(hr, earlier, row))
			hr->r.res->unchanged++;	/* the same order twice: one order */
		else
			import_problem(&hr->r, row, HC_NO, "the hotline number %s is already on line %zu with other values",
				       no, earlier->line);
		goto handled;
	}
	strmap_put(&hr->seen, no, (int64_t)idx);
	if (read_row(hr, row, v) < 0 || hr->r.store_failed)
		goto handled;
	if (existing_order(hr, no, &id) < 0)
		goto handled;
	if (id) {
		/* Imported before: the order has its own history since; the file does not rewrite it. */
		hr->r.res->unchanged++;
		goto handled;
	}
	return 1;
handled:
	hotline_row_release(v);
	return 0;
}

static void import_row(struct hotline_run *hr, size_t idx)
{
	const struct csv_row *row = &hr->r.table.rows[idx];
	struct hotline_row v;
	struct wo_input in;
	struct wo_route route;
	struct fault f = { 0 };
	int64_t id = 0;

	if (!prepare_row(hr, idx, &v))
		return;
	memset(&in, 0, sizeof(in));
	in.source = "hotline";
	in.external_no = csv_value(&hr->r.map, row, HC_NO);
	in.type = v.type;
	in.category_id = v.category_id;
	in.urgency = v.urgency;
	in.node_id = v.node_id;
	in.address = v.address;
	in.caller_name = v.caller;
	in.caller_phone = v.phone;
	in.confidential = v.confidential;
	in.text = v.text;
	in.received_at = v.received_at;
	in.hotline_days = v.days;
	in.dispatched_at = v.dispatched_at;
	in.category_external = v.category_path;
	in.category_by = v.category_by;
	if (wo_create(hr->r.s, hr->a, &in, &id, NULL, &f) < 0) {
		domain_problem(hr, row, &f);
		goto done;
	}
	if (wo_route(hr->r.s, v.category_id, v.type, v.node_id, &route, &f) < 0) {
		domain_problem(hr, row, &f);
		goto done;
	}
	hr->r.res->created++;
	hr->rep->placed[v.level]++;
	if (!route.exact)
		hr->rep->waiting++;
	if (v.by_fallback)
		hr->rep->by_fallback++;
	count_unmapped(hr->rep, &v);
done:
	hotline_row_release(&v);
}

/*
 * A chunked run (csv_import_options.chunk_ms): every row checked first with
 * nothing written (a dry run stops there, counting what would be created);
 * then, with no problem found, the rows written in transactions of at most
 * chunk_ms or CHUNK_ROWS, a pause between them for the other writers.  The
 * numbers seen are forgotten between the passes, so the write pass meets
 * them afresh; an order created by an earlier chunk of a run that died is
 * found as imported (unchanged), so a job run again completes the file.
 * Returns 1 when anything was written.
 */
#define CHUNK_ROWS 500

static void pause_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

static int run_chunked(struct hotline_run *hr, const struct csv_import_options *opt)
{
	struct csv_import_result *res = hr->r.res;
	size_t n = hr->r.table.nrows, i = 0;
	struct hotline_row v;

	for (i = 0; i < n && !hr->r.store_failed; i++) {
		if (!hr->r.table.rows[i].bad && prepare_row(hr, i, &v)) {
			res->created++;		/* would be: the write pass counts for real */
			count_unmapped(hr->rep, &v);
			hotline_row_release(&v);
		}
		import_progress(&hr->r, i + 1);
	}
	if (hr->r.store_failed || res->problems.n || opt->dry_run)
		return 0;
	res->created = res->unchanged = 0;
	memset(hr->rep, 0, sizeof(*hr->rep));
	strmap_release(&hr->seen);
	strmap_init(&hr->seen);
	for (i = 0; i < n && !hr->r.store_failed;) {
		int64_t t0;
		size_t rows = 0;
		struct fault f = { 0 };

		if (import_chunk_begin(&hr->r) < 0)
			break;
		/* The chunk's time counts from holding the writer: waiting for it (other writers first) is not its. */
		t0 = mono_now_us();
		while (i < n && rows < CHUNK_ROWS && (!rows || mono_now_us() - t0 < (int64_t)opt->chunk_ms * 1000) &&
		       !hr->r.store_failed) {
			if (!hr->r.table.rows[i].bad)
				import_row(hr, i);
			i++;
			rows++;
			import_progress(&hr->r, i);
		}
		if (opt->on_chunk && !hr->r.store_failed && opt->on_chunk(opt->chunk_ctx, hr->r.s, i, n, &f) < 0)
			import_store_failed(&hr->r, &f);
		if (import_chunk_commit(&hr->r) < 0)
			break;
		if (mono_now_us() - t0 > res->longest_chunk_us)
			res->longest_chunk_us = mono_now_us() - t0;
		if (opt->pause_ms > 0 && i < n)
			pause_ms(opt->pause_ms);
	}
	return 1;
}

/* Where an address that matches nothing goes: the importer's scope, or the deployment's only subdistrict. */
static int find_fallback(struct hotline_run *hr, struct fault *f)
{
	struct node_filter flt;
	struct node_list l;
	struct node n;

	if (hr->r.scope) {
		if (org_node_get(hr->r.s, hr->r.scope, &n, f) < 0)
			return -1;
		hr->fallback = n.id;
		hr->fallback_level = n.level;
		node_release(&n);
		return 0;
	}
	memset(&flt, 0, sizeof(flt));
	flt.level = LEVEL_SUBDISTRICT;
	flt.limit = 2;
	if (org_node_list(hr->r.s, &flt, &l, f) < 0)
		return -1;
	if (l.total == 1) {
		hr->fallback = l.items[0].id;
		hr->fallback_level = LEVEL_SUBDISTRICT;
	}
	node_list_release(&l);
	return 0;
}

int csv_import_hotline(struct store *s, const struct actor *a, const char *text, size_t len,
		       const struct csv_import_options *opt, struct csv_import_result *res,
		       struct csv_hotline_report *rep, struct fault *f)
{
	struct hotline_run hr;
	struct fault lf = { 0 };
	size_t i;
	int rc, wrote = 0;

	memset(&hr, 0, sizeof(hr));
	memset(res, 0, sizeof(*res));
	memset(rep, 0, sizeof(*rep));
	/* Hotline orders are accepted at intake: the intake desk's right (workorder.h, wo_create). */
	if (a && (!actor_can(a, "workorder.create") || !actor_can(a, "workorder.dispatch")))
		return fault_set(f, FAULT_FORBIDDEN, NULL,
				 "importing hotline orders is the intake desk's work (workorder.dispatch)");
	rc = import_start(&hr.r, s, text, len, hotline_columns, HC_COUNT, "hotline orders", opt, res, f);
	if (rc < 0)
		return -1;
	hr.a = a;
	hr.rep = rep;
	hr.now = time_now_us() / 1000000;
	addr_index_init(&hr.places, s);
	strmap_init(&hr.categories);
	strmap_init(&hr.seen);
	if (rc > 0 && (addr_index_load(&hr.places, &lf) < 0 || find_fallback(&hr, &lf) < 0))
		import_store_failed(&hr.r, &lf);
	if (rc > 0 && opt->chunk_ms > 0) {
		wrote = run_chunked(&hr, opt);
	} else if (rc > 0) {
		for (i = 0; i < hr.r.table.nrows && !hr.r.store_failed; i++) {
			if (!hr.r.table.rows[i].bad)
				import_row(&hr, i);
			import_progress(&hr.r, i + 1);
		}
	}
	addr_index_release(&hr.places);
	strmap_release(&hr.categories);
	strmap_release(&hr.seen);
	rc = opt->chunk_ms > 0 ? import_finish_chunked(&hr.r, wrote, f) : import_finish(&hr.r, f);
	if (rc < 0)
		memset(rep, 0, sizeof(*rep));	/* nothing was written, nothing landed */
	return rc;
}
