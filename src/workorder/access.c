/*
 * access.c - who sees a work order.  DOMAIN.md, personal data: every user sees
 * only the part of the tree their role covers; mobile grid members can only
 * report, and see what they reported.
 */
#include "workorder/wo_internal.h"
#include "org/org.h"

int wo_can(const struct actor *a, const char *permission)
{
	return !a || actor_can(a, permission);
}

int wo_in_scope(struct store *s, const struct actor *a, int64_t node)
{
	if (!a || !a->scope_node_id)
		return 1;
	if (!node)
		return 0;
	return org_is_within(s, a->scope_node_id, node);
}

int wo_visible(struct store *s, const struct actor *a, const struct wo_order *o)
{
	int in;

	if (!a)
		return 1;
	/* Without read_all (mobile grid members): what one filed, wherever that is. */
	if (!actor_can(a, "workorder.read_all"))
		return a->user_id && o->created_by == a->user_id;
	if ((in = wo_in_scope(s, a, o->node_id)) != 0)
		return in;
	if (!o->handler_node_id)
		return 0;
	return wo_in_scope(s, a, o->handler_node_id);
}
