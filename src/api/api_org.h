/* api_org.h - handlers and JSON shapes of the organisation tree. */
#ifndef YL_API_ORG_H
#define YL_API_ORG_H

#include "api/api.h"
#include "org/org.h"

json_t *api_node_json(const struct node *n);
json_t *api_party_json(const struct party_org *p);
int api_node_filter(struct http_request *req, struct http_response *res, struct node_filter *flt);

void api_node_create(struct http_request *req, struct http_response *res);
void api_node_get(struct http_request *req, struct http_response *res);
void api_node_update(struct http_request *req, struct http_response *res);
void api_node_list(struct http_request *req, struct http_response *res);
void api_node_tree(struct http_request *req, struct http_response *res);
void api_tree_roots(struct http_request *req, struct http_response *res);
void api_node_history(struct http_request *req, struct http_response *res);
void api_party_create(struct http_request *req, struct http_response *res);
void api_party_get(struct http_request *req, struct http_response *res);
void api_party_update(struct http_request *req, struct http_response *res);
void api_party_list(struct http_request *req, struct http_response *res);
void api_grid_create(struct http_request *req, struct http_response *res);
void api_grid_get(struct http_request *req, struct http_response *res);
void api_grid_update(struct http_request *req, struct http_response *res);
void api_grid_list(struct http_request *req, struct http_response *res);

#endif
