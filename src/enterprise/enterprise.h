/*
 * enterprise.h - enterprise service (DOMAIN.md "Enterprise service", issue 15):
 * the register of enterprises, their contacts (personal data) and status
 * history (register.c, contact.c), the cadres who answer for each, with dated
 * history (cadre.c), and the problems enterprises raise, each due on the
 * shared time-node engine as kind "enterprise_problem" (problem.c); the
 * monthly indicators with their corrections (indicator.c), growth between
 * months (growth.c) and the subdistrict's monthly report (report.c).
 *
 * Tables: 030_enterprises.sql.  Every function runs over a store handle and
 * returns 0, or -1 with the fault naming the field; writes are one
 * transaction each (nested: inside the api guard's, a savepoint).  Structs
 * own their strings: *_release frees the contents, never the struct.  Scope
 * (who may see which enterprise) is the api layer's, by node_id.
 */
#ifndef YL_ENTERPRISE_H
#define YL_ENTERPRISE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "timenode/timenode.h"
#include "util/fault.h"

/* The register. */

struct enterprise {
	int64_t id, subdistrict_id, node_id;
	char *credit_code;		/* GB 32100 unified social credit code */
	char *name;
	char *legal_rep;		/* may be NULL, as the three below */
	char *industry_code;		/* GB/T 4754: a letter and 2-4 digits, C2614 */
	char *industry_name;
	char *address;
	char size[8];			/* large, medium, small, micro */
	int above_scale;		/* 规模以上: annual revenue of 20 million yuan or more */
	char above_scale_since[8];	/* YYYY-MM, "" when not above scale */
	char status[12];		/* operating, suspended, closed, moved_out */
	char *created_at, *updated_at;
};

void enterprise_release(struct enterprise *e);

/* A create takes every field it is given; an update changes only what is set (set_* for nullable ones). */
struct enterprise_input {
	const char *credit_code;
	const char *name;
	const char *legal_rep;
	int set_legal_rep;
	const char *industry_code;
	int set_industry_code;
	const char *industry_name;
	int set_industry_name;
	const char *address;
	int set_address;
	const char *size;
	int64_t node_id;		/* 0: keep (update) */
	int set_above_scale;
	int above_scale;
	const char *above_scale_since;	/* YYYY-MM, required when above_scale becomes 1 */
	const char *status_since;	/* create: the date the first status holds from; NULL: today */
	int64_t user_id;		/* who acts (0: a token or the console) */
};

int enterprise_create(struct store *s, const struct enterprise_input *in, int64_t *id, struct fault *f);
int enterprise_get(struct store *s, int64_t id, struct enterprise *out, struct fault *f);
/* By unified social credit code: FAULT_NOT_FOUND (field credit_code) when none has it. */
int enterprise_get_by_code(struct store *s, const char *code, struct enterprise *out, struct fault *f);
int enterprise_update(struct store *s, int64_t id, const struct enterprise_input *in, struct fault *f);

/* Status changes: a new row of the history and the status on the enterprise, in one transaction. */
int enterprise_status_valid(const char *status);
int enterprise_set_status(struct store *s, int64_t id, const char *status, const char *since, const char *reason,
			  int64_t user_id, struct fault *f);

struct enterprise_status_entry {
	int64_t id, user_id;
	char status[12];
	char since[11];
	char *reason;
	char *created_at;
};
struct enterprise_status_list {
	struct enterprise_status_entry *items;
	size_t n, cap;
};
int enterprise_status_history(struct store *s, int64_t id, struct enterprise_status_list *out, struct fault *f);
void enterprise_status_list_release(struct enterprise_status_list *l);

