/* unit_db.c - a temporary, migrated database for unit tests (compiled into every test binary). */
#include "unit.h"
#include "auth/pii.h"
#include "store/store.h"

static char unit_db_path[64];

struct store *unit_db_open(void)
{
	char err[256];
	struct store *s;
	int fd;

	static const unsigned char test_key[32] = { 42 };

	/* Personal data is encrypted on write: every test database comes with a key. */
	pii_init_with_key(test_key);
	snprintf(unit_db_path, sizeof(unit_db_path), "/tmp/yuanluo-unit-XXXXXX");
	fd = mkstemp(unit_db_path);
	if (fd < 0)
		return NULL;
	close(fd);
	s = store_open(unit_db_path, err, sizeof(err));
	if (!s)
		return NULL;
	if (store_migrate(s, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "migrate: %s\n", err);
		store_close(s);
		return NULL;
	}
	return s;
}

void unit_db_close(struct store *s)
{
	char p[80];

	store_close(s);
	unlink(unit_db_path);
	snprintf(p, sizeof(p), "%s-wal", unit_db_path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", unit_db_path);
	unlink(p);
}
