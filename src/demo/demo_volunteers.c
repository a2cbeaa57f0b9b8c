/*
 * demo_volunteers.c - Mingshui's volunteers on duty (issue 16), through the
 * domain functions of src/volunteer/ as a leader would use them: the 桃花山
 * dormitory's 41 volunteers and 25 party members on a nightly patrol roster
 * (19:00-21:00, two a night, one a party member) and the party members on a
 * weekend emergency duty roster at the north gate; the 香港街 business
 * alliance's volunteers on Saturday mornings; the community's points shop.
 * Three months of shifts are served with check-ins and check-outs, a few
 * late and a few no-shows, and closed at their end (the close kind's work);
 * patrols are logged with what was seen, and the incidents of the last weeks
 * became work orders still in hand.  The next two weeks are planned, some
 * of them still short of people.  One account, the patrol's leader (role
 * volunteer), opens the phone pages.
 *
 * Deterministic: a fixed-seed generator drives every choice; the dates are
 * relative to until.  Runs in the caller's transaction.
 */
#include "demo/demo.h"
#include "auth/auth.h"
#include "calendar/calendar.h"
#include "org/org.h"
#include "util/util.h"
#include "volunteer/volunteer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAST_DAYS 91
#define AHEAD_DAYS 14
#define ORDER_DAYS 25		/* incidents of the last days became work orders, still in hand */

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int rng_range(struct rng *r, int lo, int hi)
{
	return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static int rng_chance(struct rng *r, int percent)
{
	return rng_range(r, 1, 100) <= percent;
}

struct ids {
	int64_t *v;
	size_t n, cap;
};

static int ids_query(struct store *s, const char *sql, int64_t a, struct ids *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, sql, "i", a);
	int rc;

	while (store_next(st, &rc)) {
		YL_GROW(out->v, out->n, out->cap);
		out->v[out->n++] = store_column_int64(st, 0);
	}
	return rc == STORE_DONE ? 0 : store_fault(s, rc, f);
}

static int ids_has(const struct ids *l, int64_t id)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i] == id)
			return 1;
	return 0;
}

static const char SQL_VOLUNTEERS[] =
	"SELECT DISTINCT a.person_id FROM role_assignments a CROSS JOIN roles r WHERE r.id = a.role_id"
	" AND r.code = 'volunteer' AND a.node_id = ? ORDER BY a.person_id";
static const char SQL_PARTY[] =
	"SELECT p.id FROM persons p CROSS JOIN node_closure c WHERE c.descendant_id = p.home_node_id AND c.ancestor_id = ?"
	" AND p.party_member = 1 ORDER BY p.id";
static const char SQL_BUILDINGS[] = "SELECT id FROM nodes WHERE parent_id = ? AND level = 'building' ORDER BY id";

struct roster {
	struct vol_team t;
	int64_t type, people, party, start_min, end_min;
	const struct ids *members, *party_members;
	size_t next, next_party;
};

static void local_time(int32_t day, int minutes, char out[32])
{
	char d[11];

	calendar_day_format(day, d);
	snprintf(out, 32, "%s %02d:%02d", d, (minutes / 60) % 24, minutes % 60);
}

static int make_team(struct store *s, const char *name, const char *kind, int64_t node, int64_t leader, int limit,
		     const struct ids *members, const char *joined, struct vol_team *t, struct fault *f)
{
	struct vol_team_input in;
	int64_t id, mid;
	size_t i;

	memset(&in, 0, sizeof(in));
	in.name = name;
	in.kind = kind;
	in.node_id = node;
	in.weekly_limit_minutes = limit;
	in.set_weekly_limit = limit > 0;
	in.cutoff_hours = 12;
	in.set_cutoff = 1;
	if (volunteer_team_create(s, &in, &id, f) < 0)
		return -1;
	for (i = 0; i < members->n; i++)
		if (volunteer_member_add(s, id, members->v[i], joined, &mid, f) < 0)
			return -1;
	memset(&in, 0, sizeof(in));
	in.leader_person_id = leader;
	in.set_leader = 1;
	if (volunteer_team_update(s, id, &in, f) < 0)
		return -1;
	return volunteer_team_get(s, id, t, f);
}

