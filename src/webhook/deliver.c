/*
 * deliver.c - the delivery thread of `yuanluo serve`: claims due outbox rows
 * (webhook_claim: a lease by conditional UPDATE, so several servers on one
 * database never send a row twice at once), POSTs each with libcurl, signed,
 * and records the answer: delivered, or retried after exponential backoff,
 * or failed after the last attempt.  A server that dies mid-delivery leaves
 * its rows leased; they are taken again once the lease runs out, so a row is
 * delivered at least once (receivers de-duplicate by X-Yuanluo-Delivery).
 */
#include "webhook/webhook.h"
#include "auth/pii.h"
#include "util/log.h"
#include "util/util.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CLAIM_BATCH 16
#define BACKOFF_CAP 86400

struct webhook_sender {
	struct webhook_settings cfg;
	char *dsn;
	char owner[96];
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stop;
};

static _Atomic uint64_t n_attempts, n_delivered, n_failed, n_retried;

void webhook_sender_stats(struct webhook_stats *out)
{
	out->attempts = atomic_load(&n_attempts);
	out->delivered = atomic_load(&n_delivered);
	out->failed = atomic_load(&n_failed);
	out->retried = atomic_load(&n_retried);
}

void webhook_sign(const char *secret, int64_t timestamp, const char *body, size_t len, char out[72])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	char ts[24];

	snprintf(ts, sizeof(ts), "%lld.", (long long)timestamp);
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, strlen(ts));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out, "sha256=", 7);
	sodium_bin2hex(out + 7, 65, mac, sizeof(mac));
}

static const char SQL_ROW[] =
	"SELECT o.event, o.payload, o.attempts, s.url, s.secret_enc FROM webhook_outbox o"
	" JOIN webhook_subscribers s ON s.id = o.subscriber_id WHERE o.id = ? AND o.lease_owner = ?";
static const char SQL_DONE[] =
	"UPDATE webhook_outbox SET state = 'delivered', attempts = attempts + 1, delivered_at = ?, last_status = ?,"
	" last_error = NULL, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?";
static const char SQL_AGAIN[] =
	"UPDATE webhook_outbox SET state = ?, attempts = attempts + 1, next_at_ms = ?, last_status = ?, last_error = ?,"
	" lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?";

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* One attempt: the HTTP status (0 when there was no answer), err filled when not 2xx. */
static long post_once(const struct webhook_sender *w, int64_t id, const char *url, const char *secret,
		      const char *event, const char *body, char *err, size_t errlen)
{
	char h_event[96], h_id[64], h_ts[64], h_sig[96], sig[72], cerr[CURL_ERROR_SIZE] = "";
	struct curl_slist *hdr = NULL;
	int64_t ts = (int64_t)time(NULL);
	long status = 0;
	CURL *c = curl_easy_init();
	CURLcode rc;

	if (!c) {
		snprintf(err, errlen, "libcurl cannot start a transfer");
		return 0;
	}
	webhook_sign(secret, ts, body, strlen(body), sig);
	snprintf(h_event, sizeof(h_event), "X-Yuanluo-Event: %s", event);
	snprintf(h_id, sizeof(h_id), "X-Yuanluo-Delivery: %lld", (long long)id);
	snprintf(h_ts, sizeof(h_ts), "X-Yuanluo-Timestamp: %lld", (long long)ts);
	snprintf(h_sig, sizeof(h_sig), "X-Yuanluo-Signature: %s", sig);
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	hdr = curl_slist_append(hdr, "User-Agent: yuanluo-webhook/1");
	hdr = curl_slist_append(hdr, h_event);
	hdr = curl_slist_append(hdr, h_id);
	hdr = curl_slist_append(hdr, h_ts);
	hdr = curl_slist_append(hdr, h_sig);
	hdr = curl_slist_append(hdr, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, url);
	/* Only http and https, also after a redirect (which is not followed anyway). */
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)w->cfg.timeout);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)(w->cfg.timeout < 10 ? w->cfg.timeout : 10));
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (rc != CURLE_OK)
		snprintf(err, errlen, "%s", cerr[0] ? cerr : curl_easy_strerror(rc));
	else if (status < 200 || status > 299)
		snprintf(err, errlen, "the receiver answered %ld", status);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	return status;
}

static int64_t backoff_after(const struct webhook_sender *w, int attempts)
{
	int64_t d = w->cfg.backoff;
	int i;

	for (i = 1; i < attempts && d < BACKOFF_CAP; i++)
		d *= 2;
	return d < BACKOFF_CAP ? d : BACKOFF_CAP;
}

