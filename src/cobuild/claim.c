/*
 * claim.c - 认领: a unit that reported to the subdistrict (or one of its party
 * members) claims an open project, with the day it is due: a time node of kind
 * COBUILD_CLAIM_KIND opened in the claim's transaction, where the project's
 * unclaimed node is done.  The claimant reports with evidence, the day served
 * and the hours (the node is done); the community rates it once and each
 * resident who raised one of the project's needs rates it once; the community's
 * rating closes it and the needs are met.
 *
 * Order of checks in every write: the row (404), its state (409), the body
 * (400 naming the field); then one transaction for every row it touches.
 */
#include "cobuild/cobuild.h"
#include "auth/auth.h"
#include "timenode/timenode.h"
#include "util/check.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define REPORT_CHARS 2000
#define EVIDENCE_CHARS 2000
#define COMMENT_CHARS 500

void cobuild_claim_release(struct cobuild_claim *c)
{
	free(c->project_title);
	free(c->claimant);
	free(c->status);
	free(c->report);
	free(c->evidence);
	free(c->reported_at);
	free(c->created_at);
	memset(c, 0, sizeof(*c));
}

void cobuild_claim_list_release(struct cobuild_claim_list *l)
{
	YL_LIST_RELEASE(l, cobuild_claim_release);
}

#define CLAIM_COLUMNS                                                                                             \
	"c.id, c.subdistrict_id, c.project_id, p.node_id, c.unit_id, c.person_id, c.hours_tenths, p.title,"         \
	" COALESCE(u.name, pe.name), c.status, c.report, c.evidence, c.reported_at, c.claimed_on, c.due_on,"         \
	" c.served_on, t.card, t.deadline, c.reported_on, c.created_at,"                                            \
	" (SELECT max(r.score) FROM cobuild_ratings r WHERE r.claim_id = c.id AND r.rater = 'community'),"           \
	" (SELECT count(*) FROM cobuild_ratings r WHERE r.claim_id = c.id AND r.rater = 'resident'),"               \
	" (SELECT COALESCE(sum(r.score), 0) FROM cobuild_ratings r WHERE r.claim_id = c.id AND r.rater = 'resident')"
#define CLAIM_FROM                                                                                        \
	" FROM cobuild_claims c JOIN cobuild_projects p ON p.id = c.project_id"                         \
	" LEFT JOIN cobuild_units u ON u.id = c.unit_id LEFT JOIN persons pe ON pe.id = c.person_id"     \
	" LEFT JOIN time_nodes t ON t.kind = '" COBUILD_CLAIM_KIND "' AND t.ref_id = c.id"

static void read_claim(struct store_stmt *st, struct cobuild_claim *c)
{
	char reported_on[11];

	memset(c, 0, sizeof(*c));
	c->id = store_column_int64(st, 0);
	c->subdistrict_id = store_column_int64(st, 1);
	c->project_id = store_column_int64(st, 2);
	c->node_id = store_column_int64(st, 3);
	c->unit_id = store_column_int64(st, 4);
	c->person_id = store_column_int64(st, 5);
	c->hours_tenths = store_column_is_null(st, 6) ? -1 : store_column_int64(st, 6);
	c->project_title = store_column_dup(st, 7);
	c->claimant = store_column_dup(st, 8);
	c->status = store_column_dup(st, 9);
	c->report = store_column_dup(st, 10);
	c->evidence = store_column_dup(st, 11);
	c->reported_at = store_column_dup(st, 12);
	store_column_copy(st, 13, c->claimed_on, sizeof(c->claimed_on));
	store_column_copy(st, 14, c->due_on, sizeof(c->due_on));
	store_column_copy(st, 15, c->served_on, sizeof(c->served_on));
	store_column_copy(st, 16, c->card, sizeof(c->card));
	c->deadline = store_column_int64(st, 17);
	store_column_copy(st, 18, reported_on, sizeof(reported_on));
	c->on_time = reported_on[0] && strcmp(reported_on, c->due_on) <= 0;
	c->created_at = store_column_dup(st, 19);
	c->community_score = (int)store_column_int64(st, 20);
	c->resident_ratings = (int)store_column_int64(st, 21);
	c->resident_score_sum = (int)store_column_int64(st, 22);
}

