/*
 * account.h - user accounts: Argon2id password hashes (libsodium) and the data
 * key file kept outside the database.
 */
#ifndef YL_ACCOUNT_H
#define YL_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/fault.h"

/* Once per process, before any other libsodium call; -1 when libsodium cannot start. */
int auth_init(void);

/* A random password of len characters (len >= 12) with all four character classes. */
void auth_generate_password(char *out, size_t len);

/* Number of accounts with the admin role. */
int account_admin_count(struct store *s, int64_t *n, struct fault *f);

/*
 * Creates the data key file (32 random bytes, mode 0600) when it is not there.
 * Returns 1 when created, 0 when it was already there with the right size and mode, -1 with err.
 */
int keyfile_ensure(const char *path, char *err, size_t errlen);

#endif
