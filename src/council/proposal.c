/*
 * proposal.c - proposals (议题) of a council: raised by a resident (through
 * staff), a member or staff; supported by members (once each) or residents by
 * name; put to the vote at a meeting of the council or open for a period; one
 * member one vote (yes, no, abstain), only current members, at a meeting only
 * those present or represented; the result (passed, rejected, no_quorum) kept
 * with its counts and the members eligible then, by the council's quorum and
 * pass rule (count.c).
 *
 * States: open -> voting -> passed | rejected | no_quorum; open or voting ->
 * withdrawn.
 */
#include "council/council_internal.h"
#include "util/check.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_CHARS 200
#define BODY_CHARS 5000
#define NAME_CHARS 100

void council_proposal_release(struct council_proposal *p)
{
	free(p->title);
	free(p->body);
	free(p->proposer_name);
	free(p->decided_at);
	free(p->created_at);
	memset(p, 0, sizeof(*p));
}

void council_proposal_list_release(struct council_proposal_list *l)
{
	YL_LIST_RELEASE(l, council_proposal_release);
}

#define PROPOSAL_COLUMNS                                                                                      \
	"p.id, p.council_id, p.title, p.body, p.source, p.proposer_name, p.proposer_member_id, p.status,"        \
	" p.meeting_id, p.vote_closes_on, p.yes_count, p.no_count, p.abstain_count, p.eligible, p.decided_at,"   \
	" p.created_by, p.created_at, (SELECT count(*) FROM council_supports x WHERE x.proposal_id = p.id),"     \
	" (SELECT count(*) FROM council_votes v WHERE v.proposal_id = p.id)"

static void read_proposal(struct store_stmt *st, struct council_proposal *p)
{
	memset(p, 0, sizeof(*p));
	p->id = store_column_int64(st, 0);
	p->council_id = store_column_int64(st, 1);
	p->title = store_column_dup(st, 2);
	p->body = store_column_dup(st, 3);
	store_column_copy(st, 4, p->source, sizeof(p->source));
	p->proposer_name = store_column_dup(st, 5);
	p->proposer_member_id = store_column_int64(st, 6);
	store_column_copy(st, 7, p->status, sizeof(p->status));
	p->meeting_id = store_column_int64(st, 8);
	store_column_copy(st, 9, p->vote_closes_on, sizeof(p->vote_closes_on));
	p->has_result = !store_column_is_null(st, 10);
	p->tally.yes = store_column_int64(st, 10);
	p->tally.no = store_column_int64(st, 11);
	p->tally.abstain = store_column_int64(st, 12);
	p->tally.eligible = store_column_int64(st, 13);
	p->decided_at = store_column_dup(st, 14);
	p->created_by = store_column_int64(st, 15);
	p->created_at = store_column_dup(st, 16);
	p->supports = store_column_int64(st, 17);
	p->votes = store_column_int64(st, 18);
}

static const char SQL_PROPOSAL_BY_ID[] = "SELECT " PROPOSAL_COLUMNS " FROM council_proposals p WHERE p.id = ?";
static const char SQL_PROPOSALS[] =
	"SELECT " PROPOSAL_COLUMNS " FROM council_proposals p WHERE p.council_id = ? ORDER BY p.id DESC";

int council_proposal_get(struct store *s, int64_t id, struct council_proposal *out, struct fault *f)
{
	struct store_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_get_by_id(s, SQL_PROPOSAL_BY_ID, id, "proposal", &st, f) < 0)
		return -1;
	read_proposal(st, out);
	store_done(st);
	return 0;
}

int council_proposals(struct store *s, int64_t council_id, struct council_proposal_list *out, struct fault *f)
{
	struct store_stmt *st = store_query(s, SQL_PROPOSALS, "i", council_id);
	int rc;

	memset(out, 0, sizeof(*out));
	while (store_next(st, &rc)) {
		YL_GROW(out->items, out->n, out->cap);
		read_proposal(st, &out->items[out->n++]);
	}
	if (rc != STORE_DONE) {
		council_proposal_list_release(out);
		return store_fault(s, rc, f);
	}
	return 0;
}

