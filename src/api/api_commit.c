/*
 * api_commit.c - group commit: the writes of ROUTE_GROUP_COMMIT routes share
 * one transaction, so one fsync acknowledges many of them.
 *
 * SQLite has one writer and, with synchronous=FULL, a commit costs an fsync.
 * Run one per request, durability caps throughput at one fsync per order.  So
 * the guard hands such a request, already authenticated and authorised, to
 * this queue and defers it (http_defer: the connection waits without holding a
 * worker thread).  One committer thread takes whatever has arrived, up to
 * API_COMMIT_GROUP_MAX requests, and on its own connection:
 *
 *   BEGIN IMMEDIATE
 *     for each request: a savepoint; the handler; its audit row (or, when the
 *     handler failed, the savepoint undone and a failure row) - exactly what
 *     the guard does for a write run alone (api_audited_write)
 *   COMMIT                            <- the one fsync
 *   answer every request of the group (http_resume)
 *
 * No request is answered before the commit that holds it has returned, so a
 * 201 still means "on disk".  While one group commits the next one gathers:
 * under load groups grow by themselves, alone a request waits for nobody.
 */
#include "api/api.h"
#include "util/log.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct commit_job {
	const struct http_route *route;
	struct http_request *req;
	struct http_response res;
	struct commit_job *next;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct commit_job *head, *tail;	/* waiting, oldest first */
	int running;			/* the thread is there and takes jobs */
	int stopping;
	pthread_t thread;
	struct api_commit_stats stats;
} cm = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };

/* Answers every job and frees it. */
static void answer_all(struct commit_job *jobs)
{
	while (jobs) {
		struct commit_job *next = jobs->next;

		http_resume(jobs->req, &jobs->res);
		http_response_release(&jobs->res);
		free(jobs);
		jobs = next;
	}
}

/*
 * Nothing of the group was carried out: every job that had not already failed
 * on its own (and keeps that answer) answers the store's error instead.
 */
static void fail_group(struct commit_job *jobs, struct store *s, int rc)
{
	struct commit_job *j;
	struct fault f = { 0 };

	store_fault(s, rc, &f);
	for (j = jobs; j; j = j->next) {
		if (j->res.status >= 400)
			continue;
		http_response_release(&j->res);
		http_response_init(&j->res);
		api_fail(&j->res, &f);
	}
}

static void run_group(struct commit_job *jobs, size_t n)
{
	struct http_response unavailable;
	struct commit_job *j;
	struct store *s;
	int rc;

	http_response_init(&unavailable);
	s = api_store(&unavailable);
	http_response_release(&unavailable);
	if (!s) {
		for (j = jobs; j; j = j->next)
			http_reply_error(&j->res, 503, "unavailable", NULL, "the database is not available");
		answer_all(jobs);
		return;
	}
	if ((rc = store_begin_write(s)) != STORE_OK) {
		fail_group(jobs, s, rc);
		answer_all(jobs);
		return;
	}
	for (j = jobs; j; j = j->next)
		api_audited_write(s, j->route, j->req, &j->res);
	rc = store_commit(s);
	pthread_mutex_lock(&cm.lock);
	if (rc == STORE_OK) {
		cm.stats.groups++;
		cm.stats.jobs += n;
		if (n > cm.stats.largest)
			cm.stats.largest = n;
	} else {
		cm.stats.failed++;
	}
	pthread_mutex_unlock(&cm.lock);
	if (rc != STORE_OK) {
		log_msg(LOG_ERROR, "group commit of %zu requests failed: %s", n, store_errmsg(s));
		fail_group(jobs, s, rc);
	}
	answer_all(jobs);
}

static void *committer_main(void *arg)
{
	YL_UNUSED(arg);
	for (;;) {
		struct commit_job *group, *last;
		size_t n = 1;

		pthread_mutex_lock(&cm.lock);
		while (!cm.head && !cm.stopping)
			pthread_cond_wait(&cm.wake, &cm.lock);
		if (!cm.head) {		/* stopping, and nothing left */
			pthread_mutex_unlock(&cm.lock);
			break;
		}
		group = last = cm.head;
		while (last->next && n < API_COMMIT_GROUP_MAX) {
			last = last->next;
			n++;
		}
		cm.head = last->next;
		if (!cm.head)
			cm.tail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&cm.lock);
		run_group(group, n);
	}
	return NULL;
}

int api_commit_start(void)
{
	int rc;

	pthread_mutex_lock(&cm.lock);
	if (cm.running) {
		pthread_mutex_unlock(&cm.lock);
		return 0;
	}
	cm.stopping = 0;
	rc = pthread_create(&cm.thread, NULL, committer_main, NULL);
	cm.running = rc == 0;
	pthread_mutex_unlock(&cm.lock);
	if (rc != 0) {
		log_msg(LOG_WARN, "cannot start the committer thread (%s): writes commit one by one", strerror(rc));
		return -1;
	}
	return 0;
}

void api_commit_stop(void)
{
	pthread_mutex_lock(&cm.lock);
	if (!cm.running || cm.stopping) {
		pthread_mutex_unlock(&cm.lock);
		return;
	}
	cm.stopping = 1;
	pthread_cond_signal(&cm.wake);
	pthread_mutex_unlock(&cm.lock);
	pthread_join(cm.thread, NULL);
	pthread_mutex_lock(&cm.lock);
	cm.running = 0;
	cm.stopping = 0;
	pthread_mutex_unlock(&cm.lock);
}

int api_commit_submit(const struct http_route *route, struct http_request *req)
{
	struct commit_job *j;

	pthread_mutex_lock(&cm.lock);
	if (!cm.running || cm.stopping) {
		pthread_mutex_unlock(&cm.lock);
		return -1;
	}
	j = xcalloc(1, sizeof(*j));
	j->route = route;
	j->req = req;
	http_response_init(&j->res);
	http_defer(req);
	if (cm.tail)
		cm.tail->next = j;
	else
		cm.head = j;
	cm.tail = j;
	pthread_cond_signal(&cm.wake);
	pthread_mutex_unlock(&cm.lock);
	return 0;
}

void api_commit_stats(struct api_commit_stats *out)
{
	pthread_mutex_lock(&cm.lock);
	*out = cm.stats;
	pthread_mutex_unlock(&cm.lock);
}
