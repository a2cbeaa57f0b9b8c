/*
 * cli_sweep.c - `yuanluo sweep` (once, for cron) and the sweeper thread of
 * `yuanluo serve` (every sweep-interval seconds): cards and escalation of
 * work orders by their deadlines (src/workorder/sweep.h).
 *
 * Both take the lease first (sweeper_lease), so with several app servers or a
 * cron job beside a server the sweep runs once a period.  The server's
 * sweeper takes it again each period and keeps it past the next one (so
 * another server takes over only from a holder that stopped, and gives it
 * back when the server stops); `yuanluo sweep` holds it for its run and gives
 * it back.  A dry run writes nothing and needs no lease.
 *
 * The server's sweeper has its own store connection (a connection serves one
 * thread) and logs what it did; it is stopped, and its connection closed,
 * before the server closes the database.
 */
#include "auth/account.h"
#include "util/check.h"
#include "calendar/calendar.h"
#include "cli/cli.h"
#include "store/store.h"
#include "util/log.h"
#include "util/util.h"
#include "timenode/timenode.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CLI_LEASE_SECONDS 600		/* renewed with every batch: a long run keeps it */
#define FUTURE_SLACK 300

static int64_t wall_now(void)
{
	return time_now_us() / 1000000;
}

/* "serve@host:pid", "cli@host:pid": who holds the lease, for the one who finds it held. */
static void holder_name(const char *role, char *out, size_t outlen)
{
	char host[64];

	if (gethostname(host, sizeof(host)) < 0)
		snprintf(host, sizeof(host), "?");
	host[sizeof(host) - 1] = '\0';
	snprintf(out, outlen, "%s@%s:%ld", role, host, (long)getpid());
}

/* The sweeper thread of `yuanluo serve`. */

struct cli_sweeper {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stop;
	unsigned interval;
	char *db;
	char holder[128];
	int32_t reminded_day;		/* the local day the missing calendar was last logged */
};

/*
 * The holder takes its lease again every period, so it holds it for two and a
 * little more: no gap opens between its periods for another server (which
 * takes over when a holder has been silent that long).
 */
static int lease_seconds(const struct cli_sweeper *sw)
{
	return 2 * (int)sw->interval + 5;
}

/* After each batch: a server shutting down stops its sweep there. */
static int sweeper_stopping(const struct tn_sweep_report *r, void *arg)
{
	struct cli_sweeper *sw = arg;
	int stop;

	YL_UNUSED(r);
	pthread_mutex_lock(&sw->lock);
	stop = sw->stop;
	pthread_mutex_unlock(&sw->lock);
	return stop;
}

static void sweep_once(struct cli_sweeper *sw, struct store *s)
{
	struct tn_sweep_policy pol;
	struct tn_sweep_report rep;
	struct tn_sweep_lease other;
	struct fault f = { 0 };
	int64_t now = wall_now(), t0 = mono_now_us();
	char until[40];
	int got = 0, rc;

	if (tn_sweep_lease_take(s, TN_SWEEP_LEASE, sw->holder, now, lease_seconds(sw), &got, &other, &f) < 0) {
		log_msg(LOG_WARN, "sweep: cannot take the lease: %s", f.message);
		return;
	}
	if (!got) {
		time_format_local(other.until, until, sizeof(until));
		log_msg(LOG_DEBUG, "sweep: %s holds the lease until %s: it sweeps this period", other.holder, until);
		return;
	}
	if (tn_sweep_policy_load(s, &pol, &f) < 0) {
		log_msg(LOG_WARN, "sweep: cannot read the policy: %s", f.message);
		return;
	}
	pol.lease_holder = sw->holder;
	pol.lease_seconds = lease_seconds(sw);
	pol.progress = sweeper_stopping;
	pol.progress_arg = sw;
	rc = tn_sweep(s, now, &pol, &rep, &f);
	if (rc < 0)
		log_msg(LOG_WARN, "sweep: stopped: %s", f.message);
	if (rep.yellow || rep.red || rep.escalated || rep.errors || rc < 0)
		log_msg(LOG_INFO, "sweep: %ld yellow, %ld red, %ld escalated, %ld errors (%ld orders examined in %lld ms)",
			rep.yellow, rep.red, rep.escalated, rep.errors, rep.examined,
			(long long)((mono_now_us() - t0) / 1000));
	if (rep.errors && rep.first_error_order)
		log_msg(LOG_WARN, "sweep: work order %lld: %s", (long long)rep.first_error_order, rep.first_error.message);
	else if (rep.errors)
		log_msg(LOG_WARN, "sweep: %s", rep.first_error.message);
}

