/*
 * config.c - the setting table and its three sources.
 */
#include "config/config.h"
#include "util/util.h"

#include <ctype.h>
#include <stddef.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* SET_OPTIONAL: a string that may be empty; the module it configures checks it (main.c). */
enum setting_type { SET_STRING, SET_OPTIONAL, SET_UINT, SET_BOOL, SET_LEVEL, SET_ADDRS };

struct setting {
	const char *name;	/* flag without "--"; env and INI names derive from it */
	const char *section;
	enum setting_type type;
	size_t offset;
	const char *def;
	unsigned min, max;
	const char *help;
};

#define OFF(f) offsetof(struct config, f)

/*
 * Where the shipped files are.  A checkout runs from its top folder (make run),
 * so the defaults are relative; an installed build (the Debian package: make
 * SHARE_DIR=/usr/share/yuanluo CONFIG_FILE=/etc/yuanluo/yuanluo.ini) names its
 * folders, and reads its config file when no other is given.
 */
#ifdef YUANLUO_SHARE_DIR
#define DEFAULT_WEB_ROOT YUANLUO_SHARE_DIR "/web"
#define DEFAULT_CALENDAR_DIR YUANLUO_SHARE_DIR "/calendar"
#else
#define DEFAULT_WEB_ROOT "web"
#define DEFAULT_CALENDAR_DIR "share/calendar"
#endif

static const struct setting settings[] = {
	{ "listen", "server", SET_STRING, OFF(listen), "127.0.0.1:8080", 0, 0, "address and port to serve on" },
	{ "threads", "server", SET_UINT, OFF(threads), "4", 1, 256, "worker threads" },
	{ "web-root", "server", SET_STRING, OFF(web_root), DEFAULT_WEB_ROOT, 0, 0, "folder of the web UI's static files" },
	{ "upload-dir", "database", SET_STRING, OFF(upload_dir), "data/uploads", 0, 0,
	  "folder of uploaded photos (outside the web root; one request carries at most max-body bytes)" },
	{ "sweep-interval", "server", SET_UINT, OFF(sweep_interval), "300", 0, 86400,
	  "seconds between sweeps for work-order cards and escalation (0: this server does not sweep)" },
	{ "metrics-allow", "server", SET_STRING, OFF(metrics_allow), "127.0.0.1,::1", 0, 0,
	  "addresses or prefixes (10.0.0.0/8) that may read /metrics, comma-separated; others get 403" },
	{ "webhook-interval", "webhooks", SET_UINT, OFF(webhook_interval), "1000", 0, 3600000,
	  "milliseconds between looks at the webhook outbox (0: this server delivers none)" },
	{ "webhook-backoff", "webhooks", SET_UINT, OFF(webhook_backoff), "30", 1, 86400,
	  "seconds before a failed delivery is retried; doubles with each attempt" },
	{ "webhook-attempts", "webhooks", SET_UINT, OFF(webhook_attempts), "10", 1, 100,
	  "attempts before a delivery is failed (shown in GET /api/v1/webhooks/deliveries)" },
	{ "webhook-timeout", "webhooks", SET_UINT, OFF(webhook_timeout), "10", 1, 300,
	  "seconds one delivery attempt may take" },
	{ "db", "database", SET_STRING, OFF(db), "sqlite:yuanluo.db", 0, 0, "database: sqlite:PATH or a path" },
	{ "key-file", "security", SET_STRING, OFF(key_file), "yuanluo.key", 0, 0, "file of the data-encryption key" },
	{ "calendar-dir", "database", SET_STRING, OFF(calendar_dir), DEFAULT_CALENDAR_DIR, 0, 0,
	  "folder of the working-day calendars (YYYY.csv) that init loads" },
	{ "max-body", "limits", SET_UINT, OFF(max_body), "8388608", 1024, 1073741824, "largest request body, bytes" },
	{ "max-header", "limits", SET_UINT, OFF(max_header), "32768", 4096, 1048576,
	  "largest request head (request line and headers), bytes; larger heads get 431" },
	{ "conn-timeout", "limits", SET_UINT, OFF(conn_timeout), "30", 1, 3600, "idle connection timeout, seconds" },
	{ "max-conns", "limits", SET_UINT, OFF(max_conns), "1024", 1, 100000, "connections at once" },
	{ "max-conns-per-ip", "limits", SET_UINT, OFF(max_conns_per_ip), "0", 0, 100000,
	  "connections at once from one address (0: no limit)" },
	{ "session-idle", "security", SET_UINT, OFF(session_idle), "1800", 60, 86400,
	  "seconds a session may stay unused before it ends" },
	{ "session-lifetime", "security", SET_UINT, OFF(session_lifetime), "43200", 300, 604800,
	  "seconds a session lasts at most after login" },
	{ "cookie-secure", "security", SET_BOOL, OFF(cookie_secure), "off", 0, 0,
	  "mark the session cookie Secure (on when served over HTTPS)" },
	{ "trusted-proxies", "server", SET_ADDRS, OFF(trusted_proxies), "", 0, 0,
	  "addresses of reverse proxies (nginx), comma-separated: from them the client is the last address of"
	  " X-Forwarded-For not itself a proxy (login throttling, the audit log)" },
	{ "number-prefix", "workorders", SET_OPTIONAL, OFF(number_prefix), "", 0, 0,
	  "0 to 6 capital letters after YL in new work-order numbers (YLMS2026112900001): one per deployment"
	  " or app server, so that numbers never collide and servers never wait on each other for one" },
	{ "log-level", "log", SET_LEVEL, OFF(log_level), "info", 0, 0, "debug, info, warn or error" },
	{ "access-log", "log", SET_BOOL, OFF(access_log), "on", 0, 0, "one line per request on stderr (on/off)" },
};