static int make_type(struct store *s, const struct vol_team *t, const char *name, int minutes, int people, int party,
		     int pph, const char *place, int64_t *id, struct fault *f)
{
	struct vol_shift_type_input in;

	memset(&in, 0, sizeof(in));
	in.name = name;
	in.minutes = minutes;
	in.people = people;
	in.party_members = party;
	in.points_per_hour = pph;
	in.place = place;
	return volunteer_shift_type_create(s, t, &in, id, f);
}

/* The next members in turn who pass the rules: party members first for the places kept for them. */
static int fill(struct store *s, struct roster *r, int64_t shift, int64_t start, int want, struct rng *rng,
		struct demo_volunteer_counts *c, struct fault *f)
{
	int placed = 0, party = 0, tries;
	int64_t id;

	for (tries = 0; placed < want && tries < (int)r->members->n * 2; tries++) {
		int need_party = party < r->party && r->party_members && r->party_members->n;
		const struct ids *from = need_party ? r->party_members : r->members;
		size_t *next = need_party ? &r->next_party : &r->next;
		int64_t person = from->v[(*next + (size_t)rng_range(rng, 0, 2)) % from->n];
		struct fault why = { 0 };

		(*next)++;
		if (volunteer_signup(s, shift, person, "assigned", 0, start - 2 * 86400, &id, &why) < 0) {
			if (why.kind == FAULT_CONFLICT || why.kind == FAULT_INVALID)
				continue;
			*f = why;
			return -1;
		}
		placed++;
		c->places++;
		if (r->party_members && ids_has(r->party_members, person))
			party++;
	}
	return placed;
}

/* The day itself: check-ins and outs, a few late, a few never came; then the close at the end. */
static int serve(struct store *s, int64_t shift, struct rng *rng, struct demo_volunteer_counts *c, struct fault *f)
{
	struct vol_shift sh;
	struct vol_assignment_list l;
	size_t i;

	if (volunteer_shift_get(s, shift, &sh, f) < 0)
		return -1;
	if (volunteer_assignments(s, shift, 1, &l, f) < 0) {
		volunteer_shift_release(&sh);
		return -1;
	}
	for (i = 0; i < l.n; i++) {
		int64_t in, out;

		if (rng_chance(rng, 5)) {
			c->no_shows++;
			continue;
		}
		if (rng_chance(rng, 9)) {
			in = sh.starts_at + rng_range(rng, 15, 40) * 60;
			c->late++;
		} else {
			in = sh.starts_at - rng_range(rng, 0, 8) * 60;
		}
		if (volunteer_check(s, shift, l.items[i].person_id, 0, in, 0, in, f) < 0)
			goto fail;
		if (rng_chance(rng, 85)) {
			out = sh.ends_at - rng_range(rng, 0, 10) * 60;
			if (volunteer_check(s, shift, l.items[i].person_id, 1, out, 0, out, f) < 0)
				goto fail;
		}
	}
	volunteer_assignment_list_release(&l);
	if (volunteer_shift_close(s, shift, sh.ends_at + 60, f) < 0) {
		volunteer_shift_release(&sh);
		return -1;
	}
	volunteer_shift_release(&sh);
	return 0;
fail:
	volunteer_assignment_list_release(&l);
	volunteer_shift_release(&sh);
	return -1;
}

/* One shift of a roster on a day; past ones are served and closed, coming ones partly filled. */
static int shift_on(struct store *s, struct roster *r, int32_t day, int64_t until, struct rng *rng,
		    struct demo_volunteer_counts *c, int64_t *id, struct fault *f)
{
	struct vol_shift_input in;
	char from[32], to[32];
	int64_t start = calendar_day_start(day) + r->start_min * 60, end = calendar_day_start(day) + r->end_min * 60;
	int want = (int)r->people;