static const char SQL_PROPOSAL_INSERT[] =
	"INSERT INTO council_proposals (subdistrict_id, council_id, title, body, source, proposer_name,"
	" proposer_member_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

int council_proposal_create(struct store *s, int64_t council_id, const struct council_proposal_input *in,
			    int64_t by_user, int64_t *id, struct fault *f)
{
	struct council c;
	char today[11], now[32];
	int rc;

	*id = 0;
	if (check_text("title", in->title, TITLE_CHARS, TEXT_REQUIRED, f) < 0 ||
	    check_text("body", in->body, BODY_CHARS, TEXT_NOT_BLANK, f) < 0 ||
	    check_text("proposer_name", in->proposer_name, NAME_CHARS, TEXT_NOT_BLANK, f) < 0)
		return -1;
	if (!in->source || (strcmp(in->source, "resident") && strcmp(in->source, "member") && strcmp(in->source, "staff")))
		return fault_set(f, FAULT_INVALID, "source", "source is resident, member or staff");
	if (!strcmp(in->source, "resident") && !in->proposer_name)
		return fault_set(f, FAULT_INVALID, "proposer_name", "a resident's proposal names the resident");
	if (!strcmp(in->source, "member") != !!in->proposer_member_id)
		return fault_set(f, FAULT_INVALID, "proposer_member_id",
				 "a member's proposal names the member (proposer_member_id), and only a member's");
	if (council_get(s, council_id, &c, f) < 0)
		return -1;
	date_today_local(today);
	if (in->proposer_member_id && (rc = council_member_current(s, council_id, in->proposer_member_id, today, f)) <= 0) {
		council_release(&c);
		if (rc == 0)
			fault_set(f, FAULT_INVALID, "proposer_member_id", "member %lld is not on this council",
				  (long long)in->proposer_member_id);
		return -1;
	}
	time_now_text(now);
	rc = store_run(s, SQL_PROPOSAL_INSERT, "iitttt" "IIt", c.subdistrict_id, council_id, in->title, in->body,
		       in->source, in->proposer_name, in->proposer_member_id, by_user, now);
	council_release(&c);
	if (rc != STORE_OK)
		return store_fault(s, rc, f);
	*id = store_last_id(s);
	return 0;
}

static const char SQL_SUPPORT_INSERT[] =
	"INSERT INTO council_supports (proposal_id, member_id, name, at) VALUES (?, ?, ?, ?)";
static const char SQL_SUPPORTED[] = "SELECT count(*) FROM council_supports WHERE proposal_id = ? AND member_id = ?";
static const char SQL_MEMBER_NAME[] = "SELECT name FROM council_members WHERE id = ?";

int council_proposal_support(struct store *s, int64_t id, int64_t member_id, const char *name, struct fault *f)
{
	struct council_proposal p;
	struct store_stmt *st;
	char today[11], now[32], *member_name = NULL;
	int64_t had = 0;
	int rc, ret = -1;

	if (!member_id == !name)
		return fault_set(f, FAULT_INVALID, "member_id", "a support is a member's (member_id) or a resident's (name)");
	if (check_text("name", name, NAME_CHARS, TEXT_NOT_BLANK, f) < 0)
		return -1;
	if (council_proposal_get(s, id, &p, f) < 0)
		return -1;
	if (strcmp(p.status, "open") && strcmp(p.status, "voting")) {
		fault_set(f, FAULT_CONFLICT, "status", "proposal %lld is %s: supports are over", (long long)id, p.status);
		goto out;
	}
	if (member_id) {
		date_today_local(today);
		if ((rc = council_member_current(s, p.council_id, member_id, today, f)) <= 0) {
			if (!rc)
				fault_set(f, FAULT_INVALID, "member_id", "member %lld is not on this council", (long long)member_id);
			goto out;
		}
		if ((rc = store_query_int64(s, SQL_SUPPORTED, &had, 2, id, member_id)) != STORE_OK) {
			store_fault(s, rc, f);
			goto out;
		}
		if (had) {
			fault_set(f, FAULT_CONFLICT, "member_id", "member %lld supports this proposal already", (long long)member_id);
			goto out;
		}
		st = store_query(s, SQL_MEMBER_NAME, "i", member_id);
		if (!store_next(st, &rc)) {
			store_fault(s, rc, f);
			goto out;
		}
		member_name = store_column_dup(st, 0);
		store_done(st);
	}
	time_now_text(now);
	rc = store_run(s, SQL_SUPPORT_INSERT, "iItt", id, member_id, member_id ? member_name : name, now);
	ret = rc == STORE_OK ? 0 : store_fault(s, rc, f);
out:
	free(member_name);
	council_proposal_release(&p);
	return ret;
}

