/*
 * cobuild.h - co-building (双报到, issue 18; DOMAIN.md "Community life"):
 * units that report to a community with their in-service party members, and
 * the three lists (三张清单) — residents' needs, the units' resources, and
 * projects built from needs with resources matched — and the claims (认领)
 * by which a unit or a party member carries a project out, reports with
 * evidence and is rated by the community and by the residents who raised the
 * needs.  Tables: src/store/schema/060_cobuild.sql.
 *
 * Two kinds of time node on the shared engine (src/timenode/): a project not
 * yet claimed is due to be claimed by its claim_by day (COBUILD_UNCLAIMED_KIND,
 * opened with the project, done when claimed), and a claim is due on its
 * due_on day (COBUILD_CLAIM_KIND, opened with the claim, done when reported).
 * Both are counted in calendar days to 23:59:59 of the day and answered by the
 * project's place: the sweeper cards them and GET /api/v1/tasks lists them.  A
 * claim made by a unit's contact waits for that contact (its assignee).
 *
 * Conventions as in project.h: strings in structs are owned by the struct and
 * freed by its _release(); functions return 0, or -1 with the fault filled
 * (field names are the JSON API's); writes run in their own (nestable)
 * transaction, so a failure leaves nothing half-written.  Dates are
 * "YYYY-MM-DD" (Asia/Shanghai); hours travel as tenths (2.5 h = 25).
 */
#ifndef YL_COBUILD_H
#define YL_COBUILD_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/fault.h"

struct actor;

#define COBUILD_CLAIM_KIND "cobuild_claim"
#define COBUILD_UNCLAIMED_KIND "cobuild_unclaimed"

/* The longest a claim may run, and the most hours one report may carry (tenths). */
#define COBUILD_CLAIM_DAYS_MAX 365
#define COBUILD_HOURS_MAX_TENTHS 100000

/* Words of the lists; NULL-ended, in the order the UI shows them. */
extern const char *const cobuild_unit_kinds[];
extern const char *const cobuild_need_kinds[];
extern const char *const cobuild_need_sources[];
extern const char *const cobuild_resource_kinds[];
/* 1 when word is one of words. */
int cobuild_word_in(const char *const *words, const char *word);

/* Units (unit.c). */
struct cobuild_unit {
	int64_t id, subdistrict_id, node_id;
	char *name, *kind, *credit_code, *party_org_name, *contact_name, *contact_phone;	/* phone in clear */
	char reported_on[11];
	int64_t members;			/* in-service party members who reported */
	char *created_at, *updated_at;
};
void cobuild_unit_release(struct cobuild_unit *u);
struct cobuild_unit_list {
	struct cobuild_unit *items;
	size_t n, cap;
};
void cobuild_unit_list_release(struct cobuild_unit_list *l);

/* Create takes every field; update leaves a NULL field alone ("" clears an optional one). */
struct cobuild_unit_input {
	const char *name, *kind, *credit_code, *party_org_name, *contact_name, *contact_phone, *reported_on;
	int64_t node_id;			/* create only: the community it reports to */
};
int cobuild_unit_create(struct store *s, const struct cobuild_unit_input *in, int64_t *id, struct fault *f);
int cobuild_unit_update(struct store *s, int64_t id, const struct cobuild_unit_input *in, struct fault *f);
int cobuild_unit_get(struct store *s, int64_t id, struct cobuild_unit *out, struct fault *f);
/* Units under a node (0: all), by name. */
int cobuild_unit_list(struct store *s, int64_t under, struct cobuild_unit_list *out, struct fault *f);

/* In-service party members who reported through the unit (persons who are party members). */
struct cobuild_member {
	int64_t id, unit_id, person_id, member_org_id, living_org_id;
	char *name, *member_org_name;
	char reported_on[11];
};
struct cobuild_member_list {
	struct cobuild_member *items;
	size_t n, cap;
};
void cobuild_member_list_release(struct cobuild_member_list *l);
int cobuild_member_add(struct store *s, const struct cobuild_unit *u, int64_t person_id, const char *reported_on,
		       int64_t *id, struct fault *f);