static const char SQL_CLAIM_BY_ID[] = "SELECT " CLAIM_COLUMNS CLAIM_FROM " WHERE c.id = ?";
static const char SQL_CLAIMS[] =
	"SELECT " CLAIM_COLUMNS CLAIM_FROM
	" WHERE (CAST(? AS INTEGER) = 0 OR p.node_id IN (SELECT descendant_id FROM node_closure WHERE ancestor_id = ?))"
	" AND (CAST(? AS INTEGER) = 0 OR c.unit_id IN (SELECT unit_id FROM cobuild_unit_users WHERE user_id = ?))"
	" ORDER BY c.id DESC";
static const char SQL_UNIT_SUBDISTRICT[] = "SELECT subdistrict_id FROM cobuild_units WHERE id = ?";
static const char SQL_PERSON_PARTY[] = "SELECT party_member, subdistrict_id FROM persons WHERE id = ?";
static const char SQL_CLAIM_INSERT[] =
	"INSERT INTO cobuild_claims (subdistrict_id, project_id, unit_id, person_id, claimed_on, due_on, claimed_by,"
	" created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_PROJECT_STATUS[] = "UPDATE cobuild_projects SET status = ? WHERE id = ? AND status = ?";
static const char SQL_CLAIM_REPORT[] =
	"UPDATE cobuild_claims SET status = 'reported', report = ?, evidence = ?, served_on = ?, hours_tenths = ?,"
	" reported_at = ?, reported_on = ?, reported_by = ? WHERE id = ? AND status = 'claimed'";
static const char SQL_RAISED_BY[] =
	"SELECT count(*) FROM cobuild_project_needs pn JOIN cobuild_needs n ON n.id = pn.need_id"
	" WHERE pn.project_id = ? AND n.raised_by_person_id = ?";
static const char SQL_RATED[] =
	"SELECT count(*) FROM cobuild_ratings WHERE claim_id = ? AND rater = ? AND (CAST(? AS INTEGER) = 0 OR person_id = ?)";
static const char SQL_RATING_INSERT[] =
	"INSERT INTO cobuild_ratings (claim_id, rater, person_id, score, comment, by_user_id, created_at)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_CLAIM_RATED[] = "UPDATE cobuild_claims SET status = 'rated' WHERE id = ?";
static const char SQL_NEEDS_MET[] =
	"UPDATE cobuild_needs SET status = 'met', met_on = ?"
	" WHERE id IN (SELECT need_id FROM cobuild_project_needs WHERE project_id = ?) AND status <> 'met'";
static const char SQL_PROJECT_REPORTED[] =
	"UPDATE cobuild_projects SET status = 'reported' WHERE id = (SELECT project_id FROM cobuild_claims WHERE id = ?)";
static const char SQL_RATINGS[] =
	"SELECT id, rater, person_id, score, comment, created_at FROM cobuild_ratings WHERE claim_id = ? ORDER BY id";

int cobuild_claim_get(struct store *s, int64_t id, struct cobuild_claim *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_CLAIM_BY_ID, id, "claim", &st, f) < 0)
		return -1;
	read_claim(st, out);
	store_done(st);
	return 0;
}

