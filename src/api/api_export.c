/*
 * api_export.c - work orders out for the office's own reports, as CSV or XLSX
 * (csv_export_orders, table_out.h).
 *
 *   GET /api/v1/export/work-orders.csv|.xlsx ?the list's filters (state, under, category_id, source,
 *       type, urgency, from, to, overdue, card, handler_node_id, q) &events=true &unmasked=true
 *
 * Permission workorder.export; the orders are those the exporter may list
 * (scope, read rights).  Phones are masked unless unmasked=true, which needs
 * workorder.reveal too.  The file is written row by row to a temporary file
 * that is unlinked once open and sent from its descriptor, so neither the
 * table nor the file is held in memory; the database is read in one snapshot
 * (no write transaction is held while it is written).  The export is audited
 * afterwards with the rows written and the query.
 *
 *   GET /api/v1/export/stats.csv|.xlsx ?node=&from=&to= [&table=ranking|months|categories]
 *
 * The figures of the dashboard (stats.h) for a node of the exporter's scope
 * and a period: the XLSX a sheet per table (the units below side by side with
 * their counts and rates, the months, the categories); the CSV the one table
 * asked for (default the ranking).
 */
#include "api/api.h"
#include "api/api_routes.h"
#include "api/api_stats.h"
#include "api/api_workorder.h"
#include "auth/audit.h"
#include "csvio/csvio.h"
#include "csvio/table_out.h"
#include "org/org.h"
#include "stats/stats.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char XLSX_TYPE[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

static void audit_export(struct store *s, struct http_request *req, const char *what, size_t rows, int unmasked)
{
	const struct actor *a = api_actor(req);
	struct audit_entry e;
	struct fault f = { 0 };
	char detail[600];
	const char *q = strchr(req->raw_url ? req->raw_url : "", '?');

	snprintf(detail, sizeof(detail), "%zu rows%s; %s", rows, unmasked ? "; phones unmasked" : "", q ? q + 1 : "no filter");
	memset(&e, 0, sizeof(e));
	e.user_id = a->user_id;
	e.login = a->login;
	e.remote = a->remote;
	e.action = "export";
	e.object_type = what;
	e.result = "success";
	e.detail = detail;
	if (store_begin_write(s) != STORE_OK)
		return;
	if (audit_record(s, &e, &f) < 0)
		store_rollback(s);
	else
		store_commit(s);
}

/* A temporary file for the export, written then sent; -1 after answering 503. */
static int temp_path(struct http_response *res, char path[32])
{
	int fd;

	snprintf(path, 32, "/tmp/yuanluo-export-XXXXXX");
	if ((fd = mkstemp(path)) < 0) {
		http_reply_error(res, 503, "busy", NULL, "no room for the export file: try again");
		http_set_header(res, "Retry-After", "5");
		return -1;
	}
	close(fd);
	return 0;
}

/* Answers with the file at path (unlinked once open) as an attachment; 0, or -1 after answering 503. */
static int send_file(struct http_response *res, const char *path, int xlsx, const char *stem)
{
	char disp[128], now[40];
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	unlink(path);		/* the open descriptor keeps it until it is sent */
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		http_reply_error(res, 503, "busy", NULL, "the export file cannot be read back: try again");
		http_set_header(res, "Retry-After", "5");
		return -1;
	}
	time_format_local(time_now_us() / 1000000, now, sizeof(now));
	res->status = 200;
	res->fd = fd;
	res->file_size = (uint64_t)st.st_size;
	http_set_content_type(res, xlsx ? XLSX_TYPE : "text/csv; charset=utf-8");
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s-%.4s%.2s%.2s.%s\"", stem, now, now + 5, now + 8,
		 xlsx ? "xlsx" : "csv");
	http_set_header(res, "Content-Disposition", disp);
	return 0;
}

