/*
 * export_orders.c - work orders out for the office's own reports (csvio.h,
 * csv_export_orders): the orders a filter finds, as the list finds them
 * (wo_list: the actor's scope and read rights), page by page inside one read
 * transaction (one snapshot), each row written as it is read, so a year of a
 * city's orders takes the memory of a page.  Words are the UI's Chinese ones.
 *
 * Personal data: the caller's phone is masked (138****1234) unless unmasked
 * (the caller checks workorder.reveal); a confidential caller is left out for
 * whoever may not see them (as the API hides them).  With events, a second
 * sheet lists every event of those orders (a second pass; CSV: the events
 * instead of the orders).
 */
#include "csvio/csvio.h"
#include "csvio/table_out.h"
#include "auth/auth.h"
#include "auth/pii.h"
#include "org/org.h"
#include "util/util.h"
#include "workorder/workorder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 500

static const char *word(const char *const (*words)[2], size_t n, const char *code)
{
	size_t i;

	for (i = 0; code && i < n; i++)
		if (!strcmp(words[i][0], code))
			return words[i][1];
	return code;
}

static const char *const STATES[][2] = {
	{ "received", "待受理" }, { "accepted", "已受理" }, { "answered", "已直办答复" }, { "dispatched", "待签收" },
	{ "in_progress", "办理中" }, { "return_requested", "申请退回" }, { "replied", "已办结待审核" },
	{ "reviewed", "待回访" }, { "dissatisfied", "不满意" }, { "closed", "已办结" },
};
static const char *const SOURCES[][2] = {
	{ "resident", "居民反映" }, { "grid", "网格员上报" }, { "mobile_grid", "流动网格员上报" }, { "phone", "来电" },
	{ "walk_in", "来访" }, { "hotline", "12345热线" },
};
static const char *const TYPES[][2] = {
	{ "consultation", "咨询" }, { "help", "求助" }, { "complaint", "投诉" }, { "report", "举报" }, { "suggestion", "建议" },
};
static const char *const URGENCIES[][2] = { { "normal", "一般" }, { "urgent", "紧急" } };
static const char *const CARDS[][2] = { { "none", "" }, { "yellow", "黄牌" }, { "red", "红牌" } };
static const char *const SATISFACTIONS[][2] = {
	{ "satisfied", "满意" }, { "basically_satisfied", "基本满意" }, { "dissatisfied", "不满意" },
};

#define W(table, code) word(table, YL_ARRAY_LEN(table), code)

enum {
	C_NUMBER, C_CODE, C_EXTERNAL, C_SOURCE, C_TYPE, C_CATEGORY, C_URGENCY, C_PLACE, C_ADDRESS, C_CALLER, C_PHONE,
	C_CONFIDENTIAL, C_TEXT, C_STATE, C_HANDLER, C_RECEIVED, C_DISPATCHED, C_SIGNED, C_REPLIED, C_CLOSED, C_DEADLINE,
	C_CARD, C_SATISFACTION, C_RETURNS, C_EXTENSIONS, C_REDOS, C_ESCALATIONS, NCOLS
};

static const struct table_column ORDER_COLUMNS[NCOLS] = {
	[C_NUMBER] = { "工单编号", TABLE_TEXT, 18 },	    [C_CODE] = { "地点编码", TABLE_TEXT, 14 },
	[C_EXTERNAL] = { "热线编号", TABLE_TEXT, 22 },
	[C_SOURCE] = { "来源", TABLE_TEXT, 10 },	    [C_TYPE] = { "诉求类型", TABLE_TEXT, 8 },
	[C_CATEGORY] = { "诉求分类", TABLE_TEXT, 18 },	    [C_URGENCY] = { "紧急程度", TABLE_TEXT, 8 },
	[C_PLACE] = { "地点", TABLE_TEXT, 30 },		    [C_ADDRESS] = { "诉求地址", TABLE_TEXT, 30 },
	[C_CALLER] = { "诉求人", TABLE_TEXT, 10 },	    [C_PHONE] = { "联系电话", TABLE_TEXT, 14 },
	[C_CONFIDENTIAL] = { "保密", TABLE_TEXT, 6 },	    [C_TEXT] = { "诉求内容", TABLE_TEXT, 40 },
	[C_STATE] = { "状态", TABLE_TEXT, 12 },		    [C_HANDLER] = { "承办单位", TABLE_TEXT, 24 },
	[C_RECEIVED] = { "受理时间", TABLE_TIME, 17 },	    [C_DISPATCHED] = { "派单时间", TABLE_TIME, 17 },
	[C_SIGNED] = { "签收时间", TABLE_TIME, 17 },	    [C_REPLIED] = { "办结时间", TABLE_TIME, 17 },
	[C_CLOSED] = { "关闭时间", TABLE_TIME, 17 },	    [C_DEADLINE] = { "办理时限", TABLE_TIME, 17 },
	[C_CARD] = { "亮牌", TABLE_TEXT, 6 },		    [C_SATISFACTION] = { "满意度", TABLE_TEXT, 8 },
	[C_RETURNS] = { "退单次数", TABLE_INT, 8 },	    [C_EXTENSIONS] = { "延期次数", TABLE_INT, 8 },
	[C_REDOS] = { "重办次数", TABLE_INT, 8 },	    [C_ESCALATIONS] = { "升级次数", TABLE_INT, 8 },
};