int cobuild_claim_list(struct store *s, int64_t under, int64_t only_user, struct cobuild_claim_list *out,
		       struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_CLAIMS, "iiii", under, under, only_user, only_user);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_claim(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		cobuild_claim_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

/* Who claims: a unit of the project's subdistrict, or a party member of it. */
static int claimant_check(struct store *s, const struct cobuild_project *p, const struct cobuild_claim_input *in,
			  struct fault *f)
{
	struct store_stmt *st;
	int bad;

	if (!in->unit_id == !in->person_id)
		return fault_set(f, FAULT_INVALID, "unit_id", "a project is claimed by a unit (unit_id) or a party member"
				 " (person_id), one of them");
	if (in->unit_id) {
		if (store_get_by_id(s, SQL_UNIT_SUBDISTRICT, in->unit_id, "unit", &st, f) < 0) {
			if (f->kind == FAULT_NOT_FOUND)
				fault_set(f, FAULT_INVALID, "unit_id", "unit %lld does not exist", (long long)in->unit_id);
			return -1;
		}
		bad = store_column_int64(st, 0) != p->subdistrict_id;
		store_done(st);
		/* the units of a subdistrict serve its communities, not another subdistrict's */
		if (bad)
			return fault_set(f, FAULT_INVALID, "unit_id",
					 "unit %lld reported to another subdistrict: it claims only its own subdistrict's projects",
					 (long long)in->unit_id);
		return 0;
	}
	if (store_get_by_id(s, SQL_PERSON_PARTY, in->person_id, "person", &st, f) < 0) {
		if (f->kind == FAULT_NOT_FOUND)
			fault_set(f, FAULT_INVALID, "person_id", "person %lld does not exist", (long long)in->person_id);
		return -1;
	}
	bad = !store_column_int64(st, 0) ? 1 : store_column_int64(st, 1) != p->subdistrict_id ? 2 : 0;
	store_done(st);
	if (bad == 1)
		return fault_set(f, FAULT_INVALID, "person_id", "person %lld is not a party member", (long long)in->person_id);
	if (bad == 2)
		return fault_set(f, FAULT_INVALID, "person_id", "person %lld lives in another subdistrict",
				 (long long)in->person_id);
	return 0;
}

int cobuild_claim_create(struct store *s, const struct cobuild_project *p, const struct cobuild_claim_input *in,
			 int64_t by_user, int64_t *id, struct fault *f)
{
	char today[11], now[32];
	const char *claimed_on = in->claimed_on;
	int rc, speaker;

	*id = 0;
	if (strcmp(p->status, "open"))
		return fault_set(f, FAULT_CONFLICT, "status", "project %lld is already claimed", (long long)p->id);
	if (claimant_check(s, p, in, f) < 0)
		return -1;
	if (!claimed_on) {
		date_today_local(today);
		claimed_on = today;
	}
	if (cobuild_past_date("claimed_on", claimed_on, f) < 0)
		return -1;
	if (!in->due_on || date_valid(in->due_on) != 0)
		return fault_set(f, FAULT_INVALID, "due_on", "due_on is a date YYYY-MM-DD");
	if (strcmp(in->due_on, claimed_on) <= 0)
		return fault_set(f, FAULT_INVALID, "due_on", "due_on must come after the day of the claim (%s)", claimed_on);
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	time_now_text(now);
	rc = store_run(s, SQL_CLAIM_INSERT, "iiIIttIt", p->subdistrict_id, p->id, in->unit_id, in->person_id, claimed_on,
		       in->due_on, by_user, now);
	if (rc != STORE_OK)
		goto store_fail;
	*id = store_last_id(s);
	if ((rc = store_run(s, SQL_PROJECT_STATUS, "tit", "claimed", p->id, "open")) != STORE_OK)
		goto store_fail;
	if (store_changes(s) != 1) {
		fault_set(f, FAULT_CONFLICT, "status", "project %lld is already claimed", (long long)p->id);
		goto fail;
	}
	if (tn_done(s, COBUILD_UNCLAIMED_KIND, p->id, time_now_us() / 1000000, f) < 0)
		goto fail;
	/* a claim made by the unit's own contact waits for them; any other at the project's place */
	if ((speaker = cobuild_user_speaks_for(s, by_user, in->unit_id, f)) < 0)
		goto fail;
	if (cobuild_time_node_open(s, COBUILD_CLAIM_KIND, *id, p->title, p->node_id, speaker ? by_user : 0, claimed_on,
				   in->due_on, "due_on", f) < 0)
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
store_fail:
	store_fault(s, rc, f);
fail:
	store_rollback(s);
	*id = 0;
	return -1;
}

int cobuild_claim_report(struct store *s, int64_t id, const struct cobuild_report_input *in, int64_t by_user,
			 struct fault *f)
{
	struct cobuild_claim c;
	char today[11], now[32];
	int64_t hours;
	int rc;

	if (cobuild_claim_get(s, id, &c, f) < 0)
		return -1;
	rc = strcmp(c.status, "claimed");
	if (rc) {
		cobuild_claim_release(&c);
		return fault_set(f, FAULT_CONFLICT, "status", "claim %lld is already reported", (long long)id);
	}
	if (check_text("report", in->report, REPORT_CHARS, TEXT_OPTIONAL, f) < 0 ||
	    check_text("evidence", in->evidence, EVIDENCE_CHARS, TEXT_REQUIRED, f) < 0 ||
	    cobuild_past_date("served_on", in->served_on, f) < 0 || cobuild_hours_parse("hours", in->hours, &hours, f) < 0)
		goto fail_read;
	if (strcmp(in->served_on, c.claimed_on) < 0) {
		fault_set(f, FAULT_INVALID, "served_on", "served_on is not before the day of the claim (%s)", c.claimed_on);
		goto fail_read;
	}
	cobuild_claim_release(&c);
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	time_now_text(now);
	date_today_local(today);
	rc = store_run(s, SQL_CLAIM_REPORT, "tttittIi", in->report, in->evidence, in->served_on, hours, now, today,
		       by_user, id);
	if (rc == STORE_OK && store_changes(s) != 1) {
		fault_set(f, FAULT_CONFLICT, "status", "claim %lld is already reported", (long long)id);
		goto fail;
	}
	if (rc == STORE_OK)
		rc = store_run(s, SQL_PROJECT_REPORTED, "i", id);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		goto fail;
	}
	if (tn_done(s, COBUILD_CLAIM_KIND, id, time_now_us() / 1000000, f) < 0)
		goto fail;
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
fail_read:
	cobuild_claim_release(&c);
	return -1;
fail:
	store_rollback(s);
	return -1;
}