int cobuild_members(struct store *s, int64_t unit_id, struct cobuild_member_list *out, struct fault *f);

/* The accounts that speak for a unit (access.c). */
int cobuild_unit_user_add(struct store *s, const struct cobuild_unit *u, int64_t user_id, struct fault *f);
/* 1 when the user speaks for some unit (then they see only their units' claims), else 0; -1 on error. */
int cobuild_user_has_units(struct store *s, int64_t user_id, struct fault *f);
/* 1 when the user speaks for this unit. */
int cobuild_user_speaks_for(struct store *s, int64_t user_id, int64_t unit_id, struct fault *f);

/* Needs (need.c). */
struct cobuild_need {
	int64_t id, subdistrict_id, node_id, raised_by_person_id, work_order_id, raised_by_user_id, project_id;
	char *title, *detail, *kind, *urgency, *source, *status;
	char raised_on[11], met_on[11];
	char *created_at;
};
void cobuild_need_release(struct cobuild_need *n);
struct cobuild_need_list {
	struct cobuild_need *items;
	size_t n, cap;
};
void cobuild_need_list_release(struct cobuild_need_list *l);
struct cobuild_need_input {
	int64_t node_id, raised_by_person_id, work_order_id;
	const char *title, *detail, *kind, *urgency, *source, *raised_on;
};
int cobuild_need_create(struct store *s, const struct cobuild_need_input *in, int64_t by_user, int64_t *id,
			struct fault *f);
int cobuild_need_get(struct store *s, int64_t id, struct cobuild_need *out, struct fault *f);
/* Needs under a node (0: all), optionally of one status, newest first. */
int cobuild_need_list(struct store *s, int64_t under, const char *status, struct cobuild_need_list *out,
		      struct fault *f);

/* Resources (resource.c). */
struct cobuild_resource {
	int64_t id, subdistrict_id, node_id, unit_id, person_id;
	char *kind, *title, *detail, *offered_by, *created_at;	/* offered_by: the unit's or the person's name */
};
void cobuild_resource_release(struct cobuild_resource *r);
struct cobuild_resource_list {
	struct cobuild_resource *items;
	size_t n, cap;
};
void cobuild_resource_list_release(struct cobuild_resource_list *l);
struct cobuild_resource_input {
	int64_t node_id, unit_id, person_id;
	const char *kind, *title, *detail;
};
int cobuild_resource_create(struct store *s, const struct cobuild_resource_input *in, int64_t *id, struct fault *f);
int cobuild_resource_get(struct store *s, int64_t id, struct cobuild_resource *out, struct fault *f);
int cobuild_resource_list(struct store *s, int64_t under, struct cobuild_resource_list *out, struct fault *f);

/* Projects (project.c). */
struct cobuild_project {
	int64_t id, subdistrict_id, node_id, created_by;
	char *title, *detail, *status;
	char claim_by[11];
	char card[8];				/* the unclaimed node's card while open */
	int64_t deadline;
	int64_t *need_ids, *resource_ids;
	size_t n_needs, n_resources;
	char *created_at;
};
void cobuild_project_release(struct cobuild_project *p);
struct cobuild_project_list {
	struct cobuild_project *items;
	size_t n, cap;
};
void cobuild_project_list_release(struct cobuild_project_list *l);
struct cobuild_project_input {
	int64_t node_id;
	const char *title, *detail, *claim_by;
	const int64_t *need_ids, *resource_ids;
	size_t n_needs, n_resources;
};
/* At least one need, each open and of the project's subdistrict; resources of the same subdistrict. */
int cobuild_project_create(struct store *s, const struct cobuild_project_input *in, int64_t by_user, int64_t *id,
			   struct fault *f);
