/*
 * api_csv.h - the JSON of an import's answer, shared by the import routes
 * (api_csv.c) and the import jobs (api_import_jobs.c).
 */
#ifndef YL_API_CSV_H
#define YL_API_CSV_H

#include <jansson.h>

#include "csvio/csvio.h"

/* The first 1000 problems as [{"line","column","reason"}] (a new reference); *more: those left out. */
json_t *api_csv_problems_json(const struct csv_problems *p, size_t *more);
/* Adds a hotline import's placed, waiting, unmatched, unmapped, unmapped_orders, unmapped_more to into. */
void api_csv_hotline_json(json_t *into, const struct csv_hotline_report *rep);

#endif
