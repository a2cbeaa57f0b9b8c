/*
 * api_auth.h - the guard every API request passes (api_guard.c) and the
 * handlers of logins, users, tokens and the audit log (api_auth.c).
 */
#ifndef YL_API_AUTH_H
#define YL_API_AUTH_H

#include "api/api.h"
#include "auth/auth.h"

#define API_SESSION_COOKIE "yl_session"

void api_auth_configure(const struct auth_settings *s, int secure_cookie);
const struct auth_settings *api_auth_settings(void);
int api_cookie_secure(void);

/* The transport's dispatch hook: authenticate, authorise, run, audit. */
void api_dispatch(const struct http_route *route, struct http_request *req, struct http_response *res);

/* Writes an audit row (inside the current transaction when there is one). */
void api_audit(struct store *s, const struct http_request *req, const char *action, const char *object_type,
	       const char *object_id, const char *result, const char *detail);

/* A detail for this request's audit row ("revealed phone,id_number"). */
void api_audit_note(struct http_request *req, const char *note);

#endif