/*
 * Once a local day (and at start): a year whose official calendar is awaited
 * (calendar_missing_year(): from 1 November, next year) is said in the log,
 * with how to load it, for every server whether it holds the lease or not.
 */
static void calendar_reminder(struct cli_sweeper *sw, struct store *s)
{
	int64_t now = wall_now();
	struct fault f = { 0 };
	int year = 0;

	if (calendar_day_of(now) == sw->reminded_day)
		return;
	sw->reminded_day = calendar_day_of(now);
	if (calendar_missing_year(s, now, &year, &f) < 0) {
		log_msg(LOG_WARN, "calendar: cannot tell which years are loaded: %s", f.message);
		return;
	}
	if (year)
		log_msg(LOG_WARN, "calendar: the official holidays of %d are not loaded: deadlines reaching into %d are "
			"provisional (weekends and statutory holidays, no swapped working days) until an administrator loads "
			"them ('yuanluo calendar load %d.csv' or PUT /api/v1/calendar/%d), which counts them again",
			year, year, year, year);
}

static void *sweeper_main(void *arg)
{
	struct cli_sweeper *sw = arg;
	struct fault f = { 0 };
	struct store *s;
	char err[512];
	int stop = 0;

	s = store_open(sw->db, err, sizeof(err));
	if (!s) {
		log_msg(LOG_ERROR, "sweep: cannot open the database: %s", err);
		return NULL;
	}
	/* Every interval, the first one interval after the start (not in the middle of starting up). */
	for (;;) {
		struct timespec at;

		calendar_reminder(sw, s);
		clock_gettime(CLOCK_MONOTONIC, &at);
		at.tv_sec += sw->interval;
		pthread_mutex_lock(&sw->lock);
		while (!sw->stop && pthread_cond_timedwait(&sw->wake, &sw->lock, &at) != ETIMEDOUT)
			;
		stop = sw->stop;
		pthread_mutex_unlock(&sw->lock);
		if (stop)
			break;
		sweep_once(sw, s);
	}
	/* The next server to start need not wait out this one's period. */
	if (tn_sweep_lease_release(s, TN_SWEEP_LEASE, sw->holder, &f) < 0)
		log_msg(LOG_WARN, "sweep: cannot give the lease back: %s", f.message);
	store_close(s);
	return NULL;
}

struct cli_sweeper *cli_sweeper_start(const struct config *cfg)
{
	struct cli_sweeper *sw;
	pthread_condattr_t ca;
	int rc;

	if (!cfg->sweep_interval)
		return NULL;
	sw = xcalloc(1, sizeof(*sw));
	sw->interval = cfg->sweep_interval;
	sw->db = xstrdup(cfg->db);
	holder_name("serve", sw->holder, sizeof(sw->holder));
	pthread_mutex_init(&sw->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&sw->wake, &ca);
	pthread_condattr_destroy(&ca);
	if ((rc = pthread_create(&sw->thread, NULL, sweeper_main, sw)) != 0) {
		log_msg(LOG_ERROR, "sweep: cannot start the sweeper: %s", strerror(rc));
		pthread_cond_destroy(&sw->wake);
		pthread_mutex_destroy(&sw->lock);
		free(sw->db);
		free(sw);
		return NULL;
	}
	log_msg(LOG_INFO, "sweeping work orders every %u seconds as %s", sw->interval, sw->holder);
	return sw;
}

void cli_sweeper_stop(struct cli_sweeper *sw)
{
	if (!sw)
		return;
	pthread_mutex_lock(&sw->lock);
	sw->stop = 1;
	pthread_cond_signal(&sw->wake);
	pthread_mutex_unlock(&sw->lock);
	pthread_join(sw->thread, NULL);
	pthread_cond_destroy(&sw->wake);
	pthread_mutex_destroy(&sw->lock);
	free(sw->db);
	free(sw);
}

/* `yuanluo sweep`. */

static int progress(const struct tn_sweep_report *r, void *arg)
{
	int *shown = arg;

	if (r->examined < TN_SWEEP_BATCH && !*shown)
		return 0;
	fprintf(stderr, "\r%ld orders swept: %ld yellow, %ld red, %ld escalated, %ld errors ", r->examined, r->yellow,
		r->red, r->escalated, r->errors);
	fflush(stderr);
	*shown = 1;
	return 0;
}