int cobuild_project_get(struct store *s, int64_t id, struct cobuild_project *out, struct fault *f);
int cobuild_project_list(struct store *s, int64_t under, const char *status, struct cobuild_project_list *out,
			 struct fault *f);

/* Claims (claim.c). */
struct cobuild_claim {
	int64_t id, subdistrict_id, project_id, node_id, unit_id, person_id, hours_tenths;
	char *project_title, *claimant, *status, *report, *evidence, *reported_at;
	char claimed_on[11], due_on[11], served_on[11];
	char card[8];
	int64_t deadline;
	int on_time;				/* reported by its due day */
	int community_score;			/* 0: not rated */
	int resident_ratings, resident_score_sum;
	char *created_at;
};
void cobuild_claim_release(struct cobuild_claim *c);
struct cobuild_claim_list {
	struct cobuild_claim *items;
	size_t n, cap;
};
void cobuild_claim_list_release(struct cobuild_claim_list *l);
struct cobuild_claim_input {
	int64_t unit_id, person_id;		/* exactly one */
	const char *claimed_on, *due_on;	/* claimed_on: today unless given */
};
/* The project must be open; the unit (or party member) of the project's subdistrict. */
int cobuild_claim_create(struct store *s, const struct cobuild_project *p, const struct cobuild_claim_input *in,
			 int64_t by_user, int64_t *id, struct fault *f);
int cobuild_claim_get(struct store *s, int64_t id, struct cobuild_claim *out, struct fault *f);
/* Claims under a node (0: all); only_user: only the claims of the units that user speaks for (0: every claim). */
int cobuild_claim_list(struct store *s, int64_t under, int64_t only_user, struct cobuild_claim_list *out,
		       struct fault *f);
struct cobuild_report_input {
	const char *report, *evidence, *served_on, *hours;	/* hours as text: "2.5" */
};
/* A claim reported with evidence, the day served (not in the future, not before the claim) and the hours. */
int cobuild_claim_report(struct store *s, int64_t id, const struct cobuild_report_input *in, int64_t by_user,
			 struct fault *f);
/* Hours as text with at most one decimal, 0 .. COBUILD_HOURS_MAX_TENTHS: tenths. */
int cobuild_hours_parse(const char *field, const char *text, int64_t *tenths, struct fault *f);
void cobuild_hours_format(int64_t tenths, char out[24]);

struct cobuild_rating_input {
	const char *rater;			/* "community" or "resident" */
	int64_t person_id;			/* resident: one who raised one of the project's needs */
	int score;				/* 1..5 */
	const char *comment;
};
/* A rating of a reported claim; the project's needs are met on the community's rating. */
int cobuild_claim_rate(struct store *s, int64_t id, const struct cobuild_rating_input *in, int64_t by_user,
		       struct fault *f);
struct cobuild_rating {
	int64_t id, person_id;
	char *rater, *comment, *created_at;
	int score;
};
struct cobuild_rating_list {
	struct cobuild_rating *items;
	size_t n, cap;
};
void cobuild_rating_list_release(struct cobuild_rating_list *l);
int cobuild_ratings(struct store *s, int64_t claim_id, struct cobuild_rating_list *out, struct fault *f);

/* Shared checks (rules.c). */
/* A real date, not after today (Asia/Shanghai). */
int cobuild_past_date(const char *field, const char *d, struct fault *f);
/* The node's subdistrict (the node itself when it is one); 400 on field when the node does not exist. */
int cobuild_node_subdistrict(struct store *s, int64_t node_id, const char *field, int64_t *subdistrict,
			     struct fault *f);
/*
 * A time node of kind on the shared engine, due at 23:59:59 of due_on, counted in calendar days from the
 * start of from_on (1 to COBUILD_CLAIM_DAYS_MAX days; else 400 on field), answered by node_id.
 */
