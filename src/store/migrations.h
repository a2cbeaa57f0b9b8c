/* migrations.h - the numbered schema migrations compiled into the binary. */
#ifndef YL_MIGRATIONS_H
#define YL_MIGRATIONS_H

struct migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct migration migrations[];
extern const int migrations_count;

#endif
