/*
 * api_csv.c - CSV import (with dry-run) and export of the tree and of persons.
 */
#include "api/api.h"
#include "api/api_routes.h"

const struct http_route api_csv_routes[] = {
	{ NULL, NULL, NULL, NULL, NULL },
};