static int count_of(struct store *s, struct store_stmt *st, int64_t *n, struct fault *f)
{
	int rc;

	if (!store_next(st, &rc))
		return store_fault(s, rc, f);
	*n = store_column_int64(st, 0);
	store_done(st);
	return 0;
}

int cobuild_claim_rate(struct store *s, int64_t id, const struct cobuild_rating_input *in, int64_t by_user,
		       struct fault *f)
{
	struct cobuild_claim c;
	char today[11], now[32];
	int resident, rc;
	int64_t n = 0;

	if (cobuild_claim_get(s, id, &c, f) < 0)
		return -1;
	if (!strcmp(c.status, "claimed")) {
		cobuild_claim_release(&c);
		return fault_set(f, FAULT_CONFLICT, "status", "claim %lld is not reported yet: it is rated after its report",
				 (long long)id);
	}
	if (!in->rater || (strcmp(in->rater, "community") && strcmp(in->rater, "resident"))) {
		cobuild_claim_release(&c);
		return fault_set(f, FAULT_INVALID, "rater", "rater is community or resident");
	}
	resident = !strcmp(in->rater, "resident");
	if (in->score < 1 || in->score > 5 || check_text("comment", in->comment, COMMENT_CHARS, TEXT_OPTIONAL, f) < 0) {
		cobuild_claim_release(&c);
		return in->score < 1 || in->score > 5 ? fault_set(f, FAULT_INVALID, "score", "score is 1 to 5") : -1;
	}
	if (resident) {
		if (!in->person_id) {
			cobuild_claim_release(&c);
			return fault_set(f, FAULT_INVALID, "person_id", "person_id is required: the resident who rates");
		}
		if (count_of(s, store_query(s, SQL_RAISED_BY, "ii", c.project_id, in->person_id), &n, f) < 0) {
			cobuild_claim_release(&c);
			return -1;
		}
		/* only those whose needs the project meets rate it as residents */
		if (!n) {
			cobuild_claim_release(&c);
			return fault_set(f, FAULT_INVALID, "person_id",
					 "person %lld raised none of this project's needs: only they rate it as residents",
					 (long long)in->person_id);
		}
	} else if (in->person_id) {
		cobuild_claim_release(&c);
		return fault_set(f, FAULT_INVALID, "person_id", "the community's rating names no person");
	}
	if (count_of(s, store_query(s, SQL_RATED, "itii", id, in->rater, in->person_id, in->person_id), &n, f) < 0) {
		cobuild_claim_release(&c);
		return -1;
	}
	if (n) {
		cobuild_claim_release(&c);
		return fault_set(f, FAULT_CONFLICT, resident ? "person_id" : "rater",
				 resident ? "this resident has already rated this claim" : "the community has already rated this claim");
	}
	if ((rc = store_begin_write(s)) != STORE_OK) {
		cobuild_claim_release(&c);
		return store_fault(s, rc, f);
	}
	time_now_text(now);
	rc = store_run(s, SQL_RATING_INSERT, "itIitIt", id, in->rater, in->person_id, (int64_t)in->score,
		       in->comment && *in->comment ? in->comment : NULL, by_user, now);
	if (rc == STORE_OK && !resident) {
		date_today_local(today);
		if ((rc = store_run(s, SQL_CLAIM_RATED, "i", id)) == STORE_OK &&
		    (rc = store_run(s, SQL_PROJECT_STATUS, "tit", "rated", c.project_id, "reported")) == STORE_OK)
			rc = store_run(s, SQL_NEEDS_MET, "ti", today, c.project_id);
	}
	cobuild_claim_release(&c);
	if (rc != STORE_OK) {
		store_fault(s, rc, f);
		store_rollback(s);
		return -1;
	}
	if ((rc = store_commit(s)) != STORE_OK)
		return store_fault(s, rc, f);
	return 0;
}