	*id = 0;
	if (start <= until && end > until)
		return 0;	/* going on while the demo is loaded: left out */
	local_time(day, (int)r->start_min, from);
	local_time(day, (int)r->end_min, to);
	memset(&in, 0, sizeof(in));
	in.type_id = r->type;
	in.starts_at = from;
	in.ends_at = to;
	in.people = -1;
	in.party_members = -1;
	if (volunteer_shift_create(s, &r->t, &in, 0, start - 7 * 86400, id, f) < 0)
		return -1;
	c->shifts++;
	if (start > until) {
		/* planned: the nearer, the fuller; a few still short */
		if (rng_chance(rng, 30))
			want = rng_range(rng, 0, want - 1);
	}
	if (fill(s, r, *id, start, want, rng, c, f) < 0)
		return -1;
	if (end <= until && serve(s, *id, rng, c, f) < 0)
		return -1;
	return 0;
}

static const char *const SEEN[] = {
	"北门路灯不亮，夜间行人看不清台阶", "车棚内电动车飞线充电", "3号楼楼道堆放纸箱杂物，堵住消防通道",
	"院内窨井盖松动", "西侧围墙有一段破损", "垃圾分类点满溢，异味较大", "陌生车辆长时间占用消防通道",
};

static const char SQL_SHIFT_PLACES[] =
	"SELECT person_id FROM volunteer_assignments WHERE shift_id = ? AND state = 'active' ORDER BY id";

/* Every third night's patrol is logged; a quarter of them saw something; the last weeks' became work orders. */
static int patrol_log(struct store *s, const struct roster *r, int64_t shift, const struct ids *buildings, int64_t until,
		      struct rng *rng, struct demo_volunteer_counts *c, struct fault *f)
{
	struct vol_shift sh;
	struct vol_patrol_input in;
	struct vol_incident_input ii;
	struct vol_patrol p;
	struct ids people = { 0 };
	char from[40], to[40];
	int64_t id, iid, order;
	int rc = -1;

	if (volunteer_shift_get(s, shift, &sh, f) < 0)
		return -1;
	if (ids_query(s, SQL_SHIFT_PLACES, shift, &people, f) < 0 || !people.n) {
		rc = people.n ? -1 : 0;
		goto out;
	}
	time_format_local(sh.starts_at, from, sizeof(from));
	time_format_local(sh.ends_at, to, sizeof(to));
	memset(&in, 0, sizeof(in));
	in.route = "1号楼—3号楼—5号楼—车棚—北门";
	in.started_at = from;
	in.ended_at = to;
	in.shift_id = shift;
	in.person_ids = people.v;
	in.npersons = people.n;
	in.seen = "巡逻一圈，门窗、车棚、消防通道逐一查看";
	if (volunteer_patrol_create(s, &r->t, &in, 0, sh.ends_at + 600, &id, f) < 0)
		goto out;
	c->patrols++;
	if (rng_chance(rng, 25)) {
		memset(&ii, 0, sizeof(ii));
		ii.description = SEEN[rng_range(rng, 0, (int)YL_ARRAY_LEN(SEEN) - 1)];
		ii.node_id = buildings->n ? buildings->v[rng_range(rng, 0, (int)buildings->n - 1)] : r->t.node_id;
		if (volunteer_patrol_get(s, id, &p, f) < 0)
			goto out;
		rc = volunteer_incident_add(s, &p, &ii, &iid, f);
		volunteer_patrol_release(&p);
		if (rc < 0)
			goto out;
		rc = -1;
		c->incidents++;
		if (sh.ends_at > until - ORDER_DAYS * 86400) {
			struct actor a;

			/* reported the evening it was seen, for the courtyard to accept */
			memset(&a, 0, sizeof(a));
			snprintf(a.login, sizeof(a.login), "demo");
			snprintf(a.perms[a.nperms++], sizeof(a.perms[0]), "workorder.create");
			if (volunteer_incident_order(s, &a, iid, 0, "report", NULL, sh.ends_at + 900, &order, f) < 0)
				goto out;
			c->orders++;
		}
	}
	rc = 0;
out:
	free(people.v);
	volunteer_shift_release(&sh);
	return rc;
}