static void export_orders(struct http_request *req, struct http_response *res, int xlsx)
{
	struct store *s = api_store(res);
	const struct actor *a = api_actor(req);
	struct csv_export_orders_options opt;
	struct wo_filter flt;
	struct fault f = { 0 };
	char path[32], subtitle[400], now[40], *where = NULL;
	size_t rows = 0;
	int events, unmasked;

	if (!s || api_wo_filter(req, res, &flt) < 0 || (events = api_query_bool(req, res, "events", 0)) < 0 ||
	    (unmasked = api_query_bool(req, res, "unmasked", 0)) < 0)
		return;
	if (unmasked && !actor_can(a, "workorder.reveal")) {
		http_reply_error(res, 403, "forbidden", "unmasked", "phones in full need workorder.reveal");
		return;
	}
	if (flt.under_id && actor_can(a, "workorder.read_all") && !api_scope_allows(req, res, flt.under_id))
		return;
	if (temp_path(res, path) < 0)
		return;
	time_format_local(time_now_us() / 1000000, now, sizeof(now));
	where = flt.under_id ? org_node_path(s, flt.under_id) : NULL;
	snprintf(subtitle, sizeof(subtitle), "范围：%s；期间：%s 至 %s；导出：%s，%.10s %.5s；联系电话%s", where ? where : "全部",
		 flt.from ? flt.from : "最早", flt.to ? flt.to : "今天", a->login, now, now + 11,
		 unmasked ? "未脱敏" : "已脱敏");
	free(where);
	memset(&opt, 0, sizeof(opt));
	opt.xlsx = xlsx;
	opt.unmasked = unmasked;
	opt.events = events;
	opt.title = "工单明细";
	opt.subtitle = subtitle;
	if (csv_export_orders(s, a, &flt, &opt, path, &rows, &f) < 0) {
		unlink(path);
		api_fail(res, &f);
		return;
	}
	if (send_file(res, path, xlsx, "work-orders") == 0)
		audit_export(s, req, xlsx ? "work-orders.xlsx" : "work-orders.csv", rows, unmasked);
}

enum { R_NAME, R_CODE, R_LEVEL, R_RECEIVED, R_COMPLETED, R_ON_TIME, R_OPEN, R_RESPONSE, R_RESOLUTION, R_SATISFACTION,
       R_COMPLETION, R_ON_TIME_RATE, R_RETURNS, R_EXTENSIONS, R_REDOS, R_COURTYARD, R_YELLOW, R_RED, R_SUPERVISED,
       R_ESCALATED, NRCOLS };

static const struct table_column RANK_COLUMNS[NRCOLS] = {
	[R_NAME] = { "单位", TABLE_TEXT, 20 },		      [R_CODE] = { "编码", TABLE_TEXT, 12 },
	[R_LEVEL] = { "层级", TABLE_TEXT, 8 },
	[R_RECEIVED] = { "受理量", TABLE_INT, 9 },	      [R_COMPLETED] = { "办结量", TABLE_INT, 9 },
	[R_ON_TIME] = { "按期办结", TABLE_INT, 9 },	      [R_OPEN] = { "未办结", TABLE_INT, 9 },
	[R_RESPONSE] = { "响应率", TABLE_RATIO, 9 },	      [R_RESOLUTION] = { "解决率", TABLE_RATIO, 9 },
	[R_SATISFACTION] = { "满意率", TABLE_RATIO, 9 },      [R_COMPLETION] = { "办结率", TABLE_RATIO, 9 },
	[R_ON_TIME_RATE] = { "按期办结率", TABLE_RATIO, 11 }, [R_RETURNS] = { "退单率", TABLE_RATIO, 9 },
	[R_EXTENSIONS] = { "延期率", TABLE_RATIO, 9 },	      [R_REDOS] = { "重办率", TABLE_RATIO, 9 },
	[R_COURTYARD] = { "院落化解率", TABLE_RATIO, 11 },    [R_YELLOW] = { "黄牌", TABLE_INT, 7 },
	[R_RED] = { "红牌", TABLE_INT, 7 },		      [R_SUPERVISED] = { "督办件", TABLE_INT, 9 },
	[R_ESCALATED] = { "升级件", TABLE_INT, 9 },
};

static const struct table_column MONTH_COLUMNS[3] = {
	{ "月份", TABLE_TEXT, 10 }, { "受理量", TABLE_INT, 10 }, { "其中12345热线", TABLE_INT, 14 },
};

static const struct table_column CATEGORY_COLUMNS[2] = { { "诉求分类", TABLE_TEXT, 16 }, { "受理量", TABLE_INT, 10 } };