struct enterprise_filter {
	int64_t under_id;		/* 0: everywhere */
	const char *q;			/* a part of the name or the credit code */
	const char *status;
	int above_scale;		/* -1: any */
	const char *above_scale_from;	/* YYYY-MM: became above scale in or after this month */
	const char *above_scale_to;	/* YYYY-MM: ... in or before this month */
	int64_t cadre_user_id;		/* the enterprises this user answers for today */
	const char *without_cadre;	/* "leader" or "officer": nobody holds it today (coverage) */
	int limit, offset;
};
struct enterprise_list {
	struct enterprise *items;
	size_t n, cap;
	int64_t total;
};
int enterprise_list(struct store *s, const struct enterprise_filter *flt, struct enterprise_list *out,
		    struct fault *f);
void enterprise_list_release(struct enterprise_list *l);

/* Contacts (contact.c): phones sealed with auth/pii.h; phone is in clear here, the api masks it. */
struct enterprise_contact {
	int64_t id, enterprise_id;
	char *name, *title, *phone;
	char *created_at;
};
struct enterprise_contact_list {
	struct enterprise_contact *items;
	size_t n, cap;
};
struct enterprise_contact_input {
	const char *name;
	const char *title;
	const char *phone;
};
int enterprise_contact_add(struct store *s, int64_t enterprise_id, const struct enterprise_contact_input *in,
			   int64_t *id, struct fault *f);
int enterprise_contacts(struct store *s, int64_t enterprise_id, struct enterprise_contact_list *out,
			struct fault *f);
void enterprise_contact_list_release(struct enterprise_contact_list *l);

/* Cadres (cadre.c): 帮包 leader and service officer, each a user of the enterprise's subdistrict. */
int enterprise_cadre_role_valid(const char *role);

struct enterprise_cadre {
	int64_t id, enterprise_id, user_id;
	char role[8];
	char starts_on[11];
	char ends_on[11];		/* "" while it holds */
	char *login, *display_name;
};
struct enterprise_cadre_list {
	struct enterprise_cadre *items;
	size_t n, cap;
};
/*
 * user_id takes role for the enterprise from starts_on (NULL: today); whoever
 * held it is ended the day before.  starts_on must not be before the holder's
 * own start.
 */
int enterprise_cadre_assign(struct store *s, int64_t enterprise_id, const char *role, int64_t user_id,
			    const char *starts_on, int64_t *id, struct fault *f);
/* The history of an enterprise's cadres; on a date (YYYY-MM-DD): only who held a role that day. */
int enterprise_cadres(struct store *s, int64_t enterprise_id, const char *on, struct enterprise_cadre_list *out,
		      struct fault *f);
void enterprise_cadre_list_release(struct enterprise_cadre_list *l);
/* An active user who works in the subdistrict; otherwise 400 on field (problems' owners too). */
int enterprise_user_in_subdistrict(struct store *s, int64_t user_id, int64_t subdistrict, const char *field,
				   struct fault *f);

/* Problems (problem.c), each with a time node of this kind while open. */
#define ENTERPRISE_PROBLEM_KIND "enterprise_problem"
extern const struct tn_kind enterprise_problem_kind;

int enterprise_problem_category_valid(const char *category);

struct enterprise_problem {
	int64_t id, enterprise_id, subdistrict_id, unit_node_id, owner_user_id, created_by;
	int64_t enterprise_node_id;	/* where the enterprise is: the scope of the problem */
	char *enterprise_name;
	char category[12];
	char *description;
	char raised_on[11];
	char state[8];			/* open, closed */
	char *closed_at, *evidence;
	char satisfaction[24];		/* "" until closed */
	char *created_at, *updated_at;
	/* From its time node: deadline, card and who answers for it now (0: no node). */
	int64_t time_node_id, deadline, answering_node_id;
	char card[8];
};
void enterprise_problem_release(struct enterprise_problem *p);

