/*
 * check.c - input checks shared by persons, roles, assignments and care links.
 */
#include "people/check.h"
#include "util/util.h"

#include <string.h>

int people_check_date(const char *field, const char *v, struct fault *f)
{
	if (v && date_valid(v) < 0)
		return fault_set(f, FAULT_INVALID, field, "%s must be a date as YYYY-MM-DD", field);
	return 0;
}

int people_code_valid(const char *code)
{
	size_t n = code ? strlen(code) : 0, i;

	if (n == 0 || n > 40)
		return 0;
	for (i = 0; i < n; i++)
		if (!((code[i] >= 'a' && code[i] <= 'z') || (code[i] >= '0' && code[i] <= '9') || code[i] == '_'))
			return 0;
	return 1;
}
