/*
 * cli_calendar.c - `yuanluo calendar [load [--dry-run] FILE...|show YEAR|years]`,
 * and the step of `yuanluo init` that loads the shipped calendars
 * (share/calendar/YYYY.csv).
 *
 * A year not loaded is counted on the provisional calendar (calendar.h);
 * `yuanluo calendar` (or `years`) says which year awaits its official file and
 * how to load it, and `show YEAR` shows the provisional days of a year not
 * loaded.  A load counts again the provisional deadlines of open orders
 * (workorder/recalc.c) and prints each that moved; --dry-run prints them and
 * changes nothing.
 *
 * A load reads and checks every file first and prints every bad line as
 * FILE:LINE: reason; then nothing is loaded and the exit status is 1.  Good
 * files are loaded together in one transaction, each year replacing what it
 * had, and audited like the API's PUT, with the operating-system user as the
 * actor ("cli:NAME").  The calendar needs no data key: these commands open the
 * database without one.
 */
#include "auth/account.h"
#include "auth/pii.h"
#include "calendar/calendar.h"
#include "cli/cli.h"
#include "store/store.h"
#include "util/util.h"
#include "workorder/workorder.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CALENDAR_FILE_MAX (4u << 20)	/* a year's calendar is a few kilobytes */

static struct store *open_db(const struct config *cfg)
{
	char err[512];
	struct store *s;

	/* The audit log's hash chain uses libsodium. */
	if (auth_init() < 0) {
		fprintf(stderr, "yuanluo calendar: libsodium cannot start\n");
		return NULL;
	}
	/* A load counts open orders' deadlines again, and reads them whole: with the data key when there is one. */
	if (!pii_ready() && access(cfg->key_file, R_OK) == 0 && pii_init(cfg->key_file, err, sizeof(err)) < 0) {
		fprintf(stderr, "yuanluo calendar: %s\n", err);
		return NULL;
	}
	s = store_open(cfg->db, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "yuanluo calendar: %s\n", err);
		return NULL;
	}
	if (store_migrate(s, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "yuanluo calendar: %s\n", err);
		store_close(s);
		return NULL;
	}
	return s;
}

static int read_file(const char *path, struct buf *out)
{
	FILE *fp = fopen(path, "rb");
	char chunk[65536];
	size_t n;
	int bad;

	if (!fp)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		buf_add(out, chunk, n);
		if (out->len > CALENDAR_FILE_MAX) {
			fclose(fp);
			errno = EFBIG;
			return -1;
		}
	}
	bad = ferror(fp);
	fclose(fp);
	return bad ? -1 : 0;
}

static int audit_load(struct store *s, int year, const char *path, int changed)
{
	char id[16], *detail = xasprintf("%s from %s", changed ? "loaded" : "unchanged", path);
	int rc;

	snprintf(id, sizeof(id), "%d", year);
	rc = cli_audit(s, "calendar load", "calendar", id, "success", detail);
	free(detail);
	return rc;
}

/*
 * Reads and checks every file, then loads them all in one transaction.
 * Prints every problem as FILE:LINE: reason.  Returns 0, or 1 when nothing
 * was loaded.  verbose: one line per year on stdout.
 */
/* The recounted deadlines of one file's year, a line each (those that moved, or all with verbose). */
static void print_recount(const struct wo_recalc *rc, int year, int dry_run)
{
	size_t i, moved = 0;

	for (i = 0; i < rc->n; i++) {
		const struct wo_recalc_item *it = &rc->items[i];
		char a[40], b[40];

		if (it->before == it->after && !strcmp(it->card_before, it->card_after))
			continue;
		moved++;
		time_format_local(it->before, a, sizeof(a));
		time_format_local(it->after, b, sizeof(b));
		printf("  %s %s: %s -> %s%s", it->number, it->field, a, b, it->still_provisional ? " (still provisional)" : "");
		if (strcmp(it->card_before, it->card_after))
			printf("; %s card withdrawn", it->card_before);
		printf("\n");
	}
	printf("%d: %zu provisional deadline%s of open orders %s, %zu moved\n", year, rc->n, rc->n == 1 ? "" : "s",
	       dry_run ? "would be counted again" : "counted again", moved);
	for (i = 0; i < rc->nodes.n; i++) {
		const struct tn_recount_item *it = &rc->nodes.items[i];
		char a[40], b[40];

		time_format_local(it->before, a, sizeof(a));
		time_format_local(it->after, b, sizeof(b));
		printf("  %s %lld (time node %lld): %s -> %s%s\n", it->kind, (long long)it->ref_id,
		       (long long)it->time_node_id, a, b, it->still_provisional ? " (still provisional)" : "");
	}
}

