/*
 * cli_serve.c - `yuanluo serve`: migrate, listen, wait for SIGTERM or SIGINT,
 * then stop accepting, let in-flight requests finish and close the database.
 */
#include "api/api.h"
#include "api/api_auth.h"
#include "api/api_upload.h"
#include "auth/account.h"
#include "cli/cli.h"
#include "http/http.h"
#include "util/log.h"
#include "util/notify.h"
#include "webhook/webhook.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#define SHUTDOWN_GRACE_MS 10000

int cmd_serve(int argc, char **argv, const struct config *cfg)
{
	struct http_config hc;
	struct http_server *srv;
	struct cli_sweeper *sweeper;
	struct webhook_sender *sender;
	struct webhook_settings ws;
	struct store *s;
	sigset_t set;
	char err[512];
	int64_t t0 = mono_now_us();
	int sig = 0;

	if (argc > 1)
		return cli_usage_error("serve", "unexpected argument '%s'", argv[1]);
	if (auth_init() < 0) {
		fprintf(stderr, "yuanluo serve: libsodium cannot start\n");
		return 1;
	}
	/* Block the stop signals before any thread starts, so only sigwait() sees them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	s = cli_open_store(cfg);
	if (!s)
		return 1;
	store_close(s);
	if (api_upload_configure(cfg->upload_dir, cfg->web_root, err, sizeof(err)) < 0) {
		fprintf(stderr, "yuanluo serve: %s\n", err);
		return 1;
	}
	if (api_metrics_configure(cfg->metrics_allow, err, sizeof(err)) < 0) {
		fprintf(stderr, "yuanluo serve: %s\n", err);
		return 1;
	}
	api_init(cfg->db);

	memset(&hc, 0, sizeof(hc));
	hc.listen = cfg->listen;
	hc.threads = cfg->threads;
	hc.web_root = cfg->web_root;
	hc.limits.max_body = cfg->max_body;
	hc.limits.max_header = cfg->max_header;
	hc.limits.conn_timeout = cfg->conn_timeout;
	hc.limits.max_conns = cfg->max_conns;
	hc.limits.max_conns_per_ip = cfg->max_conns_per_ip;
	hc.routes = api_routes(&hc.nroutes);
	hc.access_log = cfg->access_log;
	hc.trusted_proxies = cfg->trusted_proxies;
	hc.dispatch = api_dispatch;
	hc.drain = api_commit_stop;	/* group commits answered before connections close */
	hc.observe = api_metrics_observe;
	{
		struct auth_settings as;

		auth_settings_default(&as);
		as.idle_seconds = (int)cfg->session_idle;
		as.lifetime_seconds = (int)cfg->session_lifetime;
		api_auth_configure(&as, cfg->cookie_secure);
	}
	srv = http_server_start(&hc, err, sizeof(err));
	if (!srv) {
		fprintf(stderr, "yuanluo serve: %s\n", err);
		api_shutdown();
		return 1;
	}
	{
		char host[128];
		unsigned port;

		http_parse_listen(cfg->listen, host, sizeof(host), &port);
		log_msg(LOG_INFO, "listening on http://%s%s%s:%u (database %s, %u threads, started in %lld ms)",
			strchr(host, ':') ? "[" : "", host, strchr(host, ':') ? "]" : "", http_server_port(srv), cfg->db,
			cfg->threads, (long long)((mono_now_us() - t0) / 1000));
		/* systemd's Type=notify: ready once the socket accepts, not when the process starts. */
		{
			char state[256];

			snprintf(state, sizeof(state), "READY=1\nSTATUS=listening on %s:%u", host, http_server_port(srv));
			if (service_notify(state) < 0)
				log_msg(LOG_WARN, "cannot tell the service manager that the server is ready");
		}
	}
	sweeper = cli_sweeper_start(cfg);
	memset(&ws, 0, sizeof(ws));
	ws.interval_ms = cfg->webhook_interval;
	ws.backoff = cfg->webhook_backoff;
	ws.max_attempts = cfg->webhook_attempts;
	ws.timeout = cfg->webhook_timeout;
	ws.lease = cfg->webhook_timeout * 3 + 30;	/* longer than an attempt: a live claimer never loses its row */
	sender = webhook_sender_start(cfg->db, &ws);
	api_import_jobs_start(cfg->db);

	while (sigwait(&set, &sig) != 0)
		;
	log_msg(LOG_INFO, "received %s: finishing requests in flight", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	service_notify("STOPPING=1");
	http_server_stop(srv, SHUTDOWN_GRACE_MS);
	cli_sweeper_stop(sweeper);	/* its own connection closes before the database does */
	webhook_sender_stop(sender);
	api_import_jobs_stop();
	api_shutdown();
	log_msg(LOG_INFO, "stopped");
	return 0;
}