static int find_by_name(struct store *s, enum node_level level, const char *name, int64_t *id, struct fault *f)
{
	struct node_filter flt;
	struct node_list l;
	size_t i;

	memset(&flt, 0, sizeof(flt));
	flt.level = level;
	flt.q = name;
	flt.limit = 20;
	if (org_node_list(s, &flt, &l, f) < 0)
		return -1;
	*id = 0;
	for (i = 0; i < l.n && !*id; i++)
		if (!strcmp(l.items[i].name, name))
			*id = l.items[i].id;
	node_list_release(&l);
	if (!*id)
		return fault_set(f, FAULT_NOT_FOUND, NULL, "the demo has no %s named %s", node_level_name(level), name);
	return 0;
}

static int shop(struct store *s, int64_t node, const struct ids *people, struct rng *rng, struct demo_volunteer_counts *c,
		struct fault *f)
{
	static const struct {
		const char *name;
		int points, stock;
	} items[] = { { "毛巾", 20, 200 }, { "洗衣液", 50, 120 }, { "大米（5公斤）", 120, 60 }, { "食用油（5升）", 150, 40 } };
	int64_t ids[YL_ARRAY_LEN(items)], id;
	size_t i;

	for (i = 0; i < YL_ARRAY_LEN(items); i++) {
		struct vol_item_input in;

		memset(&in, 0, sizeof(in));
		in.name = items[i].name;
		in.node_id = node;
		in.points = items[i].points;
		in.stock = items[i].stock;
		if (volunteer_item_create(s, &in, &ids[i], f) < 0)
			return -1;
	}
	/* a third of those with points exchanged some */
	for (i = 0; i < people->n; i++) {
		struct vol_balance b;
		size_t k = (size_t)rng_range(rng, 0, (int)YL_ARRAY_LEN(items) - 1);

		if (!rng_chance(rng, 33) || volunteer_balance(s, people->v[i], &b, f) < 0)
			continue;
		if (b.points < items[k].points)
			k = 0;
		if (b.points < items[k].points)
			continue;
		if (volunteer_redeem(s, ids[k], people->v[i], 1, 0, &id, f) < 0)
			return -1;
		c->redemptions++;
	}
	return 0;
}