struct enterprise_problem_input {
	const char *category;
	const char *description;
	int64_t unit_node_id;		/* the responsible unit */
	int64_t owner_user_id;		/* the responsible person, 0: anyone at the unit */
	const char *raised_on;		/* YYYY-MM-DD, not in the future; NULL: today */
	int days;			/* time to settle it, 1..365 */
	enum tn_days rule;
	int64_t user_id;		/* who records it */
};
int enterprise_problem_create(struct store *s, int64_t enterprise_id, const struct enterprise_problem_input *in,
			      int64_t *id, struct fault *f);
int enterprise_problem_get(struct store *s, int64_t id, struct enterprise_problem *out, struct fault *f);
int enterprise_problem_note(struct store *s, int64_t id, const char *note, int64_t user_id, struct fault *f);
int enterprise_problem_close(struct store *s, int64_t id, const char *evidence, const char *satisfaction,
			     int64_t user_id, struct fault *f);

struct enterprise_problem_note {
	int64_t id, user_id;
	char *at, *note;
};
struct enterprise_problem_note_list {
	struct enterprise_problem_note *items;
	size_t n, cap;
};
int enterprise_problem_notes(struct store *s, int64_t id, struct enterprise_problem_note_list *out,
			     struct fault *f);
void enterprise_problem_note_list_release(struct enterprise_problem_note_list *l);

struct enterprise_problem_filter {
	int64_t under_id;		/* enterprises under this node; 0: everywhere */
	int64_t enterprise_id;
	const char *state;
	int limit, offset;
};
struct enterprise_problem_list {
	struct enterprise_problem *items;
	size_t n, cap;
	int64_t total;
};
int enterprise_problem_list(struct store *s, const struct enterprise_problem_filter *flt,
			    struct enterprise_problem_list *out, struct fault *f);
void enterprise_problem_list_release(struct enterprise_problem_list *l);

/* Honours (honour.c): 专精特新 (specialised), "小巨人" (little_giant), 瞪羚 (gazelle), 高新技术企业 (high_tech). */
struct enterprise_honour {
	int64_t id, enterprise_id, enterprise_node_id;
	char *enterprise_name;
	char kind[16], level[12];
	char *title;			/* may be NULL */
	int year;
	char expires_on[11];		/* "" when it does not lapse */
	char *created_at;
};
struct enterprise_honour_list {
	struct enterprise_honour *items;
	size_t n, cap;
	int64_t total;
};
void enterprise_honour_list_release(struct enterprise_honour_list *l);

struct enterprise_honour_input {
	const char *kind, *level, *title;
	int year;			/* 1990 .. this year */
	const char *expires_on;		/* YYYY-MM-DD, not before the year; NULL: does not lapse */
	int64_t user_id;
};
int enterprise_honour_add(struct store *s, int64_t enterprise_id, const struct enterprise_honour_input *in,
			  int64_t *id, struct fault *f);

struct enterprise_honour_filter {
	int64_t under_id, enterprise_id;	/* 0: any */
	const char *kind, *level;		/* NULL: any */
	int year;				/* 0: any */
	const char *valid_on;			/* YYYY-MM-DD: not expired that day; NULL: any */
	int limit, offset;			/* limit 0: 50 */
};
int enterprise_honours(struct store *s, const struct enterprise_honour_filter *flt, struct enterprise_honour_list *out,
		       struct fault *f);

/*
 * Service records: visits (visit.c), events with the enterprises attending
 * (event.c), policy documents handed out (handout.c).  Dates YYYY-MM-DD, never
 * in the future; whoever is named works in the subdistrict.
 */
struct enterprise_service_filter {
	int64_t under_id;		/* the enterprise's (or event's) node under this one; 0: any */
	int64_t enterprise_id, user_id;	/* 0: any */
	const char *from, *to;		/* dates, inclusive; NULL: open */
	const char *kind;		/* events: finance, legal, policy, other; NULL: any */
	int limit, offset;		/* limit 0: 50 */
};

