/*
 * api_people.c - /api/v1/persons, roles, role-sets, assignments, care-links and coverage.
 */
#include "api/api.h"
#include "api/api_routes.h"

const struct http_route api_people_routes[] = {
	{ NULL, NULL, NULL, NULL, NULL },
};