int cmd_sweep(int argc, char **argv, const struct config *cfg)
{
	struct tn_sweep_policy pol;
	struct tn_sweep_report rep;
	struct tn_sweep_lease other;
	struct fault f = { 0 };
	struct store *s;
	const char *now_text = NULL;
	char holder[128], when[40], detail[200];
	int64_t now = wall_now();
	int dry = 0, got = 0, shown = 0, rc, a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--dry-run"))
			dry = 1;
		else if (!strcmp(argv[a], "--now") && a + 1 < argc)
			now_text = argv[++a];
		else if (!strncmp(argv[a], "--now=", 6))
			now_text = argv[a] + 6;
		else if (!strcmp(argv[a], "--now"))
			return cli_usage_error("sweep", "--now needs a time such as '2026-02-10 09:30' (Asia/Shanghai)");
		else
			return cli_usage_error("sweep", "unexpected argument '%s'", argv[a]);
	}
	if (now_text) {
		if (time_parse(now_text, TIME_NO_SECONDS, &now) < 0)
			return cli_usage_error("sweep", "--now must be a time such as '2026-02-10 09:30' (Asia/Shanghai), not '%s'",
					       now_text);
		if (now > wall_now() + FUTURE_SLACK) {
			fprintf(stderr, "yuanluo sweep: --now %s is in the future: cards and escalations are never dated ahead"
					" of the clock\n", now_text);
			return 2;
		}
	}
	/* The audit log's hash chain uses libsodium. */
	if (auth_init() < 0) {
		fprintf(stderr, "yuanluo sweep: libsodium cannot start\n");
		return 1;
	}
	s = cli_open_store(cfg);
	if (!s)
		return 1;
	holder_name("cli", holder, sizeof(holder));
	if (!dry) {
		if (tn_sweep_lease_take(s, TN_SWEEP_LEASE, holder, wall_now(), CLI_LEASE_SECONDS, &got, &other, &f) < 0) {
			fprintf(stderr, "yuanluo sweep: cannot take the lease: %s\n", f.message);
			store_close(s);
			return 1;
		}
		if (!got) {
			time_format_local(other.until, when, sizeof(when));
			fprintf(stderr, "yuanluo sweep: %s holds the sweeper's lease until %s and sweeps meanwhile;"
					" nothing was done (--dry-run shows what is due)\n", other.holder, when);
			store_close(s);
			return 1;
		}
	}
	if (tn_sweep_policy_load(s, &pol, &f) < 0) {
		fprintf(stderr, "yuanluo sweep: cannot read the policy: %s\n", f.message);
		if (got)
			tn_sweep_lease_release(s, TN_SWEEP_LEASE, holder, &f);
		store_close(s);
		return 1;
	}
	pol.dry_run = dry;
	if (got) {
		pol.lease_holder = holder;
		pol.lease_seconds = CLI_LEASE_SECONDS;
	}
	if (isatty(STDERR_FILENO)) {
		pol.progress = progress;
		pol.progress_arg = &shown;
	}
	rc = tn_sweep(s, now, &pol, &rep, &f);
	if (shown)
		fprintf(stderr, "\n");
	if (got && tn_sweep_lease_release(s, TN_SWEEP_LEASE, holder, &f) < 0)
		fprintf(stderr, "yuanluo sweep: cannot give the lease back: %s\n", f.message);

	time_format_local(now, when, sizeof(when));
	printf("sweep as of %s%s\n", when, dry ? " (dry run: nothing was written)" : "");
	printf("  yellow cards   %ld\n", rep.yellow);
	printf("  red cards      %ld\n", rep.red);
	printf("  escalated      %ld\n", rep.escalated);
	printf("  errors         %ld\n", rep.errors);
	printf("  examined       %ld orders\n", rep.examined);
	printf("  sign overdue   %ld dispatched orders not signed for in time (counted, not carded)\n", rep.sign_overdue);
	if (rep.errors && rep.first_error_order)
		fprintf(stderr, "yuanluo sweep: %ld failed (tried again by the next sweep); the first, work order %lld: %s\n",
			rep.errors, (long long)rep.first_error_order, rep.first_error.message);
	else if (rep.errors)
		fprintf(stderr, "yuanluo sweep: %ld failed (tried again by the next sweep); the first: %s\n", rep.errors,
			rep.first_error.message);
	if (rc < 0)
		fprintf(stderr, "yuanluo sweep: stopped: %s\n", f.message);
	if (!dry) {
		snprintf(detail, sizeof(detail), "as of %s: %ld yellow, %ld red, %ld escalated, %ld errors", when, rep.yellow,
			 rep.red, rep.escalated, rep.errors);
		cli_audit(s, "workorder sweep", "work_orders", NULL, rc < 0 ? "failure" : "success", detail);
	}
	store_close(s);
	return rc < 0 || rep.errors ? 1 : 0;
}
