/*
 * council.h - courtyard councils (小区议事会, issue 17; DOMAIN.md "Community
 * life"): the council on a courtyard or community with its members by seat
 * and term and the courtyard's parties (物业, 业委会: "三位一体"); meetings
 * with agenda, attendance, the quorum and minutes (required to close);
 * proposals with supports and votes (one member one vote, abstain; the quorum
 * and the pass rule are the council's), the result with its counts; the
 * resolutions of a passed proposal, each with an owner and a time node of the
 * shared engine (kind COUNCIL_RESOLUTION_KIND), which may spawn a work order
 * linked both ways; and the notice board (notice.c) with its public page.
 * Tables: src/store/schema/050_councils.sql.
 *
 * Conventions as in project.h: strings in structs are owned by the struct and
 * freed by its _release(); functions return 0, or -1 with the fault filled
 * (field names are the JSON API's); every write runs in its own (nestable)
 * transaction, so a refusal leaves nothing half-written.  Dates are
 * "YYYY-MM-DD" (Asia/Shanghai), times UTC text.  Scope (which councils an
 * actor sees) is the api layer's, on the council's node.
 */
#ifndef YL_COUNCIL_H
#define YL_COUNCIL_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/fault.h"

struct actor;

#define COUNCIL_RESOLUTION_KIND "council_resolution"

/* Quorum and counting (count.c): pure functions, no store. */
enum council_pass_rule { PASS_NONE = -1, PASS_SIMPLE, PASS_MAJORITY, PASS_TWO_THIRDS };
enum council_pass_rule council_pass_rule_parse(const char *s);

/* present (present + proxy) * 100 >= quorum_percent * members; no members: never. */
int council_quorum_met(int64_t members, int64_t present, int quorum_percent);
/* The fewest present for the quorum. */
int64_t council_quorum_needed(int64_t members, int quorum_percent);

struct council_tally {
	int64_t yes, no, abstain;	/* votes cast */
	int64_t eligible;		/* members entitled to vote */
};
/*
 * The result of a tally: "no_quorum" when fewer cast (abstentions count as
 * cast) than the quorum of the eligible; else by the rule — simple: more yes
 * than no; majority: yes more than half of those cast; two_thirds: yes at
 * least two thirds of those cast — "passed" or "rejected".  A tally that does
 * not add up (negative, or more cast than eligible) is refused naming the
 * count that is wrong.
 */
int council_tally_result(const struct council_tally *t, int quorum_percent, enum council_pass_rule rule,
			 const char **result, struct fault *f);

/* Councils (council.c). */
struct council {
	int64_t id, subdistrict_id, node_id, convenor_user_id;
	char *name, *created_at, *updated_at;
	char term_start[11], term_end[11], pass_rule[12];
	int quorum_percent;
	int64_t members;		/* current members (read only) */
};
struct council_list {
	struct council *items;
	size_t n, cap;
};
void council_release(struct council *c);
void council_list_release(struct council_list *l);

struct council_input {
	int64_t node_id;		/* create only */
	const char *name, *term_start, *term_end, *pass_rule;
	int quorum_percent;		/* 0: unset */
	int64_t convenor_user_id;
	int set_convenor;
};
int council_create(struct store *s, const struct council_input *in, int64_t *id, struct fault *f);
int council_update(struct store *s, int64_t id, const struct council_input *in, struct fault *f);
int council_get(struct store *s, int64_t id, struct council *out, struct fault *f);
int council_list(struct store *s, int64_t under, int limit, int offset, struct council_list *out, int64_t *total,
		 struct fault *f);

/* Members by seat and term. */
struct council_member {
	int64_t id, council_id, person_id, user_id;
	char seat[20], joined_on[11], left_on[11];
	char *name;
	char *phone;			/* decrypted: the api masks it */
};
struct council_member_list {
	struct council_member *items;
	size_t n, cap;
};
void council_member_list_release(struct council_member_list *l);
struct council_member_input {
	const char *name, *seat, *phone, *joined_on;
	int64_t person_id, user_id;
};
int council_member_add(struct store *s, int64_t council_id, const struct council_member_input *in, int64_t *id,
		       struct fault *f);