int cobuild_time_node_open(struct store *s, const char *kind, int64_t ref_id, const char *title, int64_t node_id,
			   int64_t assignee_user_id, const char *from_on, const char *due_on, const char *field, struct fault *f);
/*
 * The kind of claims on the shared engine (claim.c): the node's passes and cards; its inbox is the
 * engine's, except that a unit's contact finds only the claims assigned to them (their own unit's).
 */
struct tn_kind;
extern const struct tn_kind cobuild_claim_kind;

/*
 * Agreements (agreement.c; 061): a unit's agreement with its community for a term, its commitments per
 * year (hours, money in yuan as fen, a number of services) and what was delivered.  Hours delivered are
 * the hours of the unit's reported claims served in the year; money and services are recorded once per
 * commitment and year.  Amounts travel as text: hours "120" or "6.5", money "5000.00", services "12".
 */
struct cobuild_commitment {
	int64_t id, agreement_id, per_year;
	char kind[8];
	char *description;
};
struct cobuild_agreement {
	int64_t id, subdistrict_id, node_id, unit_id;
	char *unit_name, *title, *document_ref, *created_at;
	char starts_on[11], ends_on[11], signed_on[11];
	struct cobuild_commitment *commitments;
	size_t n_commitments, cap_commitments;
};
void cobuild_agreement_release(struct cobuild_agreement *a);
struct cobuild_agreement_list {
	struct cobuild_agreement *items;
	size_t n, cap;
};
void cobuild_agreement_list_release(struct cobuild_agreement_list *l);
struct cobuild_agreement_input {
	int64_t unit_id;
	const char *title, *starts_on, *ends_on, *signed_on, *document_ref;
};
int cobuild_agreement_create(struct store *s, const struct cobuild_agreement_input *in, int64_t *id, struct fault *f);
int cobuild_agreement_get(struct store *s, int64_t id, struct cobuild_agreement *out, struct fault *f);
/* Agreements under a node (0: all), of one unit (0: every unit), newest first. */
int cobuild_agreement_list(struct store *s, int64_t under, int64_t unit_id, struct cobuild_agreement_list *out,
			   struct fault *f);
/* A commitment: kind hours, money or service, and its amount per year as text. */
int cobuild_commitment_add(struct store *s, const struct cobuild_agreement *a, const char *kind, const char *description,
			   const char *per_year, int64_t *id, struct fault *f);
/* Parses an amount of a kind: hours (tenths), money (fen), services (whole times); 400 on field. */
int cobuild_amount_parse(const char *kind, const char *field, const char *text, int64_t *out, struct fault *f);
void cobuild_amount_format(const char *kind, int64_t v, char out[32]);
/* What a money or service commitment delivered in a year (within the term, not in the future); once. */
int cobuild_delivery_record(struct store *s, int64_t commitment_id, int year, const char *delivered, const char *note,
			    int64_t by_user, struct fault *f);
/* The annual review: per commitment, promised and delivered in the year (hours from claims). */
struct cobuild_review_line {
	int64_t commitment_id, promised, delivered;
	char kind[8];
	int recorded;				/* money and services: a delivery was recorded */
};
struct cobuild_review {
	int year;
	struct cobuild_review_line *items;
	size_t n, cap;
};
void cobuild_review_release(struct cobuild_review *r);
int cobuild_agreement_review(struct store *s, const struct cobuild_agreement *a, int year, struct cobuild_review *out,
			     struct fault *f);
/* The commitment's agreement id (to check scope): 0 with the fault when there is none. */
int cobuild_commitment_agreement(struct store *s, int64_t commitment_id, int64_t *agreement_id, struct fault *f);

/*
 * Party members' service (party.c; 062): membership status since a day, the branch holding the
 * relationship (a party organisation; its node is the scope), what they pledged (亮身份), a history of
 * status changes and transfers, service records, and points (党员积分) computed on reading by the rules
 * of party.c.  Statuses: formal 正式, probationary 预备, candidate 发展对象, activist 积极分子.
 */
