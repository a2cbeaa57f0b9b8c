#include "store/store.h"
#include "util/fault.h"

int store_fault(struct store *s, int rc, struct fault *f)
{
	if (rc == STORE_CONSTRAINT)
		return fault_set(f, FAULT_CONFLICT, NULL, "the change conflicts with existing data: %s",
				 store_errmsg(s));
	if (rc == STORE_BUSY)
		return fault_set(f, FAULT_BUSY, NULL, "the database is busy: nothing was done, try again");
	return fault_set(f, FAULT_INTERNAL, NULL, "database error: %s", store_errmsg(s));
}