/* A rate as kept (num / den); none when den is 0 (an empty cell). */
static double ratio(struct stats_ratio r)
{
	return r.den ? (double)r.num / (double)r.den : -1;
}

static const char *level_word(enum node_level l)
{
	static const char *const words[] = { "", "街道", "社区", "院落", "楼栋", "单元", "户" };

	return (int)l >= 0 && (size_t)l < YL_ARRAY_LEN(words) ? words[l] : "";
}

static int rank_row(struct store *s, struct table_out *t, const struct stats_rank_item *it, int64_t node,
		    const char *name, struct fault *f)
{
	struct table_cell c[NRCOLS];
	struct fault nf = { 0 };
	struct node n;
	int rc, known = node && org_node_get(s, node, &n, &nf) == 0;

	memset(c, 0, sizeof(c));
	c[R_NAME].text = name;
	c[R_CODE].text = known ? n.code : NULL;
	c[R_LEVEL].text = level_word(it->level);
	c[R_RECEIVED].v = it->c.received;
	c[R_COMPLETED].v = it->c.completed;
	c[R_ON_TIME].v = it->c.on_time;
	c[R_OPEN].v = it->c.still_open;
	c[R_RESPONSE].ratio = ratio(it->r.response);
	c[R_RESOLUTION].ratio = ratio(it->r.resolution);
	c[R_SATISFACTION].ratio = ratio(it->r.satisfaction);
	c[R_COMPLETION].ratio = ratio(it->r.completion);
	c[R_ON_TIME_RATE].ratio = ratio(it->r.on_time);
	c[R_RETURNS].ratio = ratio(it->r.returns);
	c[R_EXTENSIONS].ratio = ratio(it->r.extensions);
	c[R_REDOS].ratio = ratio(it->r.redos);
	c[R_COURTYARD].ratio = ratio(it->r.settled_courtyard);
	c[R_YELLOW].v = it->c.yellow_cards;
	c[R_RED].v = it->c.red_cards;
	c[R_SUPERVISED].v = it->c.supervised;
	c[R_ESCALATED].v = it->c.escalated;
	rc = table_out_row(t, c, f);
	if (known)
		node_release(&n);
	return rc;
}

/* The units side by side, then the node's own orders (placed on it, in no unit) and the total; the node's code on both. */
static int write_ranking(struct store *s, struct table_out *t, const struct stats_ranking *rk, const char *title,
			 const char *sub, size_t *rows, struct fault *f)
{
	size_t i;

	if (table_out_sheet(t, "单位排名", title, sub, RANK_COLUMNS, NRCOLS, f) < 0)
		return -1;
	for (i = 0; i < rk->n; i++, (*rows)++)
		if (rank_row(s, t, &rk->items[i], rk->items[i].node_id, rk->items[i].name, f) < 0)
			return -1;
	if (rk->has_self && rank_row(s, t, &rk->self, rk->node_id, "（本级直接受理）", f) < 0)
		return -1;
	(*rows)++;
	return rank_row(s, t, &rk->total, rk->node_id, "合计", f);
}

static int write_months(struct table_out *t, const struct wo_stats *st, const char *title, const char *sub,
			size_t *rows, struct fault *f)
{
	size_t i;

	if (table_out_sheet(t, "月度受理量", title, sub, MONTH_COLUMNS, 3, f) < 0)
		return -1;
	for (i = 0; i < st->nmonths; i++, (*rows)++) {
		struct table_cell c[3] = { { st->months[i].month, 0, 0 }, { NULL, st->months[i].received, 0 },
					   { NULL, st->months[i].hotline, 0 } };

		if (table_out_row(t, c, f) < 0)
			return -1;
	}
	return 0;
}

static int write_categories(struct table_out *t, const struct wo_stats *st, const char *title, const char *sub,
			    size_t *rows, struct fault *f)
{
	size_t i;

	if (table_out_sheet(t, "诉求分类", title, sub, CATEGORY_COLUMNS, 2, f) < 0)
		return -1;
	for (i = 0; i < st->ncategories; i++, (*rows)++) {
		struct table_cell c[2] = { { st->categories[i].name, 0, 0 }, { NULL, st->categories[i].received, 0 } };

		if (table_out_row(t, c, f) < 0)
			return -1;
	}
	return 0;
}

