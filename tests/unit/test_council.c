/*
 * test_council.c - src/council: the quorum and the counting of votes at their
 * boundaries (pure), and on a database: one member one vote (a member of
 * another council, a second vote, an absent member are refused and nothing is
 * written), a meeting closed only with minutes, a show of hands that does not
 * add up, and a resolution whose time node opens with it, is carded red by the
 * sweeper, waits in its owner's inbox and closes when done.
 */
#include "unit.h"
#include "auth/auth.h"
#include "auth/pii.h"
#include "council/council.h"
#include "org/org.h"
#include "timenode/timenode.h"
#include "util/util.h"

#include <string.h>

static void test_quorum(void **state)
{
	(void)state;
	/* 50%: 5 of 10 is enough, 4 is not; 7 members need 4 */
	assert_true(council_quorum_met(10, 5, 50));
	assert_false(council_quorum_met(10, 4, 50));
	assert_int_equal(council_quorum_needed(10, 50), 5);
	assert_int_equal(council_quorum_needed(7, 50), 4);
	assert_false(council_quorum_met(7, 3, 50));
	assert_true(council_quorum_met(7, 4, 50));
	/* two thirds of 9 is 6 (67% rounds up to 7 of 9 would be wrong: 67 * 9 = 603 -> 7) */
	assert_int_equal(council_quorum_needed(9, 67), 7);
	assert_int_equal(council_quorum_needed(9, 66), 6);
	/* 100%: everyone; no members: never */
	assert_false(council_quorum_met(3, 2, 100));
	assert_true(council_quorum_met(3, 3, 100));
	assert_false(council_quorum_met(0, 0, 50));
}

static const char *result_of(int64_t yes, int64_t no, int64_t abstain, int64_t eligible, int q, enum council_pass_rule r)
{
	struct council_tally t = { yes, no, abstain, eligible };
	struct fault f = { 0 };
	const char *res;

	assert_int_equal(council_tally_result(&t, q, r, &res, &f), 0);
	return res;
}

static void test_counting(void **state)
{
	struct council_tally t = { 6, 3, 2, 10 };
	struct fault f = { 0 };
	const char *res;

	(void)state;
	/* simple: more yes than no, abstentions aside */
	assert_string_equal(result_of(3, 2, 5, 10, 50, PASS_SIMPLE), "passed");
	assert_string_equal(result_of(2, 2, 5, 10, 50, PASS_SIMPLE), "rejected");
	/* majority: yes more than half of those cast, abstentions counted as cast */
	assert_string_equal(result_of(3, 2, 5, 10, 50, PASS_MAJORITY), "rejected");
	assert_string_equal(result_of(6, 3, 2, 11, 50, PASS_MAJORITY), "passed");
	assert_string_equal(result_of(5, 5, 0, 10, 50, PASS_MAJORITY), "rejected");
	/* two thirds: 6 of 9 is enough, 5 of 8 is not */
	assert_string_equal(result_of(6, 3, 0, 10, 50, PASS_TWO_THIRDS), "passed");
	assert_string_equal(result_of(5, 3, 0, 10, 50, PASS_TWO_THIRDS), "rejected");
	/* too few cast: no quorum, whatever the yes */
	assert_string_equal(result_of(4, 0, 0, 10, 50, PASS_SIMPLE), "no_quorum");
	assert_string_equal(result_of(4, 0, 1, 10, 50, PASS_SIMPLE), "passed");
	/* counts that do not add up */
	t.eligible = 10;
	t.yes = 6, t.no = 3, t.abstain = 2;
	assert_int_equal(council_tally_result(&t, 50, PASS_MAJORITY, &res, &f), -1);
	assert_string_equal(f.field, "yes");
	t.yes = 1, t.no = -1, t.abstain = 0;
	assert_int_equal(council_tally_result(&t, 50, PASS_MAJORITY, &res, &f), -1);
	assert_string_equal(f.field, "no");
	assert_int_equal(council_pass_rule_parse("two_thirds"), PASS_TWO_THIRDS);
	assert_int_equal(council_pass_rule_parse("most"), PASS_NONE);
}