static void env_name(const struct setting *s, char *out, size_t outlen)
{
	size_t i, j = 0;

	j = (size_t)snprintf(out, outlen, "YUANLUO_");
	for (i = 0; s->name[i] && j + 1 < outlen; i++)
		out[j++] = s->name[i] == '-' ? '_' : (char)toupper((unsigned char)s->name[i]);
	out[j] = '\0';
}

static void ini_key(const struct setting *s, char *out, size_t outlen)
{
	size_t i;

	for (i = 0; s->name[i] && i + 1 < outlen; i++)
		out[i] = s->name[i] == '-' ? '_' : s->name[i];
	out[i] = '\0';
}

static int apply(struct config *cfg, const struct setting *s, const char *value, const char *where,
		 char *err, size_t errlen)
{
	char *base = (char *)cfg;
	int64_t n;

	switch (s->type) {
	case SET_STRING:
	case SET_OPTIONAL:
		if (!*value && s->type == SET_STRING)
			return set_error(err, errlen, "%s: the value of %s must not be empty", where, s->name);
		free(*(char **)(base + s->offset));
		*(char **)(base + s->offset) = xstrdup(value);
		return 0;
	case SET_ADDRS: {
		/* Comma-separated IPv4 or IPv6 addresses; empty: none. */
		const char *p = value;

		while (*p) {
			const char *e = strchr(p, ',');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			unsigned char bin[sizeof(struct in6_addr)];
			char one[64];

			while (len && *p == ' ')
				p++, len--;
			while (len && p[len - 1] == ' ')
				len--;
			if (!len || len >= sizeof(one))
				return set_error(err, errlen, "%s: %s must be IP addresses separated by commas, not '%s'",
						 where, s->name, value);
			memcpy(one, p, len);
			one[len] = '\0';
			if (inet_pton(AF_INET, one, bin) != 1 && inet_pton(AF_INET6, one, bin) != 1)
				return set_error(err, errlen, "%s: %s: '%s' is not an IP address", where, s->name, one);
			p = e ? e + 1 : p + strlen(p);
		}
		free(*(char **)(base + s->offset));
		*(char **)(base + s->offset) = xstrdup(value);
		return 0;
	}
	case SET_LEVEL:
		if (strcmp(value, "debug") && strcmp(value, "info") && strcmp(value, "warn") && strcmp(value, "error"))
			return set_error(err, errlen, "%s: %s must be debug, info, warn or error, not '%s'", where,
					 s->name, value);
		free(*(char **)(base + s->offset));
		*(char **)(base + s->offset) = xstrdup(value);
		return 0;
	case SET_UINT:
		if (parse_int64(value, s->min, s->max, &n) < 0)
			return set_error(err, errlen, "%s: %s must be a whole number from %u to %u, not '%s'", where,
					 s->name, s->min, s->max, value);
		*(unsigned *)(base + s->offset) = (unsigned)n;
		return 0;
	case SET_BOOL:
		if (!strcmp(value, "on") || !strcmp(value, "true") || !strcmp(value, "1") || !strcmp(value, "yes"))
			*(int *)(base + s->offset) = 1;
		else if (!strcmp(value, "off") || !strcmp(value, "false") || !strcmp(value, "0") ||
			 !strcmp(value, "no"))
			*(int *)(base + s->offset) = 0;
		else
			return set_error(err, errlen, "%s: %s must be on or off, not '%s'", where, s->name, value);
		return 0;
	}
	return set_error(err, errlen, "unknown setting type");
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Reads the INI file; only keys not already set by a flag or the environment apply. */
static int load_ini(struct config *cfg, const char *path, unsigned char *set, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[1024], section[64] = "";
	int lineno = 0, rc = 0;

	if (!f)
		return set_error(err, errlen, "cannot read config file '%s'", path);
	while (fgets(line, sizeof(line), f)) {
		char *p, *eq, *key, *val, where[300], want[64];
		size_t i;
		int found = 0;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			rc = set_error(err, errlen, "%s:%d: line too long", path, lineno);
			break;
		}
		p = trim(line);
		if (!*p || *p == '#' || *p == ';')
			continue;
		if (*p == '[') {
			char *e = strchr(p, ']');
			if (!e || e[1] || (size_t)(e - p - 1) >= sizeof(section)) {
				rc = set_error(err, errlen, "%s:%d: bad section header", path, lineno);
				break;
			}
			*e = '\0';
			snprintf(section, sizeof(section), "%s", trim(p + 1));
			continue;
		}
		eq = strchr(p, '=');
		if (!eq) {
			rc = set_error(err, errlen, "%s:%d: expected key = value", path, lineno);
			break;
		}
		*eq = '\0';
		key = trim(p);
		val = trim(eq + 1);
		if (*val == '"' && strlen(val) >= 2 && val[strlen(val) - 1] == '"') {
			val[strlen(val) - 1] = '\0';
			val++;
		}
		snprintf(where, sizeof(where), "%s:%d", path, lineno);
		for (i = 0; i < YL_ARRAY_LEN(settings); i++) {
			ini_key(&settings[i], want, sizeof(want));
			if (strcmp(settings[i].section, section) || strcmp(want, key))
				continue;
			found = 1;
			if (!set[i]) {
				if (apply(cfg, &settings[i], val, where, err, errlen) < 0)
					rc = -1;
				set[i] = 2;	/* 2: from the file; a later line may not repeat it */
			} else if (set[i] == 2) {
				rc = set_error(err, errlen, "%s: %s is set twice", where, key);
			}
			break;
		}
		if (rc < 0)
			break;
		if (!found) {
			rc = set_error(err, errlen, "%s: unknown setting '%s' in [%s]", where, key, section);
			break;
		}
	}
	fclose(f);
	return rc;
}

