/*
 * api_routes.c - the route table: every route of the server, its permission
 * and a one-line summary.  Tests and the OpenAPI description read this table.
 */
#include "api/api.h"
#include "api/api_org.h"

static const struct http_route routes[] = {
	{ "GET", "/healthz", api_healthz, "public", "liveness and database check" },

	{ "GET", "/api/v1/tree", api_tree_roots, "org.read", "the tree from its roots, nested to ?depth=" },
	{ "GET", "/api/v1/nodes", api_node_list, "org.read", "list nodes with filters" },
	{ "POST", "/api/v1/nodes", api_node_create, "org.write", "create a node" },
	{ "GET", "/api/v1/nodes/{id}", api_node_get, "org.read", "one node with its ancestors and party organisation" },
	{ "PATCH", "/api/v1/nodes/{id}", api_node_update, "org.write", "rename, move or update a node" },
	{ "GET", "/api/v1/nodes/{id}/tree", api_node_tree, "org.read", "a subtree, nested to ?depth=" },
	{ "GET", "/api/v1/nodes/{id}/history", api_node_history, "org.read", "renames, moves and changes of a node" },

	{ "GET", "/api/v1/party-orgs", api_party_list, "org.read", "list party organisations" },
	{ "POST", "/api/v1/party-orgs", api_party_create, "org.write", "create a node's party organisation" },
	{ "GET", "/api/v1/party-orgs/{id}", api_party_get, "org.read", "one party organisation" },
	{ "PATCH", "/api/v1/party-orgs/{id}", api_party_update, "org.write", "update a party organisation" },

	{ "GET", "/api/v1/grids", api_grid_list, "org.read", "list grids" },
	{ "POST", "/api/v1/grids", api_grid_create, "org.write", "create a grid" },
	{ "GET", "/api/v1/grids/{id}", api_grid_get, "org.read", "one grid" },
	{ "PATCH", "/api/v1/grids/{id}", api_grid_update, "org.write", "update a grid and the nodes it covers" },
};

const struct http_route *api_routes(size_t *n)
{
	*n = sizeof(routes) / sizeof(routes[0]);
	return routes;
}