static int load_files(struct store *s, const char *cmd, char *const *paths, size_t n, int verbose, int dry_run)
{
	struct calendar_file *files = xcalloc(n ? n : 1, sizeof(*files));
	int *changed = xcalloc(n ? n : 1, sizeof(*changed));
	struct fault f = { 0 };
	size_t i, j;
	int bad = 0, rc;

	for (i = 0; i < n; i++) {
		struct buf text = BUF_INIT;

		buf_init(&text);
		if (read_file(paths[i], &text) < 0) {
			fprintf(stderr, "%s: cannot read: %s\n", paths[i],
				errno == EFBIG ? "larger than a calendar file can be" : strerror(errno));
			bad = 1;
		} else if (calendar_file_parse(&files[i], text.data, text.len, 0, &f) < 0) {
			for (j = 0; j < files[i].nproblems; j++)
				fprintf(stderr, "%s:%zu: %s\n", paths[i], files[i].problems[j].line,
					files[i].problems[j].reason);
			bad = 1;
		}
		buf_release(&text);
		for (j = 0; j < i && files[i].year && !files[i].nproblems; j++) {
			if (files[j].year == files[i].year && !files[j].nproblems) {
				fprintf(stderr, "%s: the calendar of %d is also in %s: give one file a year\n", paths[i],
					files[i].year, paths[j]);
				bad = 1;
			}
		}
	}
	if (bad) {
		fprintf(stderr, "yuanluo %s: nothing was loaded\n", cmd);
		rc = 1;
		goto out;
	}
	if (store_begin_write(s) != STORE_OK) {
		fprintf(stderr, "yuanluo %s: %s\n", cmd, store_errmsg(s));
		rc = 1;
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct wo_recalc recount;

		if (wo_calendar_load(s, &files[i], paths[i], dry_run, &changed[i], &recount, &f) < 0) {
			store_rollback(s);
			fprintf(stderr, "yuanluo %s: %s: %s; nothing was loaded\n", cmd, paths[i], f.message);
			rc = 1;
			goto out;
		}
		if (verbose || recount.n)
			print_recount(&recount, files[i].year, dry_run);
		wo_recalc_release(&recount);
		if (!dry_run && audit_load(s, files[i].year, paths[i], changed[i]) < 0) {
			store_rollback(s);
			fprintf(stderr, "yuanluo %s: nothing was loaded\n", cmd);
			rc = 1;
			goto out;
		}
	}
	if (dry_run) {
		store_rollback(s);
		printf("dry run: nothing was loaded\n");
		rc = 0;
		goto out;
	}
	if (store_commit(s) != STORE_OK) {
		fprintf(stderr, "yuanluo %s: %s; nothing was loaded\n", cmd, store_errmsg(s));
		rc = 1;
		goto out;
	}
	for (i = 0; verbose && i < n; i++)
		printf("%d: %zu special days %s from %s\n", files[i].year, files[i].n, changed[i] ? "loaded" : "unchanged",
		       paths[i]);
	rc = 0;
out:
	for (i = 0; i < n; i++)
		calendar_file_release(&files[i]);
	free(files);
	free(changed);
	return rc;
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The folder of the shipped calendars: the setting as it is (relative to the
 * working directory); for the default, also next to the binary, so that init
 * works from any folder.  NULL when neither exists (caller frees).
 */
static char *find_calendar_dir(const char *setting)
{
	char exe[PATH_MAX], *slash, *p;
	ssize_t n;

	if (is_dir(setting))
		return xstrdup(setting);
	if (setting[0] == '/' || strcmp(setting, "share/calendar") != 0)
		return NULL;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	p = xasprintf("%s/%s", exe, setting);
	if (is_dir(p))
		return p;
	free(p);
	return NULL;
}

int cli_calendar_init(struct store *s, const struct config *cfg)
{
	char *dir = find_calendar_dir(cfg->calendar_dir), **paths = NULL;
	size_t n = 0, i;
	struct dirent *de;
	DIR *d;
	int rc;

	if (!dir) {
		if (strcmp(cfg->calendar_dir, "share/calendar") != 0) {
			fprintf(stderr, "yuanluo init: the calendar folder '%s' does not exist\n", cfg->calendar_dir);
			return -1;
		}
		fprintf(stderr, "yuanluo init: warning: no folder share/calendar here or next to the binary: no "
			"working-day calendar loaded; load them with 'yuanluo calendar load FILE...'\n");
		return 0;
	}
	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "yuanluo init: cannot read the calendar folder '%s': %s\n", dir, strerror(errno));
		free(dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len < 5 || strcmp(de->d_name + len - 4, ".csv") != 0)
			continue;
		paths = xrealloc(paths, (n + 1) * sizeof(*paths));
		paths[n++] = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	qsort(paths, n, sizeof(*paths), cmp_str);
	rc = load_files(s, "init", paths, n, 0, 0);
	if (rc == 0 && n > 0) {
		printf("loaded %zu working-day calendar%s from %s\n", n, n == 1 ? "" : "s", dir);
	} else if (rc == 0) {
		fprintf(stderr, "yuanluo init: warning: no calendar (*.csv) in %s\n", dir);
	}
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	free(dir);
	return rc == 0 ? 0 : -1;
}