static const char SQL_MEETING_OF[] = "SELECT council_id, status, held_on FROM council_meetings WHERE id = ?";
static const char SQL_OPEN_VOTE[] =
	"UPDATE council_proposals SET status = 'voting', meeting_id = ?, vote_closes_on = ? WHERE id = ? AND status = 'open'";

int council_proposal_open_vote(struct store *s, int64_t id, int64_t meeting_id, const char *closes_on,
			       struct fault *f)
{
	struct council_proposal p;
	struct store_stmt *st;
	char today[11], status[8];
	int rc, ret = -1;

	if (!meeting_id == !closes_on)
		return fault_set(f, FAULT_INVALID, "meeting_id", "a vote is at a meeting (meeting_id) or until a day (closes_on)");
	date_today_local(today);
	if (closes_on) {
		if (council_date("closes_on", closes_on, f) < 0)
			return -1;
		if (strcmp(closes_on, today) < 0)
			return fault_set(f, FAULT_INVALID, "closes_on", "closes_on must not be in the past (today is %s)", today);
	}
	if (council_proposal_get(s, id, &p, f) < 0)
		return -1;
	if (strcmp(p.status, "open")) {
		fault_set(f, FAULT_CONFLICT, "status", "proposal %lld is %s, not open", (long long)id, p.status);
		goto out;
	}
	if (meeting_id) {
		st = store_query(s, SQL_MEETING_OF, "i", meeting_id);
		if (!store_next(st, &rc)) {
			if (rc != STORE_DONE)
				store_fault(s, rc, f);
			else
				fault_set(f, FAULT_INVALID, "meeting_id", "meeting %lld does not exist", (long long)meeting_id);
			goto out;
		}
		rc = store_column_int64(st, 0) != p.council_id;
		store_column_copy(st, 1, status, sizeof(status));
		store_done(st);
		if (rc) {
			fault_set(f, FAULT_INVALID, "meeting_id", "meeting %lld is another council's", (long long)meeting_id);
			goto out;
		}
		if (!strcmp(status, "closed")) {
			fault_set(f, FAULT_CONFLICT, "meeting_id", "meeting %lld is closed", (long long)meeting_id);
			goto out;
		}
	}
	rc = store_run(s, SQL_OPEN_VOTE, "Iti", meeting_id, closes_on, id);
	ret = rc == STORE_OK ? 0 : store_fault(s, rc, f);
out:
	council_proposal_release(&p);
	return ret;
}

static const char SQL_ATTENDED[] =
	"SELECT status FROM council_attendance WHERE meeting_id = ? AND member_id = ?";
static const char SQL_VOTED[] = "SELECT count(*) FROM council_votes WHERE proposal_id = ? AND member_id = ?";
static const char SQL_VOTE_INSERT[] =
	"INSERT INTO council_votes (proposal_id, member_id, choice, by_user_id, at) VALUES (?, ?, ?, ?, ?)";

