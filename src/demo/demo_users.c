/*
 * demo_users.c - one account for each kind of user of the demo, so that every
 * view of the product can be tried: the subdistrict's staff, a community's
 * staff, a courtyard branch secretary, a grid member, a courier acting as a
 * mobile grid member, and the auditor.  Passwords are generated, shown once,
 * and must be changed at first login, like any other account's.
 */
#include "auth/auth.h"
#include "demo/demo.h"
#include "org/org.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *login;
	const char *display_name;
	const char *role;
	enum node_level level;	/* the scope: a node of this level named below (LEVEL_NONE: no scope) */
	const char *scope_name;
} accounts[] = {
	{ "mingshui", "明水街道 工作人员", "subdistrict_staff", LEVEL_SUBDISTRICT, "明水街道" },
	{ "longquan", "龙泉社区 工作人员", "community_staff", LEVEL_COMMUNITY, "龙泉社区" },
	{ "junlin", "君临天下小区 党支部书记", "courtyard_secretary", LEVEL_COURTYARD, "君临天下小区" },
	{ "grid01", "龙泉社区 网格员", "grid_member", LEVEL_COMMUNITY, "龙泉社区" },
	{ "rider01", "龙泉社区 流动网格员（外卖骑手）", "mobile_grid_member", LEVEL_COMMUNITY, "龙泉社区" },
	{ "auditor", "安全审计员", "auditor", LEVEL_NONE, NULL },
};

static int find_node(struct store *s, enum node_level level, const char *name, int64_t *id, struct fault *f)
{
	struct node_filter flt;
	struct node_list l;
	size_t i;

	memset(&flt, 0, sizeof(flt));
	flt.level = level;
	flt.q = name;
	flt.limit = 50;
	if (org_node_list(s, &flt, &l, f) < 0)
		return -1;
	*id = 0;
	for (i = 0; i < l.n && !*id; i++)
		if (strcmp(l.items[i].name, name) == 0)
			*id = l.items[i].id;
	node_list_release(&l);
	if (!*id)
		return fault_set(f, FAULT_NOT_FOUND, NULL, "the demo has no %s named %s", node_level_name(level), name);
	return 0;
}

size_t demo_account_count(void)
{
	return YL_ARRAY_LEN(accounts);
}

int demo_accounts(struct store *s, struct demo_account *out, struct fault *f)
{
	size_t i;

	for (i = 0; i < YL_ARRAY_LEN(accounts); i++) {
		struct user_input in;

		memset(&in, 0, sizeof(in));
		in.login = accounts[i].login;
		in.display_name = accounts[i].display_name;
		in.role = accounts[i].role;
		if (accounts[i].scope_name &&
		    find_node(s, accounts[i].level, accounts[i].scope_name, &in.scope_node_id, f) < 0)
			return -1;
		in.set_scope = in.scope_node_id != 0;
		if (user_create(s, &in, out[i].password, NULL, f) < 0)
			return -1;
		snprintf(out[i].login, sizeof(out[i].login), "%s", accounts[i].login);
		snprintf(out[i].role, sizeof(out[i].role), "%s", accounts[i].role);
		snprintf(out[i].display_name, sizeof(out[i].display_name), "%s", accounts[i].display_name);
	}
	return 0;
}