static int load_all(struct config *cfg, int *argc, char **argv, char *err, size_t errlen)
{
	unsigned char set[YL_ARRAY_LEN(settings)] = { 0 };
	const char *ini = NULL;
	size_t i;
	int a, out = 1;

	memset(cfg, 0, sizeof(*cfg));
	/* Flags first: they win. */
	for (a = 1; a < *argc; a++) {
		const char *arg = argv[a], *val = NULL, *eq;
		char name[64];
		int matched = 0;

		if (strcmp(arg, "--") == 0) {
			while (a < *argc)
				argv[out++] = argv[a++];
			break;
		}
		if (strncmp(arg, "--", 2) != 0) {
			argv[out++] = argv[a];
			continue;
		}
		eq = strchr(arg, '=');
		snprintf(name, sizeof(name), "%.*s", (int)(eq ? eq - arg - 2 : (long)strlen(arg) - 2), arg + 2);
		if (strcmp(name, "config") == 0) {
			val = eq ? eq + 1 : (a + 1 < *argc ? argv[++a] : NULL);
			if (!val || !*val)
				return set_error(err, errlen, "--config needs a file name");
			ini = val;
			continue;
		}
		for (i = 0; i < YL_ARRAY_LEN(settings); i++) {
			char where[80];

			if (strcmp(settings[i].name, name))
				continue;
			matched = 1;
			val = eq ? eq + 1 : (a + 1 < *argc ? argv[++a] : NULL);
			if (!val)
				return set_error(err, errlen, "--%s needs a value", name);
			snprintf(where, sizeof(where), "--%s", name);
			if (apply(cfg, &settings[i], val, where, err, errlen) < 0)
				return -1;
			set[i] = 1;
			break;
		}
		if (!matched)
			argv[out++] = argv[a];	/* the subcommand's own flag */
	}
	*argc = out;
	argv[out] = NULL;

	for (i = 0; i < YL_ARRAY_LEN(settings); i++) {
		char env[64];
		const char *v;

		if (set[i])
			continue;
		env_name(&settings[i], env, sizeof(env));
		v = getenv(env);
		if (v && *v) {
			if (apply(cfg, &settings[i], v, env, err, errlen) < 0)
				return -1;
			set[i] = 1;
		}
	}

	if (!ini) {
		const char *e = getenv("YUANLUO_CONFIG");
		FILE *probe;

		if (e && *e)
			ini = e;
		else if ((probe = fopen("yuanluo.ini", "r")) != NULL) {
			fclose(probe);
			ini = "yuanluo.ini";
		}
#ifdef YUANLUO_CONFIG_FILE
		else if ((probe = fopen(YUANLUO_CONFIG_FILE, "r")) != NULL) {
			fclose(probe);
			ini = YUANLUO_CONFIG_FILE;
		}
#endif
	}
	if (ini) {
		cfg->config_file = xstrdup(ini);
		if (load_ini(cfg, ini, set, err, errlen) < 0)
			return -1;
	}

	for (i = 0; i < YL_ARRAY_LEN(settings); i++)
		if (!set[i] && apply(cfg, &settings[i], settings[i].def, "default", err, errlen) < 0)
			return -1;
	return 0;
}