struct party_member {
	int64_t id, subdistrict_id, person_id, org_id, node_id;
	char *name, *org_name, *pledge, *status;
	char status_since[11];
	int64_t hours_year, records_year, claims_year, points_year;	/* this year (Asia/Shanghai) */
	int reported;				/* reported through a co-building unit (双报到) */
};
void party_member_release(struct party_member *m);
struct party_member_list {
	struct party_member *items;
	size_t n, cap;
};
void party_member_list_release(struct party_member_list *l);
struct party_member_input {
	int64_t person_id, org_id;
	const char *status, *since, *pledge;
};
int party_member_enrol(struct store *s, const struct party_member_input *in, int64_t by_user, int64_t *id,
		       struct fault *f);
int party_member_get(struct store *s, int64_t id, int year, struct party_member *out, struct fault *f);
/* Members under a node (0: all), of one status (NULL: all), with the year's hours and points. */
int party_member_list(struct store *s, int64_t under, const char *status, int year, struct party_member_list *out,
		      struct fault *f);
int party_member_status(struct store *s, int64_t id, const char *status, const char *since, const char *reason,
			int64_t by_user, struct fault *f);
int party_member_transfer(struct store *s, int64_t id, int64_t to_org_id, const char *on, const char *reason,
			  int64_t by_user, struct fault *f);
struct party_event {
	int64_t id, from_org_id, to_org_id, by_user_id;
	char action[12], status[16], on_date[11];
	char *reason, *created_at;
};
struct party_event_list {
	struct party_event *items;
	size_t n, cap;
};
void party_event_list_release(struct party_event_list *l);
int party_member_events(struct store *s, int64_t id, struct party_event_list *out, struct fault *f);
/* A service record: served_on not in the future (nor before the member joined), hours as text. */
int party_service_record(struct store *s, int64_t member_id, const char *served_on, const char *hours, const char *what,
			 const char *for_whom, int64_t by_user, int64_t *id, struct fault *f);
struct party_service {
	int64_t id, hours_tenths;
	char served_on[11];
	char *what, *for_whom;
};
struct party_service_list {
	struct party_service *items;
	size_t n, cap;
};
void party_service_list_release(struct party_service_list *l);
int party_services(struct store *s, int64_t member_id, struct party_service_list *out, struct fault *f);
/* The points of a year by the rules: per full hour served, per service record, per co-building claim reported. */
int64_t party_points(int64_t hours_tenths, int64_t records, int64_t claims);
/* A quarter's hours per member under a node: the branch's view (who served nobody: hours 0). */
int party_quarter_hours(struct store *s, int64_t member_id, const char *from, const char *to, int64_t *tenths,
			struct fault *f);
/* The node of a party organisation (FAULT_NOT_FOUND when there is none). */
int party_org_node(struct store *s, int64_t org_id, int64_t *node, struct fault *f);

/*
 * Figures (figures.c), counted from the rows of a year under a node: units reported per community,
 * claims per unit with their completion on time and the community's average rating (the ranking for the
 * annual review), needs raised and met with the days to meet them, hours served by units and by party
 * members.
 */
struct cobuild_unit_figure {
	int64_t unit_id, claims, reported, on_time, hours_tenths, rating_sum, ratings;
	char *name;
};
struct cobuild_community_figure {
	int64_t node_id, units;
	char *name;
};
struct cobuild_figures {
	int year;
	struct cobuild_community_figure *communities;
	size_t n_communities, cap_communities;
	struct cobuild_unit_figure *units;	/* ranked: reported, on time, hours, rating, name */
	size_t n_units, cap_units;
	int64_t needs_raised, needs_met, days_to_meet_sum;
	int64_t unit_hours_tenths, member_hours_tenths;
};
void cobuild_figures_release(struct cobuild_figures *fg);
int cobuild_figures(struct store *s, int64_t under, int year, struct cobuild_figures *out, struct fault *f);

#endif
