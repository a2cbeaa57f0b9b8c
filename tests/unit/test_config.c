/* test_config.c - src/config/config.c: flags > YUANLUO_* environment > INI file > defaults. */
#include "unit.h"
#include "config/config.h"
#include "util/util.h"

#include <stdarg.h>

extern char **environ;

/* Unsets every YUANLUO_* variable, so the caller's environment cannot leak into a test. */
static void clear_environment(void)
{
	char name[128];
	int again = 1;

	while (again) {
		char **e;

		again = 0;
		for (e = environ; *e; e++) {
			const char *eq = strchr(*e, '=');

			if (strncmp(*e, "YUANLUO_", 8) == 0 && eq && (size_t)(eq - *e) < sizeof(name)) {
				snprintf(name, sizeof(name), "%.*s", (int)(eq - *e), *e);
				unsetenv(name);
				again = 1;	/* environ changed under us: start over */
				break;
			}
		}
	}
}

static char old_cwd[4096];
static char tmp_dir[64];
static char err[512];

/* Each test runs in an empty temporary directory (config_load probes ./yuanluo.ini). */
static int setup(void **state)
{
	(void)state;
	clear_environment();
	if (!getcwd(old_cwd, sizeof(old_cwd)))
		return -1;
	snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/yuanluo-config-XXXXXX");
	if (!mkdtemp(tmp_dir))
		return -1;
	if (chdir(tmp_dir) < 0)
		return -1;
	err[0] = '\0';
	return 0;
}

static const char *const ini_names[] = { "yuanluo.ini", "a.ini", "b.ini" };

static int teardown(void **state)
{
	size_t i;

	(void)state;
	clear_environment();
	for (i = 0; i < YL_ARRAY_LEN(ini_names); i++)
		unlink(ini_names[i]);
	if (chdir(old_cwd) < 0)
		return -1;
	rmdir(tmp_dir);
	return 0;
}

