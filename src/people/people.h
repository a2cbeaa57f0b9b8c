/*
 * people.h - persons, the role dictionary, role sets, role assignments,
 * central-household care links and the coverage report.  Plain structs over a
 * store; no HTTP, no JSON.  Tables: src/store/schema/002_people.sql.
 *
 * Conventions as in org.h: strings in structs are owned by the struct and freed
 * by its _release(); functions return 0, or -1 with the fault filled (field
 * names match the JSON API's); writes run in their own (nestable) transaction.
 * Dates are "YYYY-MM-DD" (Asia/Shanghai calendar days); times are UTC text.
 */
#ifndef YL_PEOPLE_H
#define YL_PEOPLE_H

#include <stddef.h>
#include <stdint.h>

#include "org/org.h"
#include "store/store.h"
#include "util/fault.h"

/* Persons. */

struct person {
	int64_t id;
	int64_t subdistrict_id;		/* from the home node; 0 when no home node */
	char *name;
	char *phone;			/* may be NULL; 11-digit mainland mobile or landline digits */
	char *gender;			/* "male", "female" or NULL */
	int birth_year;			/* 0: unknown */
	int64_t home_node_id;		/* 0: none; a household, unit, building or courtyard */
	char **tags;			/* ntags strings, sorted */
	size_t ntags;
	int party_member;
	int64_t member_org_id;		/* 双找: party organisation holding the membership (0: none / elsewhere) */
	char *member_org_name;		/* free text when the membership is held outside the tree */
	int64_t living_org_id;		/* 双找: party organisation where the member lives and registered */
	char *registered_on;		/* date of that registration, may be NULL */
	/* Stored encrypted; the API masks the ID and shows the rest only through an audited reveal. */
	char *id_number;		/* 18-character resident ID (GB 11643), or NULL */
	char *health;			/* sensitive: free text, may be NULL */
	char *disability;		/* sensitive: free text, may be NULL */
	int low_income;			/* sensitive: 低保 / low-income household */
	int key_person;			/* sensitive: a key person for community care or safety */
	char *created_at, *updated_at;
};

void person_release(struct person *p);

/* NULL / 0 leaves a field alone on update; set_* flags allow clearing. */
struct person_input {
	const char *name;
	const char *phone;
	int set_phone;
	const char *gender;
	int set_gender;
	int birth_year;
	int set_birth_year;
	int64_t home_node_id;
	int set_home;
	const char *const *tags;
	size_t ntags;
	int set_tags;
	int party_member;
	int set_party_member;
	int64_t member_org_id;
	int set_member_org;
	const char *member_org_name;
	int set_member_org_name;
	int64_t living_org_id;
	int set_living_org;
	const char *registered_on;
	int set_registered_on;
	const char *id_number;
	int set_id_number;
	const char *health;
	int set_health;
	const char *disability;
	int set_disability;
	int low_income;
	int set_low_income;
	int key_person;
	int set_key_person;
};

int people_person_create(struct store *s, const struct person_input *in, int64_t *id, struct fault *f);
int people_person_get(struct store *s, int64_t id, struct person *out, struct fault *f);
int people_person_update(struct store *s, int64_t id, const struct person_input *in, struct fault *f);

struct person_filter {
	int64_t under_id;		/* home node inside this subtree (node itself included) */
	const char *q;			/* name contains */
	const char *tag;
	int party_member;		/* -1: any, 0 / 1 */
	int64_t living_org_id;
	const char *role_code;		/* holds this role now */
	const char *phone;		/* exact match, through the keyed hash */
	const char *id_number;		/* exact match, through the keyed hash */
	int limit, offset;
};

struct person_list {
	struct person *items;
	size_t n;
	int64_t total;
};

int people_person_list(struct store *s, const struct person_filter *flt, struct person_list *out, struct fault *f);
void person_list_release(struct person_list *l);

/* The role dictionary (data, not code). */

struct role {
	int64_t id;
	char *code;
	char *name;			/* Chinese */
	char *name_en;
	char *levels;			/* comma-separated node levels where it may be held */
	int needs_platform;		/* mobile grid member: courier or rider, and the platform */
	int active;
	char *created_at, *updated_at;
};

struct role_input {
	const char *code;		/* create only: [a-z0-9_]{1,40} */
	const char *name;
	const char *name_en;
	const char *levels;
	int needs_platform;
	int set_needs_platform;
	int active;
	int set_active;
};

void role_release(struct role *r);
int people_role_create(struct store *s, const struct role_input *in, int64_t *id, struct fault *f);
int people_role_get(struct store *s, int64_t id, struct role *out, struct fault *f);
int people_role_get_by_code(struct store *s, const char *code, struct role *out, struct fault *f);
int people_role_update(struct store *s, int64_t id, const struct role_input *in, struct fault *f);

struct role_list {
	struct role *items;
	size_t n;
	int64_t total;			/* all the roles asked for, not only this page's */
};

/* One page in id order (limit 0: all of them, from offset). */
int people_role_page(struct store *s, int include_inactive, int limit, int offset, struct role_list *out,
		     struct fault *f);
int people_role_list(struct store *s, int include_inactive, struct role_list *out, struct fault *f);
void role_list_release(struct role_list *l);

