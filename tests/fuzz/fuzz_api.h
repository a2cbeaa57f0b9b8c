/*
 * fuzz_api.h - what the API fuzz targets share (fuzz_api.c): a database made
 * once per process by the real binary (init and the demo tree, no orders), an
 * administrator acting, and a fake libmicrohttpd connection so that handlers
 * reading headers and the query string read them from the fuzz input.
 *
 * Every request runs inside a write transaction that is rolled back, so each
 * input meets the same database.  An answer of 500 or more is a finding (bad
 * input must never be a server error): the target aborts with the answer.
 */
#ifndef YL_FUZZ_API_H
#define YL_FUZZ_API_H

#include <stddef.h>
#include <stdint.h>

#include "http/http.h"

/* Sets up once: the database, the data key, the administrator actor. */
void fuzz_api_setup(void);

/* The fake connection's values: query arguments and headers. */
void fuzz_conn_reset(void);
void fuzz_conn_add(int is_header, const char *key, const char *value);	/* copied */

/*
 * Runs route on req as the administrator, in a transaction rolled back after;
 * checks the answer (aborts on 5xx or an answer that is no JSON where JSON
 * is due).  req->conn is set to the fake connection.
 */
void fuzz_api_run(const struct http_route *route, struct http_request *req);

#endif