struct fx {
	struct store *s;
	int64_t sub, com, yard, yard2, owner;
	int64_t council, council2, m[5], other_member;
};

static int64_t make_user(struct store *s, const char *login, int64_t scope)
{
	struct user_input in;
	struct fault f = { 0 };
	int64_t id;

	memset(&in, 0, sizeof(in));
	in.login = login;
	in.role = "community_staff";
	in.scope_node_id = scope;
	in.password = "Unit-Pass-2026!";
	assert_int_equal(user_create(s, &in, NULL, &id, &f), 0);
	return id;
}

static int64_t member(struct store *s, int64_t council, const char *name, const char *seat)
{
	struct council_member_input in = { 0 };
	struct fault f = { 0 };
	int64_t id;

	in.name = name;
	in.seat = seat;
	in.joined_on = "2025-01-01";
	in.phone = "13812341234";
	assert_int_equal(council_member_add(s, council, &in, &id, &f), 0);
	return id;
}

static int setup(void **state)
{
	static const unsigned char key[32] = { 7 };
	struct fx *x = xcalloc(1, sizeof(*x));
	struct council_input in = { 0 };
	struct fault f = { 0 };
	int i;

	pii_init_with_key(key);
	x->s = unit_db_open();
	x->sub = unit_node(x->s, 0, LEVEL_SUBDISTRICT, "明水街道");
	x->com = unit_node(x->s, x->sub, LEVEL_COMMUNITY, "龙泉社区");
	x->yard = unit_node(x->s, x->com, LEVEL_COURTYARD, "君临天下");
	x->yard2 = unit_node(x->s, x->com, LEVEL_COURTYARD, "龙泉小区");
	x->owner = make_user(x->s, "owner", x->com);
	in.node_id = x->yard;
	in.name = "君临天下议事会";
	in.term_start = "2025-01-01";
	in.term_end = "2027-12-31";
	in.pass_rule = "majority";
	assert_int_equal(council_create(x->s, &in, &x->council, &f), 0);
	in.node_id = x->yard2;
	in.name = "龙泉小区议事会";
	assert_int_equal(council_create(x->s, &in, &x->council2, &f), 0);
	for (i = 0; i < 5; i++)
		x->m[i] = member(x->s, x->council, i == 0 ? "王建国" : "居民代表", i == 1 ? "property" : "resident_rep");
	x->other_member = member(x->s, x->council2, "李明", "building_head");
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;

	unit_db_close(x->s);
	free(x);
	return 0;
}

static int64_t count(struct store *s, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(store_query_int64(s, sql, &n, 0), STORE_OK);
	return n;
}

/* A meeting on 2026-03-07 with members 0..2 present, 3 by proxy of 0, 4 absent; a proposal voted there. */
static int64_t meeting_with_vote(struct fx *x, int64_t *proposal)
{
	static const char *const agenda[] = { "电动车充电桩", "垃圾分类" };
	struct council_meeting_input mi = { "2026-03-07", "君临天下党群服务站", agenda, 2 };
	struct council_attendance att[5] = {
		{ x->m[0], 0, "present" }, { x->m[1], 0, "present" }, { x->m[2], 0, "present" },
		{ x->m[3], x->m[0], "proxy" }, { x->m[4], 0, "absent" },
	};
	struct council_proposal_input pi = { "加装电动车充电桩", "东门停车棚加装 20 个充电口", "resident", "张女士", 0 };
	struct fault f = { 0 };
	int64_t id;

	assert_int_equal(council_meeting_create(x->s, x->council, &mi, &id, &f), 0);
	assert_int_equal(council_meeting_attend(x->s, id, att, 5, &f), 0);
	assert_int_equal(council_proposal_create(x->s, x->council, &pi, 0, proposal, &f), 0);
	assert_int_equal(council_proposal_open_vote(x->s, *proposal, id, NULL, &f), 0);
	return id;
}