static void write_file(const char *name, const char *text)
{
	FILE *f = fopen(name, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* An argv that config_load may compact: "yuanluo" then the given words, NULL-terminated. */
struct args {
	char *v[32];
	char *keep[32];		/* the original pointers, to free */
	int c, n;
};

static void args_make(struct args *a, ...)
{
	va_list ap;
	const char *w;

	memset(a, 0, sizeof(*a));
	a->keep[a->n++] = xstrdup("yuanluo");
	va_start(ap, a);
	while ((w = va_arg(ap, const char *)) != NULL)
		a->keep[a->n++] = xstrdup(w);
	va_end(ap);
	memcpy(a->v, a->keep, sizeof(a->keep));
	a->c = a->n;
}

static void args_free(struct args *a)
{
	int i;

	for (i = 0; i < a->n; i++)
		free(a->keep[i]);
}

#define ARGS(a, ...) args_make(a, __VA_ARGS__, (const char *)NULL)

static int load(struct config *cfg, struct args *a)
{
	return config_load(cfg, &a->c, a->v, err, sizeof(err));
}

static void test_defaults(void **state)
{
	struct config cfg;
	struct args a;

	(void)state;
	ARGS(&a, "serve");
	assert_int_equal(load(&cfg, &a), 0);
	assert_null(cfg.config_file);
	assert_string_equal(cfg.listen, "127.0.0.1:8080");
	assert_string_equal(cfg.db, "sqlite:yuanluo.db");
	assert_string_equal(cfg.web_root, "web");
	assert_string_equal(cfg.key_file, "yuanluo.key");
	assert_string_equal(cfg.log_level, "info");
	assert_int_equal(cfg.threads, 4);
	assert_int_equal(cfg.max_body, 8388608);
	assert_int_equal(cfg.max_header, 32768);
	assert_int_equal(cfg.conn_timeout, 30);
	assert_int_equal(cfg.max_conns, 1024);
	assert_int_equal(cfg.max_conns_per_ip, 0);
	assert_int_equal(cfg.access_log, 1);
	assert_int_equal(a.c, 2);
	assert_string_equal(a.v[1], "serve");
	assert_null(a.v[2]);
	config_release(&cfg);
	args_free(&a);
}

static void test_flag_forms(void **state)
{
	struct config cfg;
	struct args a;

	(void)state;
	ARGS(&a, "--threads=8", "--listen", "0.0.0.0:9000", "--access-log=off", "--log-level", "debug",
	     "--max-conns-per-ip=5", "--db", "sqlite:/tmp/x.db");
	assert_int_equal(load(&cfg, &a), 0);
	assert_int_equal(cfg.threads, 8);
	assert_string_equal(cfg.listen, "0.0.0.0:9000");
	assert_int_equal(cfg.access_log, 0);
	assert_string_equal(cfg.log_level, "debug");
	assert_int_equal(cfg.max_conns_per_ip, 5);
	assert_string_equal(cfg.db, "sqlite:/tmp/x.db");
	/* only the program name is left */
	assert_int_equal(a.c, 1);
	assert_null(a.v[1]);
	config_release(&cfg);
	args_free(&a);
}

/* "--flag=" with '=' keeps the rest verbatim, '=' included; the later of two flags wins. */
static void test_flag_value_with_equals_and_repeat(void **state)
{
	struct config cfg;
	struct args a;

	(void)state;
	ARGS(&a, "--key-file=a=b", "--threads", "2", "--threads=3");
	assert_int_equal(load(&cfg, &a), 0);
	assert_string_equal(cfg.key_file, "a=b");
	assert_int_equal(cfg.threads, 3);
	config_release(&cfg);
	args_free(&a);
}

static void test_non_settings_left_in_order(void **state)
{
	struct config cfg;
	struct args a;

	(void)state;
	ARGS(&a, "user", "--threads", "6", "add", "-v", "--login=wang", "--db=sqlite:t.db", "--force", "last");
	assert_int_equal(load(&cfg, &a), 0);
	assert_int_equal(cfg.threads, 6);
	assert_string_equal(cfg.db, "sqlite:t.db");
	assert_int_equal(a.c, 7);
	assert_string_equal(a.v[0], "yuanluo");
	assert_string_equal(a.v[1], "user");
	assert_string_equal(a.v[2], "add");
	assert_string_equal(a.v[3], "-v");
	assert_string_equal(a.v[4], "--login=wang");
	assert_string_equal(a.v[5], "--force");
	assert_string_equal(a.v[6], "last");
	assert_null(a.v[7]);
	config_release(&cfg);
	args_free(&a);
}

/* After "--" nothing is a setting: the words are passed on untouched. */
static void test_double_dash_ends_settings(void **state)
{
	struct config cfg;
	struct args a;

	(void)state;
	ARGS(&a, "import", "--threads=2", "--", "--threads=9", "file.csv");
	assert_int_equal(load(&cfg, &a), 0);
	assert_int_equal(cfg.threads, 2);
	assert_int_equal(a.c, 5);
	assert_string_equal(a.v[1], "import");
	assert_string_equal(a.v[2], "--");
	assert_string_equal(a.v[3], "--threads=9");
	assert_string_equal(a.v[4], "file.csv");
	assert_null(a.v[5]);
	config_release(&cfg);
	args_free(&a);
}

static void test_flag_missing_value(void **state)
{
	struct config cfg;
	struct args a;

	(void)state;
	ARGS(&a, "serve", "--listen");
	assert_int_equal(load(&cfg, &a), -1);
	assert_non_null(strstr(err, "--listen"));
	args_free(&a);

	ARGS(&a, "--config");
	assert_int_equal(load(&cfg, &a), -1);
	assert_non_null(strstr(err, "--config"));
	args_free(&a);
}

static void test_environment(void **state)
{
	struct config cfg;
	struct args a;

	(void)state;
	setenv("YUANLUO_THREADS", "12", 1);
	setenv("YUANLUO_MAX_CONNS_PER_IP", "3", 1);
	setenv("YUANLUO_WEB_ROOT", "/srv/web", 1);
	setenv("YUANLUO_ACCESS_LOG", "no", 1);
	setenv("YUANLUO_LISTEN", "", 1);	/* empty counts as not set */
	ARGS(&a, "serve");
	assert_int_equal(load(&cfg, &a), 0);
	assert_int_equal(cfg.threads, 12);
	assert_int_equal(cfg.max_conns_per_ip, 3);
	assert_string_equal(cfg.web_root, "/srv/web");
	assert_int_equal(cfg.access_log, 0);
	assert_string_equal(cfg.listen, "127.0.0.1:8080");
	config_release(&cfg);
	args_free(&a);
}

static void test_flag_beats_environment(void **state)
{
	struct config cfg;
	struct args a;

	(void)state;
	setenv("YUANLUO_THREADS", "12", 1);
	setenv("YUANLUO_LOG_LEVEL", "warn", 1);
	ARGS(&a, "--threads=7");
	assert_int_equal(load(&cfg, &a), 0);
	assert_int_equal(cfg.threads, 7);
	assert_string_equal(cfg.log_level, "warn");
	config_release(&cfg);
	args_free(&a);
}

/* A bad environment value is not looked at when a flag already set the setting. */
static void test_flag_hides_bad_environment(void **state)
{
	struct config cfg;
	struct args a;

	(void)state;
	setenv("YUANLUO_THREADS", "lots", 1);
	ARGS(&a, "--threads=7");
	assert_int_equal(load(&cfg, &a), 0);
	assert_int_equal(cfg.threads, 7);
	config_release(&cfg);
	args_free(&a);
}

static const char full_ini[] =
	"# a comment\n"
	"; another\n"
	"\n"
	"[server]\n"
	"listen = \"10.0.0.1:8081\"\n"
	"threads=16\n"
	"  web_root =  /opt/web  \n"
	"[database]\n"
	"db = sqlite:/var/lib/yuanluo.db\n"
	"[ limits ]\n"
	"max_body = 2048\n"
	"max_conns_per_ip = 9\n"
	"[log]\n"
	"log_level = error\n"
	"access_log = false\n";

static void test_ini_file(void **state)
{
	struct config cfg;
	struct args a;

	(void)state;
	write_file("a.ini", full_ini);
	ARGS(&a, "--config", "a.ini", "serve");
	assert_int_equal(load(&cfg, &a), 0);
	assert_string_equal(cfg.config_file, "a.ini");
	assert_string_equal(cfg.listen, "10.0.0.1:8081");
	assert_int_equal(cfg.threads, 16);
	assert_string_equal(cfg.web_root, "/opt/web");
	assert_string_equal(cfg.db, "sqlite:/var/lib/yuanluo.db");
	assert_int_equal(cfg.max_body, 2048);
	assert_int_equal(cfg.max_conns_per_ip, 9);
	assert_string_equal(cfg.log_level, "error");
	assert_int_equal(cfg.access_log, 0);
	/* not in the file: defaults */
	assert_string_equal(cfg.key_file, "yuanluo.key");
	assert_int_equal(cfg.conn_timeout, 30);
	/* --config is a setting too: taken out of argv */
	assert_int_equal(a.c, 2);
	assert_string_equal(a.v[1], "serve");
	config_release(&cfg);
	args_free(&a);
}

/* The whole order at once: flag > environment > file > default, each setting on its own. */
static void test_precedence(void **state)
{
	struct config cfg;
	struct args a;

	(void)state;
	write_file("a.ini",
		   "[server]\nlisten = file:1\nthreads = 16\nweb_root = file-web\n"
		   "[limits]\nconn_timeout = 60\n");
	setenv("YUANLUO_LISTEN", "env:2", 1);
	setenv("YUANLUO_THREADS", "12", 1);
	ARGS(&a, "--config=a.ini", "--listen=flag:3");
	assert_int_equal(load(&cfg, &a), 0);
	assert_string_equal(cfg.listen, "flag:3");		/* flag over env and file */
	assert_int_equal(cfg.threads, 12);			/* env over file */
	assert_string_equal(cfg.web_root, "file-web");		/* file over default */
	assert_int_equal(cfg.conn_timeout, 60);
	assert_int_equal(cfg.max_conns, 1024);			/* default */
	config_release(&cfg);
	args_free(&a);
}

static void test_ini_from_environment_and_default_name(void **state)
{
	struct config cfg;
	struct args a;

	(void)state;
	write_file("b.ini", "[server]\nthreads = 5\n");
	write_file("yuanluo.ini", "[server]\nthreads = 6\n");
	/* ./yuanluo.ini is read when nothing names a file */
	ARGS(&a, "serve");
	assert_int_equal(load(&cfg, &a), 0);
	assert_string_equal(cfg.config_file, "yuanluo.ini");
	assert_int_equal(cfg.threads, 6);
	config_release(&cfg);
	args_free(&a);
	/* YUANLUO_CONFIG names another */
	setenv("YUANLUO_CONFIG", "b.ini", 1);
	ARGS(&a, "serve");
	assert_int_equal(load(&cfg, &a), 0);
	assert_string_equal(cfg.config_file, "b.ini");
	assert_int_equal(cfg.threads, 5);
	config_release(&cfg);
	args_free(&a);
	/* and --config wins over YUANLUO_CONFIG */
	ARGS(&a, "--config=yuanluo.ini");
	assert_int_equal(load(&cfg, &a), 0);
	assert_int_equal(cfg.threads, 6);
	config_release(&cfg);
	args_free(&a);
}

static void test_ini_missing_file(void **state)
{
	struct config cfg;
	struct args a;

	(void)state;
	ARGS(&a, "--config=nope.ini");
	assert_int_equal(load(&cfg, &a), -1);
	assert_non_null(strstr(err, "nope.ini"));
	args_free(&a);
}

/* Expects the file to be refused with "FILE:LINE" and the words given in the message. */
static void expect_ini_error(const char *text, const char *where, const char *word1, const char *word2)
{
	struct config cfg;
	struct args a;

	write_file("a.ini", text);
	err[0] = '\0';
	ARGS(&a, "--config=a.ini");
	if (load(&cfg, &a) != -1)
		fail_msg("accepted: %s", text);
	if (!strstr(err, where))
		fail_msg("'%s' does not name %s", err, where);
	if (word1 && !strstr(err, word1))
		fail_msg("'%s' does not mention %s", err, word1);
	if (word2 && !strstr(err, word2))
		fail_msg("'%s' does not mention %s", err, word2);
	args_free(&a);
}

static void test_ini_unknown_key_and_section(void **state)
{
	(void)state;
	expect_ini_error("[server]\nthreads = 2\nthread = 3\n", "a.ini:3", "thread", NULL);
	/* a key in the wrong section is unknown there */
	expect_ini_error("[server]\n\ndb = x\n", "a.ini:3", "db", "server");
	expect_ini_error("[limit]\nmax_body = 2048\n", "a.ini:2", "max_body", "limit");
	/* keys before any section belong to none */
	expect_ini_error("threads = 2\n", "a.ini:1", "threads", NULL);
	/* the flag spelling is not the INI key */
	expect_ini_error("[server]\nweb-root = x\n", "a.ini:2", "web-root", NULL);
}

static void test_ini_syntax_errors(void **state)
{
	(void)state;
	expect_ini_error("[server\nthreads = 2\n", "a.ini:1", "section", NULL);
	expect_ini_error("[server]\nthreads\n", "a.ini:2", NULL, NULL);
	expect_ini_error("[server]\nthreads = 2\nthreads = 3\n", "a.ini:3", "twice", NULL);
}

static void test_ini_bad_values(void **state)
{
	(void)state;
	expect_ini_error("[server]\nthreads = 0\n", "a.ini:2", "threads", "'0'");
	expect_ini_error("[server]\nthreads = 257\n", "a.ini:2", "threads", "257");
	expect_ini_error("[server]\nthreads = 4 # workers\n", "a.ini:2", "threads", NULL);
	expect_ini_error("[limits]\nmax_body = 1023\n", "a.ini:2", "max-body", "1024");
	expect_ini_error("[log]\naccess_log = maybe\n", "a.ini:2", "access-log", "maybe");
	expect_ini_error("[log]\nlog_level = verbose\n", "a.ini:2", "log-level", "verbose");
	expect_ini_error("[server]\nlisten =\n", "a.ini:2", "listen", NULL);
}

/* Files written on Windows (CRLF) and files without a final newline read the same. */
static void test_ini_line_endings(void **state)
{
	struct config cfg;
	struct args a;

	(void)state;
	write_file("a.ini", "[server]\r\nthreads = 11\r\n\r\n[log]\r\naccess_log = off");
	ARGS(&a, "--config=a.ini");
	assert_int_equal(load(&cfg, &a), 0);
	assert_int_equal(cfg.threads, 11);
	assert_int_equal(cfg.access_log, 0);
	config_release(&cfg);
	args_free(&a);
}

static void test_ini_line_too_long(void **state)
{
	struct buf text = BUF_INIT;
	int i;

	(void)state;
	buf_adds(&text, "[server]\nweb_root = ");
	for (i = 0; i < 2000; i++)
		buf_addch(&text, 'w');
	buf_adds(&text, "\n");
	expect_ini_error(text.data, "a.ini:2", "long", NULL);
	buf_release(&text);
}

/* Expects the flags (and environment) to be refused with the message naming where and the value. */
static void expect_flag_error(const char *flag, const char *where, const char *value)
{
	struct config cfg;
	struct args a;

	err[0] = '\0';
	ARGS(&a, flag);
	if (load(&cfg, &a) != -1)
		fail_msg("accepted: %s", flag);
	if (!strstr(err, where))
		fail_msg("'%s' does not name %s", err, where);
	if (value && !strstr(err, value))
		fail_msg("'%s' does not quote %s", err, value);
	args_free(&a);
}

static void test_flag_bad_values(void **state)
{
	(void)state;
	expect_flag_error("--threads=0", "--threads", "'0'");
	expect_flag_error("--threads=-1", "--threads", "'-1'");
	expect_flag_error("--threads=four", "--threads", "four");
	expect_flag_error("--threads=", "--threads", NULL);
	expect_flag_error("--threads=4.0", "--threads", "4.0");
	expect_flag_error("--max-header=4095", "--max-header", "4095");
	expect_flag_error("--max-body=1073741825", "--max-body", "1073741825");
	expect_flag_error("--max-conns=99999999999999999999", "--max-conns", NULL);
	expect_flag_error("--conn-timeout=3601", "--conn-timeout", "3601");
	expect_flag_error("--access-log=enabled", "--access-log", "enabled");
	expect_flag_error("--access-log=ON", "--access-log", "ON");
	expect_flag_error("--log-level=trace", "--log-level", "trace");
	expect_flag_error("--log-level=INFO", "--log-level", "INFO");
	expect_flag_error("--db=", "--db", NULL);
	expect_flag_error("--config=", "--config", NULL);
}

static void test_range_edges_accepted(void **state)
{
	struct config cfg;
	struct args a;

	(void)state;
	ARGS(&a, "--threads=256", "--max-body=1024", "--max-header=1048576", "--conn-timeout=1",
	     "--max-conns=100000", "--max-conns-per-ip=0");
	assert_int_equal(load(&cfg, &a), 0);
	assert_int_equal(cfg.threads, 256);
	assert_int_equal(cfg.max_body, 1024);
	assert_int_equal(cfg.max_header, 1048576);
	assert_int_equal(cfg.conn_timeout, 1);
	assert_int_equal(cfg.max_conns, 100000);
	assert_int_equal(cfg.max_conns_per_ip, 0);
	config_release(&cfg);
	args_free(&a);
}

static void test_booleans(void **state)
{
	static const char *on[] = { "on", "true", "1", "yes" }, *off[] = { "off", "false", "0", "no" };
	struct config cfg;
	struct args a;
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		setenv("YUANLUO_ACCESS_LOG", off[i], 1);
		ARGS(&a, "x");
		assert_int_equal(load(&cfg, &a), 0);
		assert_int_equal(cfg.access_log, 0);
		config_release(&cfg);
		args_free(&a);
		setenv("YUANLUO_ACCESS_LOG", on[i], 1);
		ARGS(&a, "x");
		assert_int_equal(load(&cfg, &a), 0);
		assert_int_equal(cfg.access_log, 1);
		config_release(&cfg);
		args_free(&a);
	}
}

static void test_environment_bad_values_name_variable(void **state)
{
	struct config cfg;
	struct args a;

	(void)state;
	setenv("YUANLUO_MAX_CONNS", "0", 1);
	ARGS(&a, "serve");
	assert_int_equal(load(&cfg, &a), -1);
	assert_non_null(strstr(err, "YUANLUO_MAX_CONNS"));
	assert_non_null(strstr(err, "'0'"));
	args_free(&a);
	unsetenv("YUANLUO_MAX_CONNS");

	setenv("YUANLUO_LOG_LEVEL", "loud", 1);
	ARGS(&a, "serve");
	assert_int_equal(load(&cfg, &a), -1);
	assert_non_null(strstr(err, "YUANLUO_LOG_LEVEL"));
	assert_non_null(strstr(err, "loud"));
	args_free(&a);
	unsetenv("YUANLUO_LOG_LEVEL");

	setenv("YUANLUO_ACCESS_LOG", "sometimes", 1);
	ARGS(&a, "serve");
	assert_int_equal(load(&cfg, &a), -1);
	assert_non_null(strstr(err, "YUANLUO_ACCESS_LOG"));
	args_free(&a);
}

/* A value the file gets wrong does not matter when a flag or the environment set that setting. */
static void test_file_value_shadowed(void **state)
{
	struct config cfg;
	struct args a;

	(void)state;
	write_file("a.ini", "[server]\nthreads = 9999\n[log]\nlog_level = chatty\n");
	setenv("YUANLUO_LOG_LEVEL", "warn", 1);
	ARGS(&a, "--config=a.ini", "--threads=3");
	assert_int_equal(load(&cfg, &a), 0);
	assert_int_equal(cfg.threads, 3);
	assert_string_equal(cfg.log_level, "warn");
	config_release(&cfg);
	args_free(&a);
}

/* A refused load leaves nothing to free and a released config may be released again. */
static void test_failed_load_leaves_nothing(void **state)
{
	struct config cfg;
	struct args a;

	(void)state;
	write_file("a.ini", "[server]\nlisten = 1.2.3.4:5\nthreads = 0\n");
	ARGS(&a, "--config=a.ini", "--db=sqlite:x.db", "--key-file=k");
	assert_int_equal(load(&cfg, &a), -1);
	assert_null(cfg.config_file);
	assert_null(cfg.db);
	assert_null(cfg.listen);
	config_release(&cfg);
	args_free(&a);
	ARGS(&a, "serve");
	assert_int_equal(load(&cfg, &a), 0);
	config_release(&cfg);
	config_release(&cfg);
	assert_null(cfg.listen);
	args_free(&a);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_defaults),
		T(test_flag_forms),
		T(test_flag_value_with_equals_and_repeat),
		T(test_non_settings_left_in_order),
		T(test_double_dash_ends_settings),
		T(test_flag_missing_value),
		T(test_environment),
		T(test_flag_beats_environment),
		T(test_flag_hides_bad_environment),
		T(test_ini_file),
		T(test_precedence),
		T(test_ini_from_environment_and_default_name),
		T(test_ini_missing_file),
		T(test_ini_unknown_key_and_section),
		T(test_ini_syntax_errors),
		T(test_ini_bad_values),
		T(test_ini_line_endings),
		T(test_ini_line_too_long),
		T(test_flag_bad_values),
		T(test_range_edges_accepted),
		T(test_booleans),
		T(test_environment_bad_values_name_variable),
		T(test_file_value_shadowed),
		T(test_failed_load_leaves_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