int demo_volunteers(struct store *s, int64_t until, struct demo_volunteer_counts *c, struct fault *f)
{
	struct rng rng = { 0x16d0c0ffee160016ULL };
	struct node dorm;
	struct ids volunteers = { 0 }, party = { 0 }, everyone = { 0 }, hk = { 0 }, buildings = { 0 };
	struct roster patrol, emergency, alliance;
	struct user_input ui;
	int64_t hk_id, id;
	int32_t today, first, d;
	char joined[11];
	size_t i;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	memset(&patrol, 0, sizeof(patrol));
	memset(&emergency, 0, sizeof(emergency));
	memset(&alliance, 0, sizeof(alliance));
	if (!until)
		until = time_now_us() / 1000000;
	today = calendar_day_of(until);
	first = today - PAST_DAYS;
	calendar_day_format(first - 60, joined);
	if (org_node_get_by_code(s, DEMO_STORY_COURTYARD_CODE, &dorm, f) < 0)
		return -1;
	if (find_by_name(s, LEVEL_COURTYARD, "香港街商圈联盟", &hk_id, f) < 0 ||
	    ids_query(s, SQL_VOLUNTEERS, dorm.id, &volunteers, f) < 0 || ids_query(s, SQL_PARTY, dorm.id, &party, f) < 0 ||
	    ids_query(s, SQL_VOLUNTEERS, hk_id, &hk, f) < 0 || ids_query(s, SQL_BUILDINGS, dorm.id, &buildings, f) < 0)
		goto out;
	if (party.n < 2 || volunteers.n < 2 || hk.n < 2) {
		fault_set(f, FAULT_CONFLICT, NULL, "the demo tree has too few volunteers for the rosters");
		goto out;
	}
	for (i = 0; i < party.n; i++) {
		YL_GROW(everyone.v, everyone.n, everyone.cap);
		everyone.v[everyone.n++] = party.v[i];
	}
	for (i = 0; i < volunteers.n; i++)
		if (!ids_has(&everyone, volunteers.v[i])) {
			YL_GROW(everyone.v, everyone.n, everyone.cap);
			everyone.v[everyone.n++] = volunteers.v[i];
		}

	/* The teams, their members and kinds of duty. */
	if (make_team(s, "桃花山宿舍夜间巡逻队", "patrol", dorm.id, party.v[0], 360, &everyone, joined, &patrol.t, f) < 0 ||
	    make_type(s, &patrol.t, "夜间巡逻", 120, 2, 1, 10, "宿舍大院", &patrol.type, f) < 0 ||
	    make_team(s, "桃花山宿舍应急值守队", "emergency", dorm.id, party.v[1], 0, &party, joined, &emergency.t, f) < 0 ||
	    make_type(s, &emergency.t, "北门卡口值守", 240, 3, 1, 15, "宿舍北门", &emergency.type, f) < 0 ||
	    make_team(s, "香港街商圈志愿服务队", "service", hk_id, hk.v[0], 0, &hk, joined, &alliance.t, f) < 0 ||
	    make_type(s, &alliance.t, "文明劝导", 120, 2, 0, 10, "香港街步行街", &alliance.type, f) < 0)
		goto out;
	c->teams = 3;
	c->members = everyone.n + party.n + hk.n;
	patrol.people = 2;
	patrol.party = 1;
	patrol.start_min = 19 * 60;
	patrol.end_min = 21 * 60;
	patrol.members = &everyone;
	patrol.party_members = &party;
	emergency.people = 3;
	emergency.party = 1;
	emergency.start_min = 8 * 60;
	emergency.end_min = 12 * 60;
	emergency.members = &party;
	emergency.party_members = &party;
	alliance.people = 2;
	alliance.start_min = 9 * 60;
	alliance.end_min = 11 * 60;
	alliance.members = &hk;

	/* Three months served and two weeks ahead: every evening's patrol, the weekend duty, Saturday mornings. */
	for (d = first; d <= today + AHEAD_DAYS; d++) {
		int wd = calendar_weekday(d);

		if (shift_on(s, &patrol, d, until, &rng, c, &id, f) < 0)
			goto out;
		if (id && d < today && (d - first) % 3 == 0 && patrol_log(s, &patrol, id, &buildings, until, &rng, c, f) < 0)
			goto out;
		if ((wd == 6 || wd == 7) && shift_on(s, &emergency, d, until, &rng, c, &id, f) < 0)
			goto out;
		if (wd == 6 && shift_on(s, &alliance, d, until, &rng, c, &id, f) < 0)
			goto out;
	}
	if (shop(s, dorm.parent_id, &everyone, &rng, c, f) < 0)
		goto out;

	/* The patrol's leader logs in on the phone. */
	memset(&ui, 0, sizeof(ui));
	ui.login = "taohua";
	ui.display_name = "桃花山宿舍巡逻队 队长";
	ui.set_display_name = 1;
	ui.role = "volunteer";
	ui.scope_node_id = dorm.id;
	ui.set_scope = 1;
	ui.person_id = party.v[0];
	ui.set_person = 1;
	if (user_create(s, &ui, c->password, &id, f) < 0)
		goto out;
	snprintf(c->login, sizeof(c->login), "taohua");
	rc = 0;
out:
	volunteer_team_release(&patrol.t);
	volunteer_team_release(&emergency.t);
	volunteer_team_release(&alliance.t);
	node_release(&dorm);
	free(volunteers.v);
	free(party.v);
	free(everyone.v);
	free(hk.v);
	free(buildings.v);
	return rc;
}