int council_vote(struct store *s, int64_t id, int64_t member_id, const char *choice, int64_t by_user, struct fault *f)
{
	struct council_proposal p;
	struct store_stmt *st;
	char today[11], day[11], now[32], att[8] = "";
	int64_t had = 0;
	int rc, ret = -1;

	if (!choice || (strcmp(choice, "yes") && strcmp(choice, "no") && strcmp(choice, "abstain")))
		return fault_set(f, FAULT_INVALID, "choice", "choice is yes, no or abstain");
	if (!member_id)
		return fault_set(f, FAULT_INVALID, "member_id", "member_id is required: whose vote it is");
	if (council_proposal_get(s, id, &p, f) < 0)
		return -1;
	if (strcmp(p.status, "voting")) {
		fault_set(f, FAULT_CONFLICT, "status", "proposal %lld is %s: no vote is open", (long long)id, p.status);
		goto out;
	}
	date_today_local(today);
	snprintf(day, sizeof(day), "%s", today);
	if (p.meeting_id) {
		st = store_query(s, SQL_MEETING_OF, "i", p.meeting_id);
		if (!store_next(st, &rc)) {
			store_fault(s, rc, f);
			goto out;
		}
		store_column_copy(st, 2, day, sizeof(day));
		store_done(st);
	} else if (strcmp(today, p.vote_closes_on) > 0) {
		fault_set(f, FAULT_CONFLICT, "status", "the vote closed on %s", p.vote_closes_on);
		goto out;
	}
	/* One member one vote: a current member of this council (another council's member is not one). */
	if ((rc = council_member_current(s, p.council_id, member_id, day, f)) <= 0) {
		if (!rc)
			fault_set(f, FAULT_INVALID, "member_id", "member %lld is not a member of this council: no vote",
				  (long long)member_id);
		goto out;
	}
	if (p.meeting_id) {
		st = store_query(s, SQL_ATTENDED, "ii", p.meeting_id, member_id);
		if (store_next(st, &rc)) {
			store_column_copy(st, 0, att, sizeof(att));
			store_done(st);
		} else if (rc != STORE_DONE) {
			store_fault(s, rc, f);
			goto out;
		}
		if (!att[0] || !strcmp(att, "absent")) {
			fault_set(f, FAULT_CONFLICT, "member_id",
				  "member %lld is not recorded present at the meeting (nor by proxy): no vote",
				  (long long)member_id);
			goto out;
		}
	}
	if ((rc = store_query_int64(s, SQL_VOTED, &had, 2, id, member_id)) != STORE_OK) {
		store_fault(s, rc, f);
		goto out;
	}
	if (had) {
		fault_set(f, FAULT_CONFLICT, "member_id", "member %lld has voted already (one member one vote)",
			  (long long)member_id);
		goto out;
	}
	time_now_text(now);
	rc = store_run(s, SQL_VOTE_INSERT, "iitIt", id, member_id, choice, by_user, now);
	ret = rc == STORE_OK ? 0 : store_fault(s, rc, f);
out:
	council_proposal_release(&p);
	return ret;
}

static const char SQL_COUNT_VOTES[] =
	"SELECT choice, count(*) FROM council_votes WHERE proposal_id = ? GROUP BY choice";
static const char SQL_RULES_OF[] = "SELECT quorum_percent, pass_rule FROM councils WHERE id = ?";
static const char SQL_DECIDE[] =
	"UPDATE council_proposals SET status = ?, yes_count = ?, no_count = ?, abstain_count = ?, eligible = ?,"
	" decided_at = ? WHERE id = ? AND status = 'voting'";