static void rating_release(struct cobuild_rating *r)
{
	free(r->rater);
	free(r->comment);
	free(r->created_at);
}

void cobuild_rating_list_release(struct cobuild_rating_list *l)
{
	YL_LIST_RELEASE(l, rating_release);
}

int cobuild_ratings(struct store *s, int64_t claim_id, struct cobuild_rating_list *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_RATINGS, "i", claim_id);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		struct cobuild_rating *r;

		YL_GROW(out->items, out->n, out->cap);
		r = &out->items[out->n++];
		r->id = store_column_int64(st, 0);
		r->rater = store_column_dup(st, 1);
		r->person_id = store_column_int64(st, 2);
		r->score = (int)store_column_int64(st, 3);
		r->comment = store_column_dup(st, 4);
		r->created_at = store_column_dup(st, 5);
	}
	if (rc != STORE_DONE) {
		cobuild_rating_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

/*
 * The inbox of claims: the engine's, except for a unit's contact, who finds only the claims assigned to
 * them — their own unit's — and never another unit's claim at the place their scope names.
 */
static int claim_inbox(const struct tn_kind *k, struct store *s, const struct actor *a, int limit,
		       struct tn_inbox *out, struct fault *f)
{
	struct actor own;
	int has;

	if (!a || actor_can(a, "cobuild.write") || (has = cobuild_user_has_units(s, a->user_id, f)) == 0)
		return tn_node_inbox(k, s, a, limit, out, f);
	if (has < 0)
		return -1;
	own = *a;
	own.scope_node_id = -1;	/* no node is -1: only what is assigned to them */
	return tn_node_inbox(k, s, &own, limit, out, f);
}

const struct tn_kind cobuild_claim_kind = {
	COBUILD_CLAIM_KIND, 1, TN_NODE_SQL_DUE_CLIMB, TN_NODE_SQL_DUE_CARD, tn_node_yellow, tn_node_red, tn_node_climb,
	NULL, claim_inbox,
};