static void test_one_member_one_vote(void **state)
{
	struct fx *x = *state;
	struct council_meeting m;
	struct council_proposal p;
	struct fault f = { 0 };
	int64_t meeting, prop;

	meeting = meeting_with_vote(x, &prop);
	assert_int_equal(council_meeting_get(x->s, meeting, &m, &f), 0);
	assert_int_equal(m.members, 5);
	assert_int_equal(m.present, 4);
	assert_int_equal(m.quorum_needed, 3);
	assert_true(m.quorum_met);
	assert_int_equal((int)m.nagenda, 2);
	assert_string_equal(m.agenda[0], "电动车充电桩");
	council_meeting_release(&m);

	assert_int_equal(council_vote(x->s, prop, x->m[0], "yes", 0, &f), 0);
	/* twice */
	assert_int_equal(council_vote(x->s, prop, x->m[0], "no", 0, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	assert_string_equal(f.field, "member_id");
	/* a member of another courtyard's council */
	assert_int_equal(council_vote(x->s, prop, x->other_member, "yes", 0, &f), -1);
	assert_int_equal(f.kind, FAULT_INVALID);
	assert_string_equal(f.field, "member_id");
	/* absent from the meeting */
	assert_int_equal(council_vote(x->s, prop, x->m[4], "yes", 0, &f), -1);
	assert_string_equal(f.field, "member_id");
	/* a choice that is not one */
	assert_int_equal(council_vote(x->s, prop, x->m[1], "maybe", 0, &f), -1);
	assert_string_equal(f.field, "choice");
	assert_int_equal(count(x->s, "SELECT count(*) FROM council_votes"), 1);
	/* represented by proxy: votes */
	assert_int_equal(council_vote(x->s, prop, x->m[3], "yes", 0, &f), 0);
	assert_int_equal(council_vote(x->s, prop, x->m[1], "abstain", 0, &f), 0);
	assert_int_equal(council_vote(x->s, prop, x->m[2], "no", 0, &f), 0);
	/* a show of hands on a proposal with votes recorded is refused: counted from the votes */
	{
		struct council_tally t = { 3, 0, 0, 0 };

		assert_int_equal(council_proposal_decide(x->s, prop, &t, &f), -1);
		assert_int_equal(f.kind, FAULT_CONFLICT);
	}
	assert_int_equal(council_proposal_decide(x->s, prop, NULL, &f), 0);
	assert_int_equal(council_proposal_get(x->s, prop, &p, &f), 0);
	/* 2 yes of 4 cast is not more than half: rejected under the majority rule */
	assert_string_equal(p.status, "rejected");
	assert_int_equal(p.tally.yes, 2);
	assert_int_equal(p.tally.no, 1);
	assert_int_equal(p.tally.abstain, 1);
	assert_int_equal(p.tally.eligible, 5);
	council_proposal_release(&p);
	/* decided: no more votes */
	assert_int_equal(council_vote(x->s, prop, x->m[4], "yes", 0, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
}

static void test_minutes_and_hands(void **state)
{
	struct fx *x = *state;
	struct council_tally t = { 4, 0, 1, 0 };
	struct council_proposal p;
	struct fault f = { 0 };
	int64_t meeting, prop;

	meeting = meeting_with_vote(x, &prop);
	/* 5 hands but 4 present: does not add up, nothing written */
	assert_int_equal(council_proposal_decide(x->s, prop, &t, &f), -1);
	assert_string_equal(f.field, "yes");
	assert_int_equal(count(x->s, "SELECT count(*) FROM council_proposals WHERE status = 'voting'"), 1);
	t.abstain = 0;
	assert_int_equal(council_proposal_decide(x->s, prop, &t, &f), 0);
	assert_int_equal(council_proposal_get(x->s, prop, &p, &f), 0);
	assert_string_equal(p.status, "passed");
	council_proposal_release(&p);
	/* closed only with minutes */
	assert_int_equal(council_meeting_close(x->s, meeting, NULL, 0, &f), -1);
	assert_string_equal(f.field, "minutes");
	assert_int_equal(council_meeting_close(x->s, meeting, "  ", 0, &f), -1);
	assert_string_equal(f.field, "minutes");
	assert_int_equal(count(x->s, "SELECT count(*) FROM council_meetings WHERE status = 'closed'"), 0);
	assert_int_equal(council_meeting_close(x->s, meeting, "一、充电桩：通过。", 0, &f), 0);
	assert_int_equal(council_meeting_close(x->s, meeting, "again", 0, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	/* attendance of a closed meeting stands */
	{
		struct council_attendance a = { x->m[4], 0, "present" };

		assert_int_equal(council_meeting_attend(x->s, meeting, &a, 1, &f), -1);
		assert_int_equal(f.kind, FAULT_CONFLICT);
	}
}

static void test_resolution_on_the_engine(void **state)
{
	struct fx *x = *state;
	struct council_tally t = { 4, 0, 0, 0 };
	struct council_resolution_input ri = { "东门停车棚加装充电桩", "2026-03-09", "2026-03-20", 0 };
	struct council_resolution r;
	struct tn_sweep_report rep;
	struct tn_sweep_policy pol;
	struct tn_inbox box;
	struct actor a;
	struct fault f = { 0 };
	int64_t prop, id;
	size_t i;
	int found = 0;

	meeting_with_vote(x, &prop);
	ri.owner_user_id = x->owner;
	/* not passed yet */
	assert_int_equal(council_resolution_create(x->s, prop, &ri, &id, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	assert_int_equal(council_proposal_decide(x->s, prop, &t, &f), 0);
	/* due before it is given: refused, nothing written */
	ri.due_on = "2026-03-09";
	assert_int_equal(council_resolution_create(x->s, prop, &ri, &id, &f), -1);
	assert_string_equal(f.field, "due_on");
	assert_int_equal(count(x->s, "SELECT count(*) FROM council_resolutions"), 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM time_nodes"), 0);
	ri.due_on = "2026-03-20";
	assert_int_equal(council_resolution_create(x->s, prop, &ri, &id, &f), 0);
	assert_int_equal(count(x->s, "SELECT count(*) FROM time_nodes WHERE kind = 'council_resolution' AND state = 'open'"), 1);
	tn_sweep_policy_default(&pol);
	assert_int_equal(tn_sweep(x->s, unit_local("2026-03-21 00:00:01"), &pol, &rep, &f), 0);
	assert_int_equal(rep.red, 1);
	assert_int_equal(council_resolution_get(x->s, id, &r, &f), 0);
	assert_string_equal(r.card, "red");
	council_resolution_release(&r);
	unit_actor(&a, x->owner, "owner", x->com, "tasks.read,council.read");
	assert_int_equal(tn_inbox(x->s, &a, 10, &box, &f), 0);
	for (i = 0; i < box.n; i++)
		found |= !strcmp(box.items[i].kind, COUNCIL_RESOLUTION_KIND) && box.items[i].id == id;
	tn_inbox_release(&box);
	assert_true(found);
	assert_int_equal(council_resolution_done(x->s, id, NULL, x->owner, 0, &f), -1);
	assert_string_equal(f.field, "evidence");
	/* done before it was given: refused */
	assert_int_equal(council_resolution_done(x->s, id, "x", x->owner, unit_local("2026-03-08 10:00"), &f), -1);
	assert_string_equal(f.field, "at");
	assert_int_equal(council_resolution_done(x->s, id, "已安装 20 个充电口，验收照片见附件", x->owner, unit_local("2026-03-25 10:00"), &f), 0);
	{
		struct council_figures fg;

		/* due 2026-03-20, done on the 25th: due this year, done, not on time */
		assert_int_equal(council_figures(x->s, x->com, 2026, &fg, &f), 0);
		assert_int_equal(fg.resolutions_due, 1);
		assert_int_equal(fg.resolutions_done, 1);
		assert_int_equal(fg.resolutions_on_time, 0);
		assert_int_equal(fg.meetings_held, 0);	/* the meeting is not closed */
	}
	assert_int_equal(count(x->s, "SELECT count(*) FROM time_nodes WHERE kind = 'council_resolution' AND state = 'open'"), 0);
	assert_int_equal(council_resolution_done(x->s, id, "again", x->owner, 0, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
}

static void test_members_and_notices(void **state)
{
	struct fx *x = *state;
	struct council_member_list ml;
	struct notice_input ni = { 0 };
	struct notice_list board;
	struct fault f = { 0 };
	int64_t id;

	/* phones are kept encrypted */
	assert_int_equal(count(x->s, "SELECT count(*) FROM council_members WHERE phone_enc LIKE '%1234%'"), 0);
	assert_int_equal(council_members(x->s, x->council, 0, &ml, &f), 0);
	assert_int_equal((int)ml.n, 5);
	assert_string_equal(ml.items[0].phone, "13812341234");
	council_member_list_release(&ml);
	assert_int_equal(council_member_leave(x->s, x->council, x->m[4], "2024-12-31", &f), -1);
	assert_string_equal(f.field, "left_on");
	assert_int_equal(council_member_leave(x->s, x->council, x->other_member, "2026-01-01", &f), -1);
	assert_int_equal(f.kind, FAULT_NOT_FOUND);
	assert_int_equal(council_member_leave(x->s, x->council, x->m[4], "2026-01-01", &f), 0);
	assert_int_equal(council_member_leave(x->s, x->council, x->m[4], "2026-01-02", &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
	/* a notice ending before it starts */
	ni.node_id = x->com;
	ni.title = "文明公约";
	ni.body = "爱护公物，邻里和睦";
	ni.category = "convention";
	ni.starts_on = "2026-03-10";
	ni.ends_on = "2026-03-09";
	assert_int_equal(notice_create(x->s, &ni, 0, &id, &f), -1);
	assert_string_equal(f.field, "ends_on");
	ni.ends_on = "2026-12-31";
	assert_int_equal(notice_create(x->s, &ni, 0, &id, &f), 0);
	/* a draft is on no board */
	assert_int_equal(notice_board(x->s, x->yard, "2026-06-01", &board, &f), 0);
	assert_int_equal((int)board.n, 0);
	notice_list_release(&board);
	assert_int_equal(notice_publish(x->s, id, &f), 0);
	/* the community's notice shows on its courtyards, in its period only */
	assert_int_equal(notice_board(x->s, x->yard, "2026-06-01", &board, &f), 0);
	assert_int_equal((int)board.n, 1);
	notice_list_release(&board);
	assert_int_equal(notice_board(x->s, x->yard, "2027-01-01", &board, &f), 0);
	assert_int_equal((int)board.n, 0);
	notice_list_release(&board);
	assert_int_equal(notice_withdraw(x->s, id, &f), 0);
	assert_int_equal(notice_board(x->s, x->yard2, "2026-06-01", &board, &f), 0);
	assert_int_equal((int)board.n, 0);
	notice_list_release(&board);
	assert_int_equal(notice_publish(x->s, id, &f), -1);
	assert_int_equal(f.kind, FAULT_CONFLICT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quorum),
		cmocka_unit_test(test_counting),
		cmocka_unit_test_setup_teardown(test_one_member_one_vote, setup, teardown),
		cmocka_unit_test_setup_teardown(test_minutes_and_hands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolution_on_the_engine, setup, teardown),
		cmocka_unit_test_setup_teardown(test_members_and_notices, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