enum { E_NUMBER, E_AT, E_ACTION, E_FROM, E_TO, E_ACTOR, E_NODE, E_OPINION, NECOLS };

static const struct table_column EVENT_COLUMNS[NECOLS] = {
	[E_NUMBER] = { "工单编号", TABLE_TEXT, 18 }, [E_AT] = { "时间", TABLE_TIME, 17 },
	[E_ACTION] = { "操作", TABLE_TEXT, 16 },     [E_FROM] = { "原状态", TABLE_TEXT, 12 },
	[E_TO] = { "新状态", TABLE_TEXT, 12 },	     [E_ACTOR] = { "操作人", TABLE_TEXT, 12 },
	[E_NODE] = { "承办单位", TABLE_TEXT, 24 },   [E_OPINION] = { "意见", TABLE_TEXT, 40 },
};

/* Node paths and codes by id, asked once each: an export names the same few hundred places again and again. */
struct paths {
	int64_t *ids;
	char **texts;
	char **codes;
	size_t n;
};

static size_t place_of(struct store *s, struct paths *p, int64_t id)
{
	struct fault f = { 0 };
	struct node n;
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->ids[i] == id)
			return i;
	p->ids = xrealloc(p->ids, (p->n + 1) * sizeof(*p->ids));
	p->texts = xrealloc(p->texts, (p->n + 1) * sizeof(*p->texts));
	p->codes = xrealloc(p->codes, (p->n + 1) * sizeof(*p->codes));
	p->ids[p->n] = id;
	p->texts[p->n] = org_node_path(s, id);
	p->codes[p->n] = NULL;
	if (org_node_get(s, id, &n, &f) == 0) {
		p->codes[p->n] = n.code ? xstrdup(n.code) : NULL;
		node_release(&n);
	}
	return p->n++;
}

/* The index first: place_of() may move the arrays. */
static const char *path_of(struct store *s, struct paths *p, int64_t id)
{
	size_t i;

	if (!id)
		return NULL;
	i = place_of(s, p, id);
	return p->texts[i];
}

static const char *code_of(struct store *s, struct paths *p, int64_t id)
{
	size_t i;

	if (!id)
		return NULL;
	i = place_of(s, p, id);
	return p->codes[i];
}

static void paths_release(struct paths *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->texts[i]);
		free(p->codes[i]);
	}
	free(p->ids);
	free(p->texts);
	free(p->codes);
}

static int order_row(struct store *s, const struct actor *a, const struct wo_order *o, int unmasked, struct paths *p,
		     struct table_out *t, struct fault *f)
{
	struct table_cell c[NCOLS];
	int hidden = o->confidential && a && !actor_can(a, "workorder.dispatch");
	char *phone = NULL;
	int rc;

	memset(c, 0, sizeof(c));
	if (!hidden)
		phone = unmasked ? (o->caller_phone ? xstrdup(o->caller_phone) : NULL) : pii_mask_phone(o->caller_phone);
	c[C_NUMBER].text = o->number;
	c[C_CODE].text = code_of(s, p, o->node_id);
	c[C_EXTERNAL].text = o->external_no;
	c[C_SOURCE].text = W(SOURCES, o->source);
	c[C_TYPE].text = W(TYPES, o->type);
	c[C_CATEGORY].text = o->category_path;
	c[C_URGENCY].text = W(URGENCIES, o->urgency);
	c[C_PLACE].text = path_of(s, p, o->node_id);
	c[C_ADDRESS].text = hidden ? NULL : o->address;
	c[C_CALLER].text = hidden ? NULL : o->caller_name;
	c[C_PHONE].text = phone;
	c[C_CONFIDENTIAL].text = o->confidential ? "是" : "否";
	c[C_TEXT].text = o->text;
	c[C_STATE].text = W(STATES, o->state);
	c[C_HANDLER].text = path_of(s, p, o->handler_node_id);
	c[C_RECEIVED].v = o->received_at;
	c[C_DISPATCHED].v = o->dispatched_at;
	c[C_SIGNED].v = o->signed_at;
	c[C_REPLIED].v = o->replied_at;
	c[C_CLOSED].v = o->closed_at;
	c[C_DEADLINE].v = o->deadline;
	c[C_CARD].text = W(CARDS, o->card);
	c[C_SATISFACTION].text = W(SATISFACTIONS, o->satisfaction);
	c[C_RETURNS].v = o->returns;
	c[C_EXTENSIONS].v = o->extensions;
	c[C_REDOS].v = o->redos;
	c[C_ESCALATIONS].v = o->escalations;
	rc = table_out_row(t, c, f);
	free(phone);
	return rc;
}