static void deliver_one(struct webhook_sender *w, struct store *s, int64_t id)
{
	char *event = NULL, *payload = NULL, *url = NULL, *secret = NULL, err[256] = "";
	struct store_stmt *st;
	int attempts = 0, rc;
	long status;

	st = store_query(s, SQL_ROW, "it", (int64_t)id, w->owner);
	rc = store_step(st);
	if (rc == STORE_ROW) {
		event = xstrdup(store_column_text(st, 0));
		payload = xstrdup(store_column_text(st, 1));
		attempts = (int)store_column_int64(st, 2);
		url = xstrdup(store_column_text(st, 3));
		secret = pii_decrypt(store_column_text(st, 4));
	}
	store_done(st);
	if (rc != STORE_ROW || !secret) {
		if (rc == STORE_ROW)
			log_msg(LOG_WARN, "webhook: delivery %lld: the secret cannot be opened with this data key",
				(long long)id);
		goto out;
	}
	atomic_fetch_add(&n_attempts, 1);
	status = post_once(w, id, url, secret, event, payload, err, sizeof(err));
	attempts++;
	if (status >= 200 && status <= 299) {
		st = store_query(s, SQL_DONE, "iiit", (int64_t)time(NULL), (int64_t)status, (int64_t)id, w->owner);
		atomic_fetch_add(&n_delivered, 1);
	} else {
		int failed = attempts >= (int)w->cfg.max_attempts;

		st = store_query(s, SQL_AGAIN, "tiitit", failed ? "failed" : "pending",
				 (int64_t)(time_now_us() / 1000 + backoff_after(w, attempts) * 1000), (int64_t)status,
				 err, (int64_t)id, w->owner);
		atomic_fetch_add(failed ? &n_failed : &n_retried, 1);
		log_msg(failed ? LOG_WARN : LOG_INFO, "webhook: delivery %lld to %s, attempt %d: %s%s", (long long)id,
			url, attempts, err, failed ? " (failed: no more attempts)" : "");
	}
	if ((rc = store_step(st)) != STORE_DONE)
		log_msg(LOG_WARN, "webhook: delivery %lld: cannot record the attempt: %s", (long long)id,
			store_errmsg(s));
	store_done(st);
out:
	if (secret) {
		sodium_memzero(secret, strlen(secret));
		free(secret);
	}
	free(event);
	free(payload);
	free(url);
}

static int stopping(struct webhook_sender *w)
{
	int stop;

	pthread_mutex_lock(&w->lock);
	stop = w->stop;
	pthread_mutex_unlock(&w->lock);
	return stop;
}

static void *sender_main(void *arg)
{
	struct webhook_sender *w = arg;
	struct fault f = { 0 };
	int64_t ids[CLAIM_BATCH];
	char err[512];
	struct store *s = store_open(w->dsn, err, sizeof(err));

	if (!s) {
		log_msg(LOG_ERROR, "webhook: cannot open the database: %s", err);
		return NULL;
	}
	for (;;) {
		struct timespec at;
		int n, i;

		n = webhook_claim(s, w->owner, (int64_t)time(NULL), w->cfg.lease, ids, CLAIM_BATCH, &f);
		if (n < 0)
			log_msg(LOG_WARN, "webhook: cannot claim deliveries: %s", f.message);
		for (i = 0; i < n && !stopping(w); i++)
			deliver_one(w, s, ids[i]);
		if (n == CLAIM_BATCH && !stopping(w))
			continue;	/* more may be due */
		clock_gettime(CLOCK_MONOTONIC, &at);
		at.tv_nsec += (long)(w->cfg.interval_ms % 1000) * 1000000L;
		at.tv_sec += w->cfg.interval_ms / 1000 + at.tv_nsec / 1000000000L;
		at.tv_nsec %= 1000000000L;
		pthread_mutex_lock(&w->lock);
		while (!w->stop && pthread_cond_timedwait(&w->wake, &w->lock, &at) != ETIMEDOUT)
			;
		i = w->stop;
		pthread_mutex_unlock(&w->lock);
		if (i)
			break;
	}
	store_close(s);
	return NULL;
}

struct webhook_sender *webhook_sender_start(const char *dsn, const struct webhook_settings *cfg)
{
	struct webhook_sender *w;
	pthread_condattr_t ca;
	char host[64] = "host";
	int rc;

	if (!cfg->interval_ms)
		return NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_msg(LOG_ERROR, "webhook: libcurl cannot start: no deliveries from this server");
		return NULL;
	}
	w = xcalloc(1, sizeof(*w));
	w->cfg = *cfg;
	w->dsn = xstrdup(dsn);
	gethostname(host, sizeof(host) - 1);
	snprintf(w->owner, sizeof(w->owner), "%s:%ld:%08x", host, (long)getpid(), randombytes_random());
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->wake, &ca);
	pthread_condattr_destroy(&ca);
	if ((rc = pthread_create(&w->thread, NULL, sender_main, w)) != 0) {
		log_msg(LOG_ERROR, "webhook: cannot start the delivery thread: %s", strerror(rc));
		pthread_cond_destroy(&w->wake);
		pthread_mutex_destroy(&w->lock);
		free(w->dsn);
		free(w);
		curl_global_cleanup();
		return NULL;
	}
	log_msg(LOG_INFO, "webhook deliveries every %u ms as %s", cfg->interval_ms, w->owner);
	return w;
}

void webhook_sender_stop(struct webhook_sender *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w->dsn);
	free(w);
	curl_global_cleanup();
}
