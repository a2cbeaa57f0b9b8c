/*
 * account.c - the administrator created by `yuanluo init`, and the key file.
 */
#include "auth/account.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int auth_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void auth_generate_password(char *out, size_t len)
{
	static const char *classes[] = { "ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789",
					 "!@#%+=?" };
	static const char all[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#%+=?";
	size_t i;

	if (len < 12)
		fatal("generated passwords are at least 12 characters");
	for (i = 0; i < len; i++) {
		const char *set = i < 4 ? classes[i] : all;
		out[i] = set[randombytes_uniform((uint32_t)strlen(set))];
	}
	/* Shuffle so the class of each position is not predictable. */
	for (i = len - 1; i > 0; i--) {
		size_t j = randombytes_uniform((uint32_t)(i + 1));
		char t = out[i];
		out[i] = out[j];
		out[j] = t;
	}
	out[len] = '\0';
}

static const char SQL_ADMIN_COUNT[] = "SELECT COUNT(*) FROM users WHERE role = 'admin'";

int account_admin_count(struct store *s, int64_t *n, struct fault *f)
{
	int rc = store_query_int64(s, SQL_ADMIN_COUNT, n, 0);

	return rc == STORE_OK ? 0 : store_fault(s, rc, f);
}

int keyfile_ensure(const char *path, char *err, size_t errlen)
{
	unsigned char key[32];
	struct stat sb;
	size_t done = 0;
	int fd;

	if (stat(path, &sb) == 0) {
		if (!S_ISREG(sb.st_mode) || sb.st_size != (off_t)sizeof(key))
			return set_error(err, errlen, "key file '%s' is not a %zu-byte file", path, sizeof(key));
		if (sb.st_mode & 077)
			return set_error(err, errlen, "key file '%s' is readable by others: chmod 600 it", path);
		return 0;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return set_error(err, errlen, "cannot create key file '%s': %s", path, strerror(errno));
	randombytes_buf(key, sizeof(key));
	while (done < sizeof(key)) {
		ssize_t n = write(fd, key + done, sizeof(key) - done);
		if (n <= 0) {
			close(fd);
			unlink(path);
			sodium_memzero(key, sizeof(key));
			return set_error(err, errlen, "cannot write key file '%s'", path);
		}
		done += (size_t)n;
	}
	sodium_memzero(key, sizeof(key));
	if (fsync(fd) < 0 || close(fd) < 0) {
		unlink(path);
		return set_error(err, errlen, "cannot write key file '%s'", path);
	}
	return 1;
}
