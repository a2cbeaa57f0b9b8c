/*
 * api_openapi.c - GET /api/openapi.json: the OpenAPI 3.1 description of the
 * whole API, docs/openapi.json compiled into the binary (tools/embed-file.sh),
 * so what is served is byte for byte what the repository holds.
 */
#include "api/api.h"

extern const char api_openapi_json[];
extern const size_t api_openapi_json_len;

void api_openapi(struct http_request *req, struct http_response *res)
{
	(void)req;
	http_reply_text(res, 200, "application/json; charset=utf-8", api_openapi_json, api_openapi_json_len);
}