struct enterprise_visit {
	int64_t id, enterprise_id, enterprise_node_id, user_id;
	char *enterprise_name, *login;
	char visited_on[11];
	char *purpose, *policies, *follow_up;	/* policies and follow_up may be NULL */
};
struct enterprise_visit_list {
	struct enterprise_visit *items;
	size_t n, cap;
	int64_t total;
};
struct enterprise_visit_input {
	const char *visited_on;		/* NULL: today */
	int64_t user_id;		/* who visited */
	const char *purpose, *policies, *follow_up;
	int64_t created_by;
};
int enterprise_visit_add(struct store *s, int64_t enterprise_id, const struct enterprise_visit_input *in, int64_t *id,
			 struct fault *f);
int enterprise_visits(struct store *s, const struct enterprise_service_filter *flt, struct enterprise_visit_list *out,
		      struct fault *f);
void enterprise_visit_list_release(struct enterprise_visit_list *l);

struct enterprise_event {
	int64_t id, node_id;
	char held_on[11], kind[8];
	char *title, *partner;		/* partner may be NULL */
	int64_t attendee_count;
	int64_t *attendees;		/* enterprise ids: filled by enterprise_event_get only */
	size_t nattendees;
};
struct enterprise_event_list {
	struct enterprise_event *items;
	size_t n, cap;
	int64_t total;
};
struct enterprise_event_input {
	int64_t node_id;		/* who held it */
	const char *held_on, *kind, *title, *partner;
	const int64_t *enterprise_ids;	/* attending: enterprises of the node's subdistrict, each once */
	size_t nenterprises;
	int64_t created_by;
};
int enterprise_event_add(struct store *s, const struct enterprise_event_input *in, int64_t *id, struct fault *f);
int enterprise_event_get(struct store *s, int64_t id, struct enterprise_event *out, struct fault *f);
void enterprise_event_release(struct enterprise_event *e);
int enterprise_events(struct store *s, const struct enterprise_service_filter *flt, struct enterprise_event_list *out,
		      struct fault *f);
void enterprise_event_list_release(struct enterprise_event_list *l);

struct policy_handout {
	int64_t id, node_id, enterprise_id, event_id;	/* enterprise_id, event_id: 0 when none */
	char *title;
	int64_t copies;
	char handed_on[11];
};
struct policy_handout_list {
	struct policy_handout *items;
	size_t n, cap;
	int64_t total, copies;		/* rows and copies of all that match, not only those listed */
};
struct policy_handout_input {
	int64_t node_id, enterprise_id, event_id;	/* one of them says where; node_id wins */
	const char *title, *handed_on;
	int64_t copies;
	int64_t created_by;
};
int policy_handout_add(struct store *s, const struct policy_handout_input *in, int64_t *id, struct fault *f);
int policy_handouts(struct store *s, const struct enterprise_service_filter *flt, struct policy_handout_list *out,
		    struct fault *f);
void policy_handout_list_release(struct policy_handout_list *l);
/* A date a person gave in field: 400 naming it unless YYYY-MM-DD and not after today (Asia/Shanghai). */
int enterprise_past_date_check(const char *field, const char *date, struct fault *f);

/* Months and growth (growth.c): fixed point, never floating point. */
int enterprise_month_valid(const char *month);			/* YYYY-MM, a real month */
int enterprise_month_add(const char *month, int delta, char out[8]);	/* -1: not a month */
/* A month a person gave in field: 400 naming it unless YYYY-MM and not after this month (Asia/Shanghai). */
int enterprise_month_check(const char *field, const char *month, struct fault *f);
/* (cur - prev) / prev in tenths of a percent, half away from zero; -1 when prev is 0 (no growth). */
int enterprise_growth_tenths(int64_t cur, int64_t prev, int64_t *out);
void enterprise_growth_format(int64_t tenths, char *out, size_t n);	/* 101 -> "10.1", -5 -> "-0.5" */

/*
 * Monthly indicators (indicator.c).  Each measure is a fixed-point integer
 * with four decimals: 万元 to the yuan for money (money_parse(MONEY_WAN)),
 * tonnes of standard coal for energy.  A measure not reported is absent.
 */