/* A member leaves on a day (not before joining); 409 when already gone. */
int council_member_leave(struct store *s, int64_t council_id, int64_t member_id, const char *on, struct fault *f);
/* all: 1 also those who left. */
int council_members(struct store *s, int64_t council_id, int all, struct council_member_list *out, struct fault *f);
/* The current member of the council who has this login; 0 in *member_id when none. */
int council_member_of_user(struct store *s, int64_t council_id, int64_t user_id, int64_t *member_id, struct fault *f);

/* The courtyard's parties: property company and owners' committee (contact phone is personal data). */
struct courtyard_party {
	int64_t id, node_id;
	char kind[20];
	char *name, *contact_name, *contact_phone, *created_at;
};
struct courtyard_party_list {
	struct courtyard_party *items;
	size_t n, cap;
};
void courtyard_party_list_release(struct courtyard_party_list *l);
int courtyard_party_add(struct store *s, int64_t node_id, const char *kind, const char *name, const char *contact_name,
			const char *contact_phone, int64_t *id, struct fault *f);
int courtyard_parties(struct store *s, int64_t node_id, struct courtyard_party_list *out, struct fault *f);

/* Meetings (meeting.c). */
struct council_attendance {
	int64_t member_id, proxy_member_id;
	char status[8];
};
struct council_meeting {
	int64_t id, council_id, closed_by;
	char held_on[11], status[8];
	char *place, *minutes, *closed_at, *created_at;
	char **agenda;
	size_t nagenda;
	struct council_attendance *attendance;
	size_t nattendance;
	int64_t members, present;	/* members on the day, present + proxy */
	int64_t quorum_needed;
	int quorum_met;
};
struct council_meeting_list {
	struct council_meeting *items;
	size_t n, cap;
};
void council_meeting_release(struct council_meeting *m);
void council_meeting_list_release(struct council_meeting_list *l);
struct council_meeting_input {
	const char *held_on, *place;
	const char *const *agenda;
	size_t nagenda;
};
int council_meeting_create(struct store *s, int64_t council_id, const struct council_meeting_input *in, int64_t *id,
			   struct fault *f);
int council_meeting_get(struct store *s, int64_t id, struct council_meeting *out, struct fault *f);
int council_meetings(struct store *s, int64_t council_id, struct council_meeting_list *out, struct fault *f);
/* Attendance of members of the council (replacing what was recorded for them); not after closing. */
int council_meeting_attend(struct store *s, int64_t id, const struct council_attendance *rows, size_t n,
			   struct fault *f);
/* Close with the minutes (required): 400 naming minutes when blank, 409 when closed. */
int council_meeting_close(struct store *s, int64_t id, const char *minutes, int64_t by_user, struct fault *f);

/* Proposals, supports, votes, results (proposal.c). */
struct council_proposal {
	int64_t id, council_id, proposer_member_id, meeting_id, created_by;
	char source[10], status[12], vote_closes_on[11];
	char *title, *body, *proposer_name, *decided_at, *created_at;
	int has_result;
	struct council_tally tally;
	int64_t supports, votes;	/* read only */
};
struct council_proposal_list {
	struct council_proposal *items;
	size_t n, cap;
};
void council_proposal_release(struct council_proposal *p);
void council_proposal_list_release(struct council_proposal_list *l);
struct council_proposal_input {
	const char *title, *body, *source, *proposer_name;
	int64_t proposer_member_id;
};
int council_proposal_create(struct store *s, int64_t council_id, const struct council_proposal_input *in,
			    int64_t by_user, int64_t *id, struct fault *f);
int council_proposal_get(struct store *s, int64_t id, struct council_proposal *out, struct fault *f);
int council_proposals(struct store *s, int64_t council_id, struct council_proposal_list *out, struct fault *f);
/* A support by a member (once) or by a resident's name. */
int council_proposal_support(struct store *s, int64_t id, int64_t member_id, const char *name, struct fault *f);
/* Open the vote: at a meeting of the council (not closed) or until a day (after today). */
int council_proposal_open_vote(struct store *s, int64_t id, int64_t meeting_id, const char *closes_on,
			       struct fault *f);
