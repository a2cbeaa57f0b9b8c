/*
 * cli_stats.c - `yuanluo stats rebuild`: recompute the figures' rollups from the
 * orders and their events (after an import by SQL, a calendar change that
 * touches days already counted, or a building moved to another courtyard).
 */
#include "cli/cli.h"
#include "stats/stats.h"
#include "store/store.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

int cmd_stats(int argc, char **argv, const struct config *cfg)
{
	struct fault f = { 0 };
	struct store *s;
	int64_t orders = 0, t0;
	char detail[64];

	if (argc != 2 || strcmp(argv[1], "rebuild"))
		return cli_usage_error("stats", "use 'stats rebuild'");
	s = cli_open_store(cfg);
	if (!s)
		return 1;
	t0 = mono_now_us();
	if (store_begin_write(s) != STORE_OK || stats_rebuild(s, &orders, &f) < 0) {
		fprintf(stderr, "yuanluo stats rebuild: %s\n", f.message[0] ? f.message : store_errmsg(s));
		store_rollback(s);
		store_close(s);
		return 1;
	}
	snprintf(detail, sizeof(detail), "%lld orders", (long long)orders);
	if (cli_audit(s, "stats rebuild", "stats", NULL, "success", detail) < 0 || store_commit(s) != STORE_OK) {
		fprintf(stderr, "yuanluo stats rebuild: %s\n", store_errmsg(s));
		store_rollback(s);
		store_close(s);
		return 1;
	}
	printf("rebuilt the figures from %lld orders in %.1f s\n", (long long)orders, (double)(mono_now_us() - t0) / 1e6);
	store_close(s);
	return 0;
}