static void export_stats(struct http_request *req, struct http_response *res, int xlsx)
{
	struct store *s = api_store(res);
	const struct actor *a = api_actor(req);
	const char *table = http_query(req, "table");
	struct stats_ranking rk;
	struct wo_stats st;
	struct table_out *t = NULL;
	struct fault f = { 0 };
	char from[11], to[11], path[32], sub[400], now[40], *where;
	int64_t node = 0;
	size_t rows = 0;
	int rc;

	if (!s || api_stats_query(req, res, &node, from, to) < 0)
		return;
	if (table && strcmp(table, "ranking") && strcmp(table, "months") && strcmp(table, "categories")) {
		http_reply_error(res, 400, "invalid", "table", "table is ranking, months or categories");
		return;
	}
	if (stats_ranking(s, node, from, to, &rk, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	if (stats_compute(s, node, from, to, &st, &f) < 0) {
		stats_ranking_release(&rk);
		api_fail(res, &f);
		return;
	}
	where = node ? org_node_path(s, node) : NULL;
	time_format_local(time_now_us() / 1000000, now, sizeof(now));
	snprintf(sub, sizeof(sub), "范围：%s；期间：%s 至 %s；导出：%s，%.10s %.5s", where ? where : "全部", rk.from, rk.to,
		 a->login, now, now + 11);
	free(where);
	rc = temp_path(res, path);
	if (rc == 0 && !(t = table_out_open(path, xlsx, &f))) {
		unlink(path);
		rc = api_fail(res, &f);
	}
	if (rc == 0 && xlsx)
		rc = write_ranking(s, t, &rk, "工单办理情况统计", sub, &rows, &f) < 0 ||
		     write_months(t, &st, "月度受理量", sub, &rows, &f) < 0 ||
		     write_categories(t, &st, "诉求分类统计", sub, &rows, &f) < 0 ? -1 : 0;
	else if (rc == 0 && table && !strcmp(table, "months"))
		rc = write_months(t, &st, "", NULL, &rows, &f);
	else if (rc == 0 && table && !strcmp(table, "categories"))
		rc = write_categories(t, &st, "", NULL, &rows, &f);
	else if (rc == 0)
		rc = write_ranking(s, t, &rk, "", NULL, &rows, &f);
	stats_ranking_release(&rk);
	wo_stats_release(&st);
	if (!t)
		return;		/* answered */
	if (table_out_close(t, rc < 0 ? NULL : &f) < 0 || rc < 0) {
		unlink(path);
		api_fail(res, &f);
		return;
	}
	if (send_file(res, path, xlsx, "stats") == 0)
		audit_export(s, req, xlsx ? "stats.xlsx" : "stats.csv", rows, 0);
}

static void stats_csv(struct http_request *req, struct http_response *res)
{
	export_stats(req, res, 0);
}

static void stats_xlsx(struct http_request *req, struct http_response *res)
{
	export_stats(req, res, 1);
}

static void orders_csv(struct http_request *req, struct http_response *res)
{
	export_orders(req, res, 0);
}

static void orders_xlsx(struct http_request *req, struct http_response *res)
{
	export_orders(req, res, 1);
}

const struct http_route api_export_routes[] = {
	{ "GET", "/api/v1/export/work-orders.csv", orders_csv, "workorder.export",
	  "work orders as CSV, filtered as the list is (&events=true: their events instead; &unmasked=true: phones in"
	  " full, with workorder.reveal); audited", 0 },
	{ "GET", "/api/v1/export/work-orders.xlsx", orders_xlsx, "workorder.export",
	  "work orders as an XLSX report (title, period, frozen header; &events=true: a sheet of their events;"
	  " &unmasked=true: phones in full, with workorder.reveal); audited", 0 },
	{ "GET", "/api/v1/export/stats.csv", stats_csv, "workorder.export",
	  "a figure table of a node and period as CSV (?node=&from=&to=&table=ranking|months|categories); audited", 0 },
	{ "GET", "/api/v1/export/stats.xlsx", stats_xlsx, "workorder.export",
	  "the figures of a node and period as an XLSX report: the units side by side with their rates, the months,"
	  " the categories (?node=&from=&to=); audited", 0 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