enum enterprise_measure { EM_OUTPUT, EM_SALES, EM_TAXES, EM_INVESTMENT, EM_ENERGY, EM_COUNT };
extern const char *const enterprise_measure_names[EM_COUNT];	/* output, sales, taxes, investment, energy */

struct enterprise_indicator {
	int64_t id, enterprise_id;
	char month[8];
	int64_t value[EM_COUNT];
	int has[EM_COUNT];
	int revision;			/* 1, then one more per correction */
	char *updated_at;
	/* Computed when read: growth in tenths of a percent, has_* 0 when there is none. */
	int64_t mom[EM_COUNT], yoy[EM_COUNT];
	int has_mom[EM_COUNT], has_yoy[EM_COUNT];
};
struct enterprise_indicator_list {
	struct enterprise_indicator *items;
	size_t n, cap;
};
void enterprise_indicator_list_release(struct enterprise_indicator_list *l);

struct enterprise_indicator_input {
	const char *month;		/* YYYY-MM, not in the future */
	const char *value[EM_COUNT];	/* "20.27"; NULL: not reported */
	const char *reason;		/* required to correct a month already reported */
	int64_t user_id;
};
/* Reports a month, or corrects it (*corrected 1), keeping the values replaced. */
int enterprise_indicator_put(struct store *s, int64_t enterprise_id, const struct enterprise_indicator_input *in,
			     int *corrected, struct fault *f);
/* The months from..to (either NULL: open), oldest first, each with its growth. */
int enterprise_indicators(struct store *s, int64_t enterprise_id, const char *from, const char *to,
			  struct enterprise_indicator_list *out, struct fault *f);

struct enterprise_indicator_correction {
	int64_t id, user_id;
	char month[8];
	int revision;
	int64_t value[EM_COUNT];
	int has[EM_COUNT];
	char *reason, *created_at;
};
struct enterprise_indicator_correction_list {
	struct enterprise_indicator_correction *items;
	size_t n, cap;
};
int enterprise_indicator_corrections(struct store *s, int64_t enterprise_id,
				     struct enterprise_indicator_correction_list *out, struct fault *f);
void enterprise_indicator_correction_list_release(struct enterprise_indicator_correction_list *l);

/* The month's report for the enterprises under a node (report.c). */
#define ENTERPRISE_REPORT_TOP 5

struct enterprise_report_row {
	int64_t enterprise_id;
	char *name;
	int64_t output, prev_output, last_year_output;
	int has_prev, has_last_year;
};

struct enterprise_month_report {
	char month[8], prev_month[8], last_year_month[8];
	int64_t reporting;				/* enterprises with figures this month */
	int64_t total[EM_COUNT], total_prev[EM_COUNT], total_last_year[EM_COUNT];
	/* Whether any enterprise reported the measure in the month, the month before, the year before. */
	int has[EM_COUNT], has_prev[EM_COUNT], has_last_year[EM_COUNT];
	/* Output: the three largest this month, and all the others, with their increments on the month before. */
	int64_t leaders_output, leaders_increment, rest_output, rest_increment;
	struct enterprise_report_row leaders[3];
	size_t nleaders;
	/* By output increment on the month before, and by output growth on the year before. */
	struct enterprise_report_row contributors[ENTERPRISE_REPORT_TOP], growers[ENTERPRISE_REPORT_TOP];
	size_t ncontributors, ngrowers;
	int64_t new_above_scale;			/* became above scale from January to this month */
	int64_t problems_raised, problems_closed;	/* in this month */
	int64_t visits, events, handout_copies;		/* service activity in this month */
};
int enterprise_month_report(struct store *s, int64_t under_id, const char *month, struct enterprise_month_report *out,
			    struct fault *f);
void enterprise_month_report_release(struct enterprise_month_report *r);

#endif