static const char *const weekday_short[] = { "", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

static int show(struct store *s, const char *arg)
{
	struct calendar_year y;
	struct fault f = { 0 };
	int64_t year;
	size_t i;

	if (parse_int64(arg, 1900, 2200, &year) < 0)
		return cli_usage_error("calendar", "the year must be a whole number from 1900 to 2200, not '%s'", arg);
	if (calendar_year_get(s, (int)year, &y, &f) < 0) {
		if (f.kind != FAULT_NOT_FOUND) {
			fprintf(stderr, "yuanluo calendar: %s\n", f.message);
			return 1;
		}
		calendar_year_provisional((int)year, &y);
	}
	if (y.provisional)
		printf("%d is not loaded: deadlines reaching into it are counted on this provisional calendar\n"
		       "(the statutory holidays of the national regulation, no swapped working days)\n", y.year);
	else
		printf("%d (from %s, loaded %s)\n", y.year, y.source, y.loaded_at);
	for (i = 0; i < y.n; i++) {
		char d[11];

		calendar_day_format(y.entries[i].day, d);
		printf("  %s %s  %-7s  %s\n", d, weekday_short[calendar_weekday(y.entries[i].day)],
		       calendar_kind_name(y.entries[i].kind), y.entries[i].name);
	}
	printf("%lld holidays, %lld swapped working days; %lld working days in %d\n", (long long)y.holidays,
	       (long long)y.workdays, (long long)y.working_days, y.year);
	calendar_year_release(&y);
	return 0;
}

static int years(struct store *s)
{
	struct calendar_year_list l;
	struct fault f = { 0 };
	int awaiting = 0;
	size_t i;

	if (calendar_year_list(s, CALENDAR_ALL_YEARS, 0, &l, &f) < 0) {
		fprintf(stderr, "yuanluo calendar: %s\n", f.message);
		return 1;
	}
	if (l.n == 0)
		printf("no working-day calendar is loaded\n");
	else
		printf("year  holidays  workdays  working days  loaded               source\n");
	for (i = 0; i < l.n; i++)
		printf("%-4d  %8lld  %8lld  %12lld  %-20s %s\n", l.items[i].year, (long long)l.items[i].holidays,
		       (long long)l.items[i].workdays, (long long)l.items[i].working_days, l.items[i].loaded_at,
		       l.items[i].source);
	calendar_year_list_release(&l);
	if (calendar_missing_year(s, time_now_us() / 1000000, &awaiting, &f) < 0) {
		fprintf(stderr, "yuanluo calendar: %s\n", f.message);
		return 1;
	}
	if (awaiting)
		printf("\n%d is not loaded: deadlines reaching into it are provisional (weekends and the statutory\n"
		       "holidays, no swapped working days) and are counted again when it is.  When the State Council\n"
		       "publishes the schedule of %d (each November), write it as %d.csv (date,kind,name: see\n"
		       "share/calendar/) and run\n"
		       "  yuanluo calendar load --dry-run %d.csv    (what would move)\n"
		       "  yuanluo calendar load %d.csv\n"
		       "or PUT it to /api/v1/calendar/%d (text/csv) as an administrator.\n",
		       awaiting, awaiting, awaiting, awaiting, awaiting, awaiting);
	return 0;
}

int cmd_calendar(int argc, char **argv, const struct config *cfg)
{
	struct store *s;
	int rc, i;

	const char *sub = argc < 2 ? "years" : argv[1];
	int dry_run = 0, nfiles = 0;
	char **files = xcalloc((size_t)argc, sizeof(*files));

	if (strcmp(sub, "load") && strcmp(sub, "show") && strcmp(sub, "years")) {
		free(files);
		return cli_usage_error("calendar", "unknown subcommand '%s': use load, show or years", sub);
	}
	for (i = 2; i < argc; i++) {
		if (!strcmp(sub, "load") && !strcmp(argv[i], "--dry-run")) {
			dry_run = 1;
		} else if (argv[i][0] == '-') {
			free(files);
			return cli_usage_error("calendar", "unknown option '%s'", argv[i]);
		} else {
			files[nfiles++] = argv[i];
		}
	}
	if (!strcmp(sub, "load") && nfiles == 0) {
		free(files);
		return cli_usage_error("calendar", "load needs at least one FILE");
	}
	if (!strcmp(sub, "show") && argc != 3) {
		free(files);
		return cli_usage_error("calendar", "show needs exactly one YEAR");
	}
	if (!strcmp(sub, "years") && argc > 2) {
		free(files);
		return cli_usage_error("calendar", "unexpected argument '%s'", argv[2]);
	}
	s = open_db(cfg);
	if (!s) {
		free(files);
		return 1;
	}
	if (!strcmp(sub, "load"))
		rc = load_files(s, "calendar load", files, (size_t)nfiles, 1, dry_run);
	else if (!strcmp(sub, "show"))
		rc = show(s, argv[2]);
	else
		rc = years(s);
	store_close(s);
	free(files);
	return rc;
}