static int event_rows(struct store *s, const struct wo_order *o, struct paths *p, struct table_out *t, size_t *n,
		      struct fault *f)
{
	struct wo_event_list l;
	size_t i;
	int rc = 0;

	if (wo_events(s, o->id, &l, f) < 0)
		return -1;
	for (i = 0; i < l.n && rc == 0; i++) {
		const struct wo_event *e = &l.items[i];
		struct table_cell c[NECOLS];

		memset(c, 0, sizeof(c));
		c[E_NUMBER].text = o->number;
		c[E_AT].v = e->at;
		c[E_ACTION].text = e->action;
		c[E_FROM].text = e->from_state ? W(STATES, e->from_state) : NULL;
		c[E_TO].text = W(STATES, e->to_state);
		c[E_ACTOR].text = e->actor_login;
		c[E_NODE].text = path_of(s, p, e->node_id);
		c[E_OPINION].text = e->opinion;
		rc = table_out_row(t, c, f);
		(*n)++;
	}
	wo_event_list_release(&l);
	return rc;
}

/* One pass over the orders the filter finds, a page at a time; events: their events instead of them. */
static int pass(struct store *s, const struct actor *a, const struct wo_filter *flt, int unmasked, int events,
		struct paths *p, struct table_out *t, size_t *rows, struct fault *f)
{
	struct wo_filter pf = *flt;
	char after[WO_CURSOR_MAX] = "";

	pf.limit = PAGE;
	pf.after = NULL;
	pf.before_id = 0;
	for (;;) {
		struct wo_list l;
		size_t i;
		int rc = 0;

		if (wo_list(s, a, &pf, &l, f) < 0)
			return -1;
		for (i = 0; i < l.n && rc == 0; i++) {
			if (events) {
				rc = event_rows(s, &l.items[i], p, t, rows, f);
			} else {
				rc = order_row(s, a, &l.items[i], unmasked, p, t, f);
				(*rows)++;
			}
		}
		snprintf(after, sizeof(after), "%s", l.next);
		wo_list_release(&l);
		if (rc < 0)
			return -1;
		if (!after[0])
			return 0;
		pf.after = after;
	}
}

int csv_export_orders(struct store *s, const struct actor *a, const struct wo_filter *flt,
		      const struct csv_export_orders_options *opt, const char *path, size_t *rows, struct fault *f)
{
	struct table_out *t;
	struct paths p = { 0 };
	size_t events = 0;
	int rc;

	*rows = 0;
	if (!(t = table_out_open(path, opt->xlsx, f)))
		return -1;
	if ((rc = store_begin(s)) != STORE_OK) {
		table_out_close(t, NULL);
		return store_fault(s, rc, f);
	}
	if (opt->xlsx || !opt->events) {
		rc = table_out_sheet(t, "工单", opt->title, opt->subtitle, ORDER_COLUMNS, NCOLS, f) < 0 ||
		     pass(s, a, flt, opt->unmasked, 0, &p, t, rows, f) < 0 ? -1 : 0;
	}
	if (rc == 0 && opt->events)
		rc = table_out_sheet(t, "事件", opt->title, opt->subtitle, EVENT_COLUMNS, NECOLS, f) < 0 ||
		     pass(s, a, flt, opt->unmasked, 1, &p, t, &events, f) < 0 ? -1 : 0;
	store_rollback(s);		/* a read: nothing to keep */
	paths_release(&p);
	if (!opt->xlsx && opt->events)
		*rows = events;
	if (table_out_close(t, rc < 0 ? NULL : f) < 0 || rc < 0)
		return -1;
	return 0;
}
