/*
 * config.h - settings from flags, then environment (YUANLUO_*), then an INI file,
 * then built-in defaults; the first source that sets a value wins.
 *
 * Every setting has one name, used as the flag (--max-body), the environment
 * variable (YUANLUO_MAX_BODY) and the INI key (max_body in its [section]).  A bad
 * value is reported with where it came from and the program exits non-zero.
 */
#ifndef YL_CONFIG_H
#define YL_CONFIG_H

#include <stddef.h>

struct config {
	char *config_file;	/* the INI file read, or NULL */
	char *listen;
	char *db;
	char *web_root;
	char *upload_dir;	/* photos, by content hash; outside the web root */
	char *number_prefix;	/* letters after YL in new work-order numbers; "" none (workorder.h) */
	char *calendar_dir;	/* the working-day calendars (YYYY.csv) that init loads */
	char *key_file;
	char *log_level;
	unsigned threads;
	unsigned max_body;
	unsigned max_header;
	unsigned conn_timeout;
	unsigned max_conns;
	unsigned max_conns_per_ip;
	int access_log;
	unsigned session_idle;		/* seconds */
	unsigned session_lifetime;	/* seconds */
	int cookie_secure;
	unsigned sweep_interval;	/* seconds between sweeps of overdue work orders; 0: none in this server */
	char *trusted_proxies;	/* addresses of reverse proxies whose X-Forwarded-For is believed; "" none */
	char *metrics_allow;		/* addresses or prefixes that may read /metrics: "127.0.0.1,::1" */
	unsigned webhook_interval;	/* milliseconds between looks at the webhook outbox; 0: no deliveries here */
	unsigned webhook_backoff;	/* seconds before a failed delivery's first retry (doubling after) */
	unsigned webhook_attempts;	/* attempts before a delivery is failed */
	unsigned webhook_timeout;	/* seconds one attempt may take */
};

/*
 * Fills cfg from argv (setting flags are taken out), the environment and the INI
 * file (--config FILE, YUANLUO_CONFIG, or ./yuanluo.ini when present; an
 * installed build then tries its YUANLUO_CONFIG_FILE, /etc/yuanluo/yuanluo.ini).  argv is
 * compacted in place to the arguments that are not settings; *argc is updated.
 * Returns 0, or -1 with err filled and cfg left empty (nothing to release).
 */
int config_load(struct config *cfg, int *argc, char **argv, char *err, size_t errlen);
void config_release(struct config *cfg);
/* A table of the settings for "yuanluo help". */
void config_print_help(void);

#endif