/*
 * A member's vote: a current member of the proposal's council, once; at a
 * meeting only a member present or represented by proxy; in a period only
 * until its last day.
 */
int council_vote(struct store *s, int64_t id, int64_t member_id, const char *choice, int64_t by_user, struct fault *f);
/*
 * The result.  counts NULL: from the votes cast; else a show of hands (only
 * when no vote was recorded one by one), which must add up: at most the
 * eligible, and at a meeting at most those present.  The status becomes
 * passed, rejected or no_quorum with the counts kept.
 */
int council_proposal_decide(struct store *s, int64_t id, const struct council_tally *counts, struct fault *f);
int council_proposal_withdraw(struct store *s, int64_t id, struct fault *f);

/* Resolutions (resolution.c). */
struct council_resolution {
	int64_t id, council_id, proposal_id, owner_user_id, done_by, work_order_id;
	char assigned_on[11], due_on[11], status[8], card[8];
	char *content, *evidence, *done_at, *created_at;
	int64_t deadline;
};
struct council_resolution_list {
	struct council_resolution *items;
	size_t n, cap;
};
void council_resolution_release(struct council_resolution *r);
void council_resolution_list_release(struct council_resolution_list *l);
struct council_resolution_input {
	const char *content, *assigned_on, *due_on;
	int64_t owner_user_id;
};
/* Only of a passed proposal; the owner an active user; the time node opens with the row. */
int council_resolution_create(struct store *s, int64_t proposal_id, const struct council_resolution_input *in,
			      int64_t *id, struct fault *f);
int council_resolution_get(struct store *s, int64_t id, struct council_resolution *out, struct fault *f);
/* By proposal (proposal_id), or the one that spawned a work order (work_order_id); the other 0. */
int council_resolutions(struct store *s, int64_t proposal_id, int64_t work_order_id,
			struct council_resolution_list *out, struct fault *f);
/* Done with its evidence at an instant (0: now; never before it was given): the time node closes. */
int council_resolution_done(struct store *s, int64_t id, const char *evidence, int64_t by_user, int64_t at,
			    struct fault *f);
/*
 * Spawn a work order (walk_in, at the council's place, the text naming the
 * resolution) through wo_create with the actor's own rights; the resolution
 * keeps its id.  One order per resolution (409 after).
 */
int council_resolution_spawn_order(struct store *s, const struct actor *a, int64_t id, int64_t category_id,
				   const char *type, const char *text, int64_t *order_id, struct fault *f);

/* Notices (notice.c). */
struct notice {
	int64_t id, node_id, created_by;
	char category[16], starts_on[11], ends_on[11], status[10];
	char *title, *body, *published_at, *created_at, *node_name;
};
struct notice_list {
	struct notice *items;
	size_t n, cap;
};
void notice_release(struct notice *n);
void notice_list_release(struct notice_list *l);
struct notice_input {
	int64_t node_id;
	const char *title, *body, *category, *starts_on, *ends_on;
};
int notice_create(struct store *s, const struct notice_input *in, int64_t by_user, int64_t *id, struct fault *f);
int notice_get(struct store *s, int64_t id, struct notice *out, struct fault *f);
/* Notices on nodes under `under` (0: all), newest first. */
int notice_list(struct store *s, int64_t under, int limit, int offset, struct notice_list *out, int64_t *total,
		struct fault *f);
/* draft -> published -> withdrawn; anything else 409. */
int notice_publish(struct store *s, int64_t id, struct fault *f);
int notice_withdraw(struct store *s, int64_t id, struct fault *f);
/*
 * What a board on the node shows today: published notices of the node and its
 * ancestors, current on `today`, newest first; of the conventions only the
 * latest to have started (the current version).
 */
int notice_board(struct store *s, int64_t node_id, const char *today, struct notice_list *out, struct fault *f);