int council_proposal_decide(struct store *s, int64_t id, const struct council_tally *counts, struct fault *f)
{
	struct council_proposal p;
	struct council_meeting m;
	struct council_tally t = { 0 };
	struct store_stmt *st;
	const char *result;
	char today[11], now[32], rule[12] = "";
	int64_t quorum = 0;
	int rc, ret = -1;

	if (council_proposal_get(s, id, &p, f) < 0)
		return -1;
	memset(&m, 0, sizeof(m));
	if (strcmp(p.status, "voting")) {
		fault_set(f, FAULT_CONFLICT, "status", "proposal %lld is %s: there is no vote to count", (long long)id, p.status);
		goto out;
	}
	date_today_local(today);
	if (p.meeting_id) {
		if (council_meeting_get(s, p.meeting_id, &m, f) < 0)
			goto out;
		t.eligible = m.members;
	} else if (council_members_on(s, p.council_id, p.vote_closes_on[0] && strcmp(p.vote_closes_on, today) < 0
					? p.vote_closes_on : today, &t.eligible, f) < 0) {
		goto out;
	}
	if (counts) {
		if (p.votes) {
			fault_set(f, FAULT_CONFLICT, "yes", "%lld votes are recorded one by one: the result is counted from them",
				  (long long)p.votes);
			goto out;
		}
		t.yes = counts->yes;
		t.no = counts->no;
		t.abstain = counts->abstain;
		/* A show of hands at a meeting: no more hands than members present. */
		if (p.meeting_id && t.yes >= 0 && t.no >= 0 && t.abstain >= 0 && t.yes + t.no + t.abstain > m.present) {
			fault_set(f, FAULT_INVALID, "yes", "the counts do not add up: %lld cast, %lld members present",
				  (long long)(t.yes + t.no + t.abstain), (long long)m.present);
			goto out;
		}
	} else {
		st = store_query(s, SQL_COUNT_VOTES, "i", id);
		while (store_next(st, &rc)) {
			const char *c = store_column_text(st, 0);
			int64_t k = store_column_int64(st, 1);

			if (!strcmp(c, "yes"))
				t.yes = k;
			else if (!strcmp(c, "no"))
				t.no = k;
			else
				t.abstain = k;
		}
		if (rc != STORE_DONE) {
			store_fault(s, rc, f);
			goto out;
		}
		/* members who left after voting keep their vote; they are still counted eligible */
		if (t.yes + t.no + t.abstain > t.eligible)
			t.eligible = t.yes + t.no + t.abstain;
	}
	st = store_query(s, SQL_RULES_OF, "i", p.council_id);
	if (!store_next(st, &rc)) {
		store_fault(s, rc, f);
		goto out;
	}
	quorum = store_column_int64(st, 0);
	store_column_copy(st, 1, rule, sizeof(rule));
	store_done(st);
	if (council_tally_result(&t, (int)quorum, council_pass_rule_parse(rule), &result, f) < 0)
		goto out;
	time_now_text(now);
	rc = store_run(s, SQL_DECIDE, "tiiiiti", result, t.yes, t.no, t.abstain, t.eligible, now, id);
	ret = rc == STORE_OK ? 0 : store_fault(s, rc, f);
out:
	council_meeting_release(&m);
	council_proposal_release(&p);
	return ret;
}

static const char SQL_WITHDRAW[] =
	"UPDATE council_proposals SET status = 'withdrawn', decided_at = ? WHERE id = ? AND status IN ('open','voting')";

int council_proposal_withdraw(struct store *s, int64_t id, struct fault *f)
{
	struct council_proposal p;
	char now[32];
	int rc;

	if (council_proposal_get(s, id, &p, f) < 0)
		return -1;
	rc = strcmp(p.status, "open") && strcmp(p.status, "voting");
	if (rc) {
		fault_set(f, FAULT_CONFLICT, "status", "proposal %lld is %s already", (long long)id, p.status);
		council_proposal_release(&p);
		return -1;
	}
	council_proposal_release(&p);
	time_now_text(now);
	rc = store_run(s, SQL_WITHDRAW, "ti", now, id);
	return rc == STORE_OK ? 0 : store_fault(s, rc, f);
}
