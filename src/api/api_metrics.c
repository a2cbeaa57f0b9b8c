/*
 * api_metrics.c - GET /metrics in the Prometheus text format (version 0.0.4):
 * requests by route pattern and status, a latency histogram per route, work
 * orders by state, the sweeper's runs, the webhook backlog and deliveries,
 * the group committer's counters.
 *
 * Counters live in this process (a Prometheus scrapes every server); the
 * orders and the backlog come from the database, so every server shows the
 * same numbers there.  Only the addresses of the setting metrics-allow
 * (default 127.0.0.1 and ::1) may read it: 403 for everyone else.
 */
#include "api/api.h"
#include "api/api_routes.h"
#include "calendar/calendar.h"
#include "util/util.h"
#include "webhook/webhook.h"
#include "timenode/timenode.h"
#include "workorder/workorder.h"

#include <arpa/inet.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROUTES 512
#define NSTATUS 600
#define MAX_ALLOW 32

static const double buckets[] = { 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

struct route_metrics {
	_Atomic uint64_t status[NSTATUS];
	_Atomic uint64_t le[NBUCKETS];	/* requests at or under each bucket */
	_Atomic uint64_t count;
	_Atomic uint64_t sum_us;
};

/* One slot per route of api_routes(), and one more for requests that matched none. */
static struct route_metrics *metrics;
static size_t nmetrics;

struct allow {
	int family;
	unsigned char addr[16];
	int bits;
};

static struct allow allowed[MAX_ALLOW];
static int nallowed;

int api_metrics_configure(const char *allow, char *err, size_t errlen)
{
	const char *p = allow ? allow : "";
	size_t n;

	api_routes(&n);
	if (n + 1 > MAX_ROUTES)
		return set_error(err, errlen, "too many routes for the metrics table");
	if (!metrics) {
		metrics = xcalloc(n + 1, sizeof(*metrics));
		nmetrics = n + 1;
	}
	nallowed = 0;
	while (*p) {
		size_t len = strcspn(p, ",");
		char item[80], *slash;
		struct allow a;

		if (len == 0 || len >= sizeof(item) || nallowed == MAX_ALLOW)
			return set_error(err, errlen, "metrics-allow: '%.*s' is not an address or a prefix", (int)len, p);
		snprintf(item, sizeof(item), "%.*s", (int)len, p);
		p += len + (p[len] == ',');
		memset(&a, 0, sizeof(a));
		slash = strchr(item, '/');
		if (slash)
			*slash = '\0';
		if (inet_pton(AF_INET, item, a.addr) == 1) {
			a.family = AF_INET;
			a.bits = 32;
		} else if (inet_pton(AF_INET6, item, a.addr) == 1) {
			a.family = AF_INET6;
			a.bits = 128;
		} else {
			return set_error(err, errlen, "metrics-allow: '%s' is not an IPv4 or IPv6 address", item);
		}
		if (slash) {
			int64_t bits;

			if (parse_int64(slash + 1, 0, a.bits, &bits) < 0)
				return set_error(err, errlen, "metrics-allow: '/%s' is not a prefix length", slash + 1);
			a.bits = (int)bits;
		}
		allowed[nallowed++] = a;
	}
	return 0;
}

static int prefix_match(const unsigned char *a, const unsigned char *b, int bits)
{
	int full = bits / 8, rest = bits % 8;

	if (memcmp(a, b, (size_t)full) != 0)
		return 0;
	return !rest || ((a[full] ^ b[full]) & (0xff << (8 - rest))) == 0;
}

static int remote_allowed(const char *remote)
{
	unsigned char v4[4], v6[16];
	int is4 = inet_pton(AF_INET, remote, v4) == 1, is6 = !is4 && inet_pton(AF_INET6, remote, v6) == 1, i;
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	/* ::ffff:127.0.0.1 is 127.0.0.1. */
	if (is6 && memcmp(v6, mapped, 12) == 0) {
		memcpy(v4, v6 + 12, 4);
		is4 = 1;
		is6 = 0;
	}
	for (i = 0; i < nallowed; i++) {
		if (is4 && allowed[i].family == AF_INET && prefix_match(v4, allowed[i].addr, allowed[i].bits))
			return 1;
		if (is6 && allowed[i].family == AF_INET6 && prefix_match(v6, allowed[i].addr, allowed[i].bits))
			return 1;
	}
	return 0;
}

void api_metrics_observe(const struct http_route *route, int status, int64_t us)
{
	const struct http_route *all;
	struct route_metrics *m;
	size_t n, i;

	if (!metrics)
		return;
	all = api_routes(&n);
	i = route && route >= all && route < all + n ? (size_t)(route - all) : n;
	m = &metrics[i];
	if (status >= 0 && status < NSTATUS)
		atomic_fetch_add(&m->status[status], 1);
	for (n = 0; n < NBUCKETS; n++)
		if ((double)us / 1e6 <= buckets[n])
			atomic_fetch_add(&m->le[n], 1);
	atomic_fetch_add(&m->count, 1);
	atomic_fetch_add(&m->sum_us, (uint64_t)(us > 0 ? us : 0));
}

static void label_route(struct buf *b, const struct http_route *r)
{
	if (r)
		buf_addf(b, "method=\"%s\",route=\"%s\"", r->method, r->pattern);	/* patterns hold no '"' or '\\' */
	else
		buf_adds(b, "method=\"\",route=\"(none)\"");
}

static void requests_text(struct buf *b)
{
	const struct http_route *all;
	size_t n, i, k;

	all = api_routes(&n);
	buf_adds(b, "# HELP yuanluo_http_requests_total HTTP requests by route pattern and status.\n"
		    "# TYPE yuanluo_http_requests_total counter\n");
	for (i = 0; i < nmetrics; i++)
		for (k = 0; k < NSTATUS; k++) {
			uint64_t v = atomic_load(&metrics[i].status[k]);

			if (!v)
				continue;
			buf_adds(b, "yuanluo_http_requests_total{");
			label_route(b, i < n ? &all[i] : NULL);
			buf_addf(b, ",status=\"%zu\"} %llu\n", k, (unsigned long long)v);
		}
	buf_adds(b, "# HELP yuanluo_http_request_duration_seconds Time from the request's first byte to its answer.\n"
		    "# TYPE yuanluo_http_request_duration_seconds histogram\n");
	for (i = 0; i < nmetrics; i++) {
		uint64_t count = atomic_load(&metrics[i].count);

		if (!count)
			continue;
		for (k = 0; k < NBUCKETS; k++) {
			buf_adds(b, "yuanluo_http_request_duration_seconds_bucket{");
			label_route(b, i < n ? &all[i] : NULL);
			buf_addf(b, ",le=\"%g\"} %llu\n", buckets[k], (unsigned long long)atomic_load(&metrics[i].le[k]));
		}
		buf_adds(b, "yuanluo_http_request_duration_seconds_bucket{");
		label_route(b, i < n ? &all[i] : NULL);
		buf_addf(b, ",le=\"+Inf\"} %llu\n", (unsigned long long)count);
		buf_adds(b, "yuanluo_http_request_duration_seconds_sum{");
		label_route(b, i < n ? &all[i] : NULL);
		buf_addf(b, "} %.6f\n", (double)atomic_load(&metrics[i].sum_us) / 1e6);
		buf_adds(b, "yuanluo_http_request_duration_seconds_count{");
		label_route(b, i < n ? &all[i] : NULL);
		buf_addf(b, "} %llu\n", (unsigned long long)count);
	}
}

static const char *const state_names[WO_NSTATE_COUNT] = {
	"received", "accepted", "answered", "dispatched", "return_requested", "in_progress", "replied", "reviewed",
	"dissatisfied", "closed",
};

static void api_metrics_get(struct http_request *req, struct http_response *res)
{
	struct store *s;
	struct buf b = BUF_INIT;
	struct fault f = { 0 };
	struct tn_sweep_totals sw;
	struct webhook_stats ws;
	struct webhook_backlog bl;
	struct api_commit_stats cs;
	int64_t counts[WO_NSTATE_COUNT];
	int awaiting = 0;
	size_t i;

	if (!remote_allowed(req->remote)) {
		http_reply_error(res, 403, "forbidden", NULL, "metrics are for the addresses of metrics-allow");
		return;
	}
	if (!(s = api_store(res)))
		return;
	if (wo_count_by_state(s, counts, &f) < 0 || webhook_backlog(s, &bl, &f) < 0 ||
	    calendar_missing_year(s, time_now_us() / 1000000, &awaiting, &f) < 0) {
		api_fail(res, &f);
		return;
	}
	buf_init(&b);
	requests_text(&b);
	buf_adds(&b, "# HELP yuanluo_work_orders Work orders by state (the whole database; closed refreshed every 5 minutes).\n"
		     "# TYPE yuanluo_work_orders gauge\n");
	for (i = 0; i < WO_NSTATE_COUNT; i++)
		buf_addf(&b, "yuanluo_work_orders{state=\"%s\"} %lld\n", state_names[i], (long long)counts[i]);
	buf_addf(&b, "# HELP yuanluo_calendar_awaiting_year The year whose official holidays should be loaded now"
		     " (from 1 November, next year; 0: none): deadlines reaching into it are provisional.\n"
		     "# TYPE yuanluo_calendar_awaiting_year gauge\nyuanluo_calendar_awaiting_year %d\n", awaiting);
	tn_sweep_totals(&sw);
	buf_addf(&b, "# HELP yuanluo_sweeper_runs_total Sweeps for cards and escalation run by this process.\n"
		     "# TYPE yuanluo_sweeper_runs_total counter\nyuanluo_sweeper_runs_total %llu\n"
		     "# HELP yuanluo_sweeper_failed_runs_total Sweeps that stopped on an error.\n"
		     "# TYPE yuanluo_sweeper_failed_runs_total counter\nyuanluo_sweeper_failed_runs_total %llu\n"
		     "# HELP yuanluo_sweeper_actions_total What the sweeps did.\n"
		     "# TYPE yuanluo_sweeper_actions_total counter\n"
		     "yuanluo_sweeper_actions_total{action=\"yellow_card\"} %llu\n"
		     "yuanluo_sweeper_actions_total{action=\"red_card\"} %llu\n"
		     "yuanluo_sweeper_actions_total{action=\"escalate\"} %llu\n",
		     (unsigned long long)sw.runs, (unsigned long long)sw.failed, (unsigned long long)sw.yellow,
		     (unsigned long long)sw.red, (unsigned long long)sw.escalated);
	webhook_sender_stats(&ws);
	buf_addf(&b, "# HELP yuanluo_webhook_outbox Webhook deliveries by state (the whole database).\n"
		     "# TYPE yuanluo_webhook_outbox gauge\n"
		     "yuanluo_webhook_outbox{state=\"pending\"} %lld\nyuanluo_webhook_outbox{state=\"failed\"} %lld\n"
		     "yuanluo_webhook_outbox{state=\"delivered\"} %lld\n"
		     "# HELP yuanluo_webhook_oldest_pending_seconds Age of the oldest pending delivery.\n"
		     "# TYPE yuanluo_webhook_oldest_pending_seconds gauge\nyuanluo_webhook_oldest_pending_seconds %lld\n"
		     "# HELP yuanluo_webhook_attempts_total Delivery attempts by this process, by outcome.\n"
		     "# TYPE yuanluo_webhook_attempts_total counter\n"
		     "yuanluo_webhook_attempts_total{outcome=\"delivered\"} %llu\n"
		     "yuanluo_webhook_attempts_total{outcome=\"retry\"} %llu\n"
		     "yuanluo_webhook_attempts_total{outcome=\"failed\"} %llu\n",
		     (long long)bl.pending, (long long)bl.failed, (long long)bl.delivered,
		     (long long)(bl.oldest_pending ? (int64_t)(time_now_us() / 1000000) - bl.oldest_pending : 0),
		     (unsigned long long)ws.delivered, (unsigned long long)ws.retried, (unsigned long long)ws.failed);
	api_commit_stats(&cs);
	buf_addf(&b, "# HELP yuanluo_group_commits_total Group commits of work-order intake.\n"
		     "# TYPE yuanluo_group_commits_total counter\nyuanluo_group_commits_total %llu\n"
		     "# HELP yuanluo_group_commit_jobs_total Requests committed in groups.\n"
		     "# TYPE yuanluo_group_commit_jobs_total counter\nyuanluo_group_commit_jobs_total %llu\n",
		     (unsigned long long)cs.groups, (unsigned long long)cs.jobs);
	http_reply_text(res, 200, "text/plain; version=0.0.4; charset=utf-8", b.data, b.len);
	buf_release(&b);
}

const struct http_route api_metrics_routes[] = {
	{ "GET", "/metrics", api_metrics_get, "public",
	  "Prometheus metrics (only from the addresses of metrics-allow; 403 otherwise)", 0 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