int config_load(struct config *cfg, int *argc, char **argv, char *err, size_t errlen)
{
	if (load_all(cfg, argc, argv, err, errlen) < 0) {
		config_release(cfg);	/* a refused configuration leaves nothing to free */
		return -1;
	}
	return 0;
}

void config_release(struct config *cfg)
{
	size_t i;

	for (i = 0; i < YL_ARRAY_LEN(settings); i++)
		if (settings[i].type != SET_UINT && settings[i].type != SET_BOOL)
			free(*(char **)((char *)cfg + settings[i].offset));
	free(cfg->config_file);
	memset(cfg, 0, sizeof(*cfg));
}

void config_print_help(void)
{
	size_t i;

	printf("Settings (flag, environment variable, INI [section] key; default):\n");
	for (i = 0; i < YL_ARRAY_LEN(settings); i++) {
		char env[64], key[64];

		env_name(&settings[i], env, sizeof(env));
		ini_key(&settings[i], key, sizeof(key));
		printf("  --%-18s %-26s [%s] %-16s %s (default %s)\n", settings[i].name, env, settings[i].section,
		       key, settings[i].help, *settings[i].def ? settings[i].def : "none");
	}
#ifdef YUANLUO_CONFIG_FILE
	printf("  --config FILE        YUANLUO_CONFIG             an INI file (default ./yuanluo.ini if present, else "
	       YUANLUO_CONFIG_FILE ")\n");
#else
	printf("  --config FILE        YUANLUO_CONFIG             an INI file (default ./yuanluo.ini if present)\n");
#endif
}