/* Role sets, such as 三长四员: a named, configured set of roles. */

struct role_set {
	int64_t id;
	char *code;
	char *name;
	int64_t *role_ids;
	size_t nroles;
	char *created_at, *updated_at;
};

struct role_set_input {
	const char *code;		/* create only */
	const char *name;
	int set_roles;
	const int64_t *role_ids;
	size_t nroles;
};

void role_set_release(struct role_set *rs);
int people_role_set_create(struct store *s, const struct role_set_input *in, int64_t *id, struct fault *f);
int people_role_set_get(struct store *s, int64_t id, struct role_set *out, struct fault *f);
int people_role_set_update(struct store *s, int64_t id, const struct role_set_input *in, struct fault *f);

struct role_set_list {
	struct role_set *items;
	size_t n;
	int64_t total;			/* all the sets, not only this page's */
};

/* One page in id order (limit 0: all of them, from offset). */
int people_role_set_page(struct store *s, int limit, int offset, struct role_set_list *out, struct fault *f);
int people_role_set_list(struct store *s, struct role_set_list *out, struct fault *f);
void role_set_list_release(struct role_set_list *l);

/* Role assignments: a person holds a role on a node from a date, until a date (or open). */

struct assignment {
	int64_t id;
	int64_t subdistrict_id;
	int64_t person_id;
	char *person_name;
	int64_t role_id;
	char *role_code;
	int64_t node_id;
	char *node_name;
	char *starts_on;
	char *ends_on;			/* NULL: open */
	char *worker_type;		/* mobile grid member: "courier" or "rider" */
	char *platform;			/* e.g. 美团, 顺丰 */
	char *note;
	char *created_at, *updated_at;
};

struct assignment_input {
	int64_t person_id;		/* create only */
	int64_t role_id;		/* create only; or role_code */
	const char *role_code;
	int64_t node_id;		/* create only */
	const char *starts_on;		/* create: default today */
	const char *ends_on;
	int set_ends_on;
	const char *worker_type;
	const char *platform;
	const char *note;
	int set_note;
};

void assignment_release(struct assignment *a);
int people_assignment_create(struct store *s, const struct assignment_input *in, int64_t *id, struct fault *f);
int people_assignment_get(struct store *s, int64_t id, struct assignment *out, struct fault *f);
/* Updates ends_on (ending the assignment), note, platform; a role or node change is a new assignment. */
int people_assignment_update(struct store *s, int64_t id, const struct assignment_input *in, struct fault *f);

struct assignment_filter {
	int64_t person_id;
	int64_t role_id;
	const char *role_code;
	int64_t node_id;		/* on exactly this node */
	int64_t under_id;		/* on a node inside this subtree */
	const char *active_on;		/* held on this date (starts_on <= d and (ends_on IS NULL or ends_on >= d)) */
	int limit, offset;
};

struct assignment_list {
	struct assignment *items;
	size_t n;
	int64_t total;
};

int people_assignment_list(struct store *s, const struct assignment_filter *flt, struct assignment_list *out,
			   struct fault *f);
void assignment_list_release(struct assignment_list *l);

/* Central households and the households they look after (责任制包干). */

struct care_link {
	int64_t id;
	int64_t central_household_id;
	int64_t household_id;
	char *household_name;
	char *starts_on;
	char *ends_on;
};

struct care_list {
	struct care_link *items;
	size_t n;
	int64_t total;
};

void care_link_release(struct care_link *c);
void care_list_release(struct care_list *l);
/* One link (added with the API: PATCH answers with the link as it now is). */
int people_care_get(struct store *s, int64_t id, struct care_link *out, struct fault *f);
/*
 * Links a household to a central household (a household node with a
 * central_household party organisation, in the same courtyard).  A household
 * is looked after by one central household at a time: an open link elsewhere
 * is a conflict.
 */
int people_care_create(struct store *s, int64_t central_household_id, int64_t household_id, const char *starts_on,
		       int64_t *id, struct fault *f);
int people_care_end(struct store *s, int64_t id, const char *ends_on, struct fault *f);
/* central 0: all; under 0: all; active_only: open links only. */
int people_care_list(struct store *s, int64_t central_household_id, int64_t under_id, int active_only, int limit,
		     int offset, struct care_list *out, struct fault *f);

/* Coverage: who is responsible for every building and household (责任制包干). */

struct coverage_gap {
	int64_t node_id;
	char *name;
	char *code;
	int64_t courtyard_id;
	char *courtyard_name;
};

struct coverage_report {
	int64_t buildings;			/* in the subtree */
	int64_t buildings_without_head;
	int64_t households;
	int64_t households_without_central;	/* neither a central household nor looked after by one */
	struct coverage_gap *buildings_gaps;	/* up to limit each */
	size_t nbuildings_gaps;
	struct coverage_gap *household_gaps;
	size_t nhousehold_gaps;
};

void coverage_release(struct coverage_report *r);
/* on: the date the roles must be held (NULL: today). */
int people_coverage(struct store *s, int64_t under_id, const char *on, int limit, struct coverage_report *out,
		    struct fault *f);

#endif