/*
 * Mediation cases (mediation.c, 民事调解): where (a node), kind, mediator,
 * parties, sessions with notes, and the end — settled with an agreement at a
 * level (courtyard, community, above), referred, or withdrawn.  The summary,
 * the notes and the agreement are sensitive: encrypted at rest (auth/pii.h),
 * decrypted here for the api, which shows them to mediation.read only.
 */
struct mediation_party {
	int64_t id, person_id;
	char role[12];
	char *name, *phone;		/* phone decrypted: the api masks it */
};
struct mediation_session {
	int64_t id, by_user_id;
	char held_on[11];
	char *notes;			/* decrypted */
};
struct mediation_case {
	int64_t id, subdistrict_id, node_id, mediator_user_id, work_order_id, created_by;
	char kind[12], status[10], settled_level[10], opened_on[11], closed_on[11];
	char *summary, *agreement;	/* decrypted */
	char *mediator_name, *referred_to, *created_at;
	struct mediation_party *parties;
	size_t nparties;
	struct mediation_session *sessions;
	size_t nsessions;
};
struct mediation_case_list {
	struct mediation_case *items;
	size_t n, cap;
};
void mediation_case_release(struct mediation_case *c);
void mediation_case_list_release(struct mediation_case_list *l);
struct mediation_input {
	int64_t node_id, mediator_user_id;
	const char *kind, *summary, *mediator_name, *opened_on;
};
int mediation_case_create(struct store *s, const struct mediation_input *in, int64_t by_user, int64_t *id,
			  struct fault *f);
/*
 * A case from a work order of the 邻里纠纷 kind (its category under
 * 邻里纠纷): the order's place and text, the caller as the applicant.  One
 * case per order (409 after); another kind of order is refused (400 on
 * work_order_id).  The caller of the order is the api's to have checked.
 */
int mediation_case_from_order(struct store *s, int64_t work_order_id, int64_t mediator_user_id, int64_t by_user,
			      int64_t *id, struct fault *f);
/* With its parties and sessions. */
int mediation_case_get(struct store *s, int64_t id, struct mediation_case *out, struct fault *f);
/* Cases under a node (0: all), newest first; parties only (no sessions). */
int mediation_case_list(struct store *s, int64_t under, int limit, int offset, struct mediation_case_list *out,
			int64_t *total, struct fault *f);
int mediation_party_add(struct store *s, int64_t case_id, const char *name, const char *role, int64_t person_id,
			const char *phone, int64_t *id, struct fault *f);
int mediation_session_add(struct store *s, int64_t case_id, const char *held_on, const char *notes, int64_t by_user,
			  int64_t *id, struct fault *f);
/* outcome settled (level and agreement required), referred (referred_to required) or withdrawn. */
int mediation_case_close(struct store *s, int64_t id, const char *outcome, const char *level, const char *agreement,
			 const char *referred_to, const char *closed_on, struct fault *f);

/* 红白理事会 filings. */
struct red_white_filing {
	int64_t id, node_id;
	char kind[8], held_on[11];
	char *family_name;
	int tables, frugal_pledge;
};
struct red_white_list {
	struct red_white_filing *items;
	size_t n, cap;
};
void red_white_list_release(struct red_white_list *l);
int red_white_file(struct store *s, int64_t node_id, const char *kind, const char *held_on, const char *family_name,
		   int tables, int frugal_pledge, int64_t by_user, int64_t *id, struct fault *f);
int red_white_list(struct store *s, int64_t under, int limit, int offset, struct red_white_list *out, int64_t *total,
		   struct fault *f);

/* Figures (figures.c): under a node (0: all), for a year. */
struct council_figures {
	int year;
	int64_t meetings_held, meetings_quorate;
	int64_t proposals, passed, rejected, no_quorum;
	int64_t resolutions_due, resolutions_done, resolutions_on_time;
	int64_t notices_published;
	/* mediation cases closed this year, by how; settled by level ("矛盾不出社区") */
	int64_t cases_opened, settled_courtyard, settled_community, settled_above, referred, withdrawn;
	int64_t weddings, funerals, frugal_pledges;	/* 红白理事会 filings of the year */
};
int council_figures(struct store *s, int64_t under, int year, struct council_figures *out, struct fault *f);

#endif
