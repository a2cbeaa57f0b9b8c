/*
 * volunteer.h - volunteers, duty rosters and patrols (issue 16; tables in
 * src/store/schema/040_volunteers.sql): teams on any node of the tree with
 * their dated members, shift types, shifts one by one or from a repeat rule,
 * sign-up by a member or assignment by the leader under the conflict rules,
 * give-up and swap before the team's cut-off, check-in and check-out, the
 * hours and points ledger with the points shop, patrol logs whose incidents
 * become work orders, a personal calendar feed, and the figures.
 *
 * Two instants of a shift are due on the shared time-node engine
 * (src/timenode/), kept on the shift's own row as work orders keep theirs:
 *   VOL_SHORT_KIND  a day before the start, while the shift is short of
 *                   people: yellow when the last working day before that
 *                   has begun, red once it has passed; the team's leader
 *                   finds it in "my shifts" and the inbox (GET /tasks);
 *   VOL_CLOSE_KIND  the end: the sweeper marks each member present, late or
 *                   no-show, counts the minutes served and writes the
 *                   points (volunteer_shift_close()).
 *
 * Who acts (access.c): staff holding volunteer.write act on everything of
 * their scope; a volunteer (volunteer.act without volunteer.write) sees and
 * acts on their own teams only, for themselves, and, as a team's leader,
 * for the team.
 *
 * Conventions as in people.h: strings in structs are owned and freed by the
 * _release(); functions return 0, or -1 with the fault filled (field names
 * are the JSON API's); writes run in their own (nestable) transaction, so a
 * failure leaves nothing half-written.  Instants are unix seconds; days
 * "YYYY-MM-DD" in Asia/Shanghai.
 */
#ifndef YL_VOLUNTEER_H
#define YL_VOLUNTEER_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "timenode/timenode.h"
#include "util/fault.h"
#include "util/util.h"

struct actor;

#define VOL_SHORT_KIND "volunteer_short"
#define VOL_CLOSE_KIND "volunteer_close"

#define VOL_KINDS "patrol,service,culture,mediation,emergency"
#define VOL_STAFF_AHEAD (24 * 3600)	/* a shift short of people this long before its start is carded */
#define VOL_LATE_GRACE 600		/* a check-in up to 10 minutes after the start is on time */
#define VOL_CHECKIN_EARLY 3600		/* check-in opens an hour before the start */
#define VOL_SHIFT_MAX (24 * 3600)	/* the longest shift */
#define VOL_SERIES_MAX 400		/* shifts one repeat rule may make */
#define VOL_SERIES_DAYS 366		/* and the days it may span */

extern const struct tn_kind volunteer_short_kind, volunteer_close_kind;

/* ---- rules (rules.c): pure, no store ---- */

/* A local time "YYYY-MM-DD HH:MM[:SS]" or ISO 8601 with a zone, to unix seconds. */
int volunteer_time_parse(const char *field, const char *text, int64_t *out, struct fault *f);
/* "HH:MM" to minutes after midnight. */
int volunteer_hhmm_parse(const char *field, const char *text, int *minutes, struct fault *f);
/* Monday 00:00 (Asia/Shanghai) of the week holding the instant, and the next Monday's. */
void volunteer_week(int64_t at, int64_t *from, int64_t *to);

/* One shift's times, and the day it starts. */
struct vol_slot {
	int64_t starts_at, ends_at;
	int64_t shift_id;
};

/*
 * The repeat rule: every listed ISO weekday (weekdays "1".."7", e.g.
 * "1234567" or "135") from from_on to until_on, start to end local time.
 * end must come after start (a shift ending before it starts is refused:
 * field "end"); at most VOL_SERIES_DAYS days and VOL_SERIES_MAX shifts.
 * *out is allocated (free it); *n may be 0 when no listed weekday falls in.
 */
struct vol_repeat {
	const char *from_on, *until_on, *weekdays, *start, *end;
};
int volunteer_repeat_expand(const struct vol_repeat *r, struct vol_slot **out, size_t *n, struct fault *f);

/*
 * The conflict rules of one sign-up, in this order, each a 409 naming its
 * field: the person holds the shift already (person_id); the shift is full
 * (id); the places left are kept for the party members it still needs
 * (person_id); another shift of the person overlaps (person_id, "two shifts
 * at once"); the week's minutes would pass the team's weekly limit
 * (person_id).  others: the person's other active shifts (any team) in the
 * shift's week and around it.
 */
struct vol_signup_case {
	int64_t starts_at, ends_at;
	int people, filled;			/* members needed, active now */
	int party_needed, party_filled;		/* party members needed, active now */
	int person_party;			/* the person is a party member */
	int already;				/* the person holds this shift */
	const struct vol_slot *others;
	size_t nothers;
	int weekly_limit_minutes;		/* 0: none */
};
int volunteer_signup_rules(const struct vol_signup_case *c, struct fault *f);

/* Minutes served: from max(check-in, start) to min(check-out or the end, end), never below 0. */
int64_t volunteer_minutes_served(int64_t starts_at, int64_t ends_at, int64_t check_in, int64_t check_out);
/* Points for minutes at the rule's points per hour, rounded half up (and minus for minus). */
int64_t volunteer_points_for(int64_t minutes, int points_per_hour);
/* present, late (checked in more than VOL_LATE_GRACE after the start) or no_show (never checked in). */
const char *volunteer_attendance(int64_t starts_at, int64_t check_in);

/* ---- teams and members (team.c) ---- */

struct vol_team {
	int64_t id, subdistrict_id, node_id, leader_person_id;
	char kind[16];
	char *name, *description, *leader_name;
	int weekly_limit_minutes;		/* 0: none */
	int cutoff_hours;
	int active;
	int64_t members;			/* members today */
	char *created_at, *updated_at;
};
struct vol_team_list {
	struct vol_team *items;
	size_t n, cap;
};
void volunteer_team_release(struct vol_team *t);
void volunteer_team_list_release(struct vol_team_list *l);

/* Create takes what is set; update leaves an unset field alone. */
struct vol_team_input {
	const char *name, *kind, *description;
	int64_t node_id;			/* create only */
	int64_t leader_person_id;		/* 0 with set_leader: none */
	int set_leader;
	int weekly_limit_minutes, set_weekly_limit;	/* 0: none */
	int cutoff_hours, set_cutoff;
	int active, set_active;
};
int volunteer_team_create(struct store *s, const struct vol_team_input *in, int64_t *id, struct fault *f);
int volunteer_team_update(struct store *s, int64_t id, const struct vol_team_input *in, struct fault *f);
int volunteer_team_get(struct store *s, int64_t id, struct vol_team *out, struct fault *f);

struct vol_team_filter {
	int64_t under;				/* 0: all */
	const char *kind;
	int64_t member_person;			/* not 0: only the teams this person is a member of today */
	int include_inactive;
	int limit, offset;
};
int volunteer_team_list(struct store *s, const struct vol_team_filter *flt, struct vol_team_list *out, int64_t *total,
			struct fault *f);

struct vol_member {
	int64_t id, team_id, person_id, home_node_id;
	char joined_on[11], left_on[11];
	char *name;
	int party_member;
};
struct vol_member_list {
	struct vol_member *items;
	size_t n, cap;
};
void volunteer_member_list_release(struct vol_member_list *l);
/* A person of the team's subdistrict joins on a day (today when NULL); refused when already a member. */
int volunteer_member_add(struct store *s, int64_t team_id, int64_t person_id, const char *joined_on, int64_t *id,
			 struct fault *f);
/* Leaves on a day (today when NULL): their shifts from that day on are withdrawn. */
int volunteer_member_leave(struct store *s, int64_t id, const char *left_on, struct fault *f);
int volunteer_member_get(struct store *s, int64_t id, struct vol_member *out, struct fault *f);
void volunteer_member_release(struct vol_member *m);
/* Members of a team (current_only: those of today), by name. */
int volunteer_members(struct store *s, int64_t team_id, int current_only, struct vol_member_list *out, struct fault *f);
/* 1 in *yes when the person is a member of the team on the day. */
int volunteer_is_member(struct store *s, int64_t team_id, int64_t person_id, const char *day, int *yes,
			struct fault *f);

/* ---- shift types, shifts, repeat rules (shift.c) ---- */

struct vol_shift_type {
	int64_t id, team_id;
	char *name, *place;
	int minutes, people, party_members, points_per_hour, active;
};
struct vol_shift_type_list {
	struct vol_shift_type *items;
	size_t n, cap;
};
void volunteer_shift_type_release(struct vol_shift_type *t);
void volunteer_shift_type_list_release(struct vol_shift_type_list *l);
struct vol_shift_type_input {
	const char *name, *place;
	int minutes, people, party_members, points_per_hour;	/* -1: not given */
	int active, set_active;
};
int volunteer_shift_type_create(struct store *s, const struct vol_team *t, const struct vol_shift_type_input *in,
				int64_t *id, struct fault *f);
int volunteer_shift_type_update(struct store *s, int64_t id, const struct vol_shift_type_input *in, struct fault *f);
int volunteer_shift_type_get(struct store *s, int64_t id, struct vol_shift_type *out, struct fault *f);
int volunteer_shift_types(struct store *s, int64_t team_id, struct vol_shift_type_list *out, struct fault *f);

struct vol_shift {
	int64_t id, subdistrict_id, team_id, type_id, series_id, node_id;
	char day[11];
	int64_t starts_at, ends_at;
	char *place, *note, *team_name, *type_name;
	int people, party_members, filled, points_per_hour;
	char state[12], staff_card[8];
	int64_t staff_due, closed_at;
	char team_kind[16];
};
struct vol_shift_list {
	struct vol_shift *items;
	size_t n, cap;
};
void volunteer_shift_release(struct vol_shift *sh);
void volunteer_shift_list_release(struct vol_shift_list *l);

/* A shift of the team's type: starts_at and ends_at (or the type's length), place, people and party members
 * (the type's unless given, -1). */
struct vol_shift_input {
	int64_t type_id;
	const char *starts_at, *ends_at, *place, *note;
	int people, party_members;
	int set_place, set_note;
};
/* The shift must end after now (one going on may be made: duty called at once). */
int volunteer_shift_create(struct store *s, const struct vol_team *t, const struct vol_shift_input *in, int64_t by_user,
			   int64_t now, int64_t *id, struct fault *f);
/* Place, note or people of an open shift (people never below those on it). */
int volunteer_shift_update(struct store *s, int64_t id, const struct vol_shift_input *in, struct fault *f);
/* Cancelled before its end: everyone on it is withdrawn, nothing is due any more. */
int volunteer_shift_cancel(struct store *s, int64_t id, int64_t now, struct fault *f);
int volunteer_shift_get(struct store *s, int64_t id, struct vol_shift *out, struct fault *f);

struct vol_shift_filter {
	int64_t under, team_id;
	int64_t member_person;			/* not 0: only shifts of the teams the person belongs to today */
	int64_t person_id;			/* not 0: only shifts the person holds (active) */
	int64_t from, to;			/* starts_at in [from, to); 0: open */
	const char *state;
	int short_only;				/* only open shifts still short of people */
	int limit, offset;
};
int volunteer_shift_list(struct store *s, const struct vol_shift_filter *flt, struct vol_shift_list *out,
			 int64_t *total, struct fault *f);

/* The repeat rule: shifts of one type made in one go (*count of them, the series' id). */
struct vol_series_input {
	int64_t type_id;
	struct vol_repeat rule;
	const char *place;
	int people, party_members;		/* -1: the type's */
};
/* The rule's shifts that end after now (none at all: refused, field from_on). */
int volunteer_series_create(struct store *s, const struct vol_team *t, const struct vol_series_input *in,
			    int64_t by_user, int64_t now, int64_t *id, int64_t *count, struct fault *f);

/* ---- who is on a shift, and the day itself (signup.c) ---- */

struct vol_assignment {
	int64_t id, shift_id, team_id, person_id;
	char *name;
	int party_member;
	int64_t starts_at, ends_at;
	char how[10], state[12], attendance[10];
	int64_t check_in_at, check_out_at, minutes;	/* minutes -1: not counted yet */
	int64_t by_user_id, confirmed_by;
};
struct vol_assignment_list {
	struct vol_assignment *items;
	size_t n, cap;
};
void volunteer_assignment_list_release(struct vol_assignment_list *l);
/* Who is on the shift (active_only: still on it), in the order they came. */
int volunteer_assignments(struct store *s, int64_t shift_id, int active_only, struct vol_assignment_list *out,
			  struct fault *f);
/* The person's active assignment on the shift; FAULT_CONFLICT on person_id when there is none. */
int volunteer_assignment_of(struct store *s, int64_t shift_id, int64_t person_id, struct vol_assignment *out,
			    struct fault *f);
void volunteer_assignment_release(struct vol_assignment *a);

/* A member signs up (how "signup", before the start) or the leader assigns (how "assigned", before the end). */
int volunteer_signup(struct store *s, int64_t shift_id, int64_t person_id, const char *how, int64_t by_user,
		     int64_t now, int64_t *id, struct fault *f);
/* Gives the place up: before the team's cut-off, unless by_leader. */
int volunteer_give_up(struct store *s, int64_t shift_id, int64_t person_id, int by_leader, int64_t by_user, int64_t now,
		      struct fault *f);
/* Hands the place to another member (who passes the rules): before the cut-off, unless by_leader. */
int volunteer_swap(struct store *s, int64_t shift_id, int64_t person_id, int64_t to_person_id, int by_leader,
		   int64_t by_user, int64_t now, int64_t *id, struct fault *f);
/* Check-in (out 0) or check-out (out 1) at `at`: from VOL_CHECKIN_EARLY before the start until the end. */
int volunteer_check(struct store *s, int64_t shift_id, int64_t person_id, int out, int64_t at, int64_t by_user,
		    int64_t now, struct fault *f);
/* The leader confirms the minutes served (0 .. the shift's length): the points follow, with the reason. */
int volunteer_confirm(struct store *s, int64_t shift_id, int64_t person_id, int64_t minutes, const char *reason,
		      int64_t by_user, struct fault *f);
/*
 * The end of a shift (the close kind's work, also the demo's): everyone on it
 * is marked present, late or no-show, their minutes counted and points
 * written to the ledger; nothing is due any more.  Once only.
 */
int volunteer_shift_close(struct store *s, int64_t shift_id, int64_t now, struct fault *f);

/* ---- the ledger and the points shop (ledger.c, shop.c) ---- */

struct vol_ledger_row {
	int64_t id, seq, person_id, team_id, assignment_id, redemption_id, by_user_id;
	char kind[10], on_day[11];
	int64_t minutes, points, balance, served_minutes;
	char *reason, *at;
};
struct vol_ledger {
	struct vol_ledger_row *items;
	size_t n, cap;
};
void volunteer_ledger_release(struct vol_ledger *l);
struct vol_balance {
	int64_t points, minutes, rows;		/* the last row's balance and served minutes; how many rows */
};
int volunteer_balance(struct store *s, int64_t person_id, struct vol_balance *out, struct fault *f);
/* Newest first. */
int volunteer_ledger_rows(struct store *s, int64_t person_id, int limit, int offset, struct vol_ledger *out,
			  int64_t *total, struct fault *f);

/* One row: the balance after it must not be negative (FAULT_CONFLICT naming field). */
struct vol_ledger_entry {
	int64_t person_id, team_id, assignment_id, redemption_id, by_user_id;
	const char *kind, *reason, *on_day;	/* on_day NULL: today */
	int64_t minutes, points;
	const char *field;			/* named when the balance would go below 0 */
};
int volunteer_ledger_add(struct store *s, const struct vol_ledger_entry *e, int64_t *id, struct fault *f);
/* An adjustment with its reason (points and minutes may be negative, the totals may not). */
int volunteer_adjust(struct store *s, int64_t person_id, int64_t points, int64_t minutes, const char *reason,
		     int64_t by_user, int64_t *id, struct fault *f);

struct vol_item {
	int64_t id, subdistrict_id, node_id, points, stock;
	char *name;
	int active;
};
struct vol_item_list {
	struct vol_item *items;
	size_t n, cap;
};
void volunteer_item_release(struct vol_item *it);
void volunteer_item_list_release(struct vol_item_list *l);
struct vol_item_input {
	const char *name;
	int64_t node_id;			/* create only */
	int64_t points, stock;			/* -1: not given */
	int active, set_active;
};
int volunteer_item_create(struct store *s, const struct vol_item_input *in, int64_t *id, struct fault *f);
int volunteer_item_update(struct store *s, int64_t id, const struct vol_item_input *in, struct fault *f);
int volunteer_item_get(struct store *s, int64_t id, struct vol_item *out, struct fault *f);
int volunteer_item_list(struct store *s, int64_t under, int include_inactive, int limit, int offset,
			struct vol_item_list *out, int64_t *total, struct fault *f);

/* An exchange: stock down, a redemption row and a ledger row; more points than held is refused (quantity). */
int volunteer_redeem(struct store *s, int64_t item_id, int64_t person_id, int quantity, int64_t by_user, int64_t *id,
		     struct fault *f);
struct vol_redemption {
	int64_t id, item_id, node_id, person_id, quantity, points, by_user_id;
	char *item_name, *person_name, *at;
};
struct vol_redemption_list {
	struct vol_redemption *items;
	size_t n, cap;
};
void volunteer_redemption_list_release(struct vol_redemption_list *l);
int volunteer_redemptions(struct store *s, int64_t under, int64_t person_id, int limit, int offset,
			  struct vol_redemption_list *out, int64_t *total, struct fault *f);

/* ---- persons and who acts (access.c) ---- */

struct vol_person {
	int64_t id, subdistrict_id, home_node_id;
	char *name;
	int party_member;
};
void volunteer_person_release(struct vol_person *p);
int volunteer_person_get(struct store *s, int64_t id, const char *field, struct vol_person *out, struct fault *f);
/* The person the actor's user stands for (0: none). */
int volunteer_actor_person(struct store *s, const struct actor *a, int64_t *person_id, struct fault *f);
/* 1: the actor sees everything of the scope (staff, readers); 0: only their own teams (volunteers). */
int volunteer_sees_all(const struct actor *a);

enum vol_part { VOL_PART_NONE, VOL_PART_MEMBER, VOL_PART_LEADER, VOL_PART_STAFF };
/* 1 in *yes when the leader leads a team the person is a member of today. */
int volunteer_leads(struct store *s, int64_t leader, int64_t person, int *yes, struct fault *f);
/* The part the actor plays on a team today (*person: the actor's person, 0 for none). */
int volunteer_part_of(struct store *s, const struct vol_team *t, const struct actor *a, enum vol_part *out,
		      int64_t *person, struct fault *f);

/* ---- the calendar feed (ical.c) ---- */

#define VOL_ICAL_TOKEN_CHARS 43
/* A new feed token for the user's person (the old one stops working); shown once. */
int volunteer_ical_token_new(struct store *s, int64_t user_id, int64_t person_id, char token[VOL_ICAL_TOKEN_CHARS + 1],
			     struct fault *f);
/* The person of a token; FAULT_NOT_FOUND when it names none. */
int volunteer_ical_person(struct store *s, const char *token, int64_t *person_id, struct fault *f);
/* RFC 5545 text of the person's shifts from 30 days back on (CRLF lines, folded at 75 octets). */
int volunteer_ical_feed(struct store *s, int64_t person_id, int64_t now, struct buf *out, struct fault *f);

/* ---- patrol logs (patrol.c) ---- */

struct vol_incident {
	int64_t id, patrol_id, node_id, upload_id, work_order_id;
	char *description, *work_order_number, *work_order_state;
};
struct vol_patrol {
	int64_t id, subdistrict_id, team_id, node_id, shift_id, by_user_id;
	char *route, *seen, *team_name, *created_at;
	int64_t started_at, ended_at;
	int64_t *person_ids;
	char **person_names;
	size_t npersons;
	struct vol_incident *incidents;
	size_t nincidents;
};
struct vol_patrol_list {
	struct vol_patrol *items;
	size_t n, cap;
};
void volunteer_patrol_release(struct vol_patrol *p);
void volunteer_patrol_list_release(struct vol_patrol_list *l);

struct vol_incident_input {
	const char *description;
	int64_t node_id, upload_id;
};
/* Route, start and end (not ahead of now), who (members of the team that day), what was seen, incidents. */
struct vol_patrol_input {
	const char *route, *started_at, *ended_at, *seen;
	int64_t shift_id;
	const int64_t *person_ids;
	size_t npersons;
	const struct vol_incident_input *incidents;
	size_t nincidents;
};
#define VOL_PATROL_MAX_PEOPLE 50
#define VOL_PATROL_MAX_INCIDENTS 20
int volunteer_patrol_create(struct store *s, const struct vol_team *t, const struct vol_patrol_input *in, int64_t by_user,
			    int64_t now, int64_t *id, struct fault *f);
int volunteer_patrol_get(struct store *s, int64_t id, struct vol_patrol *out, struct fault *f);
/* Patrols under a node (0: all), of a team (0: any), of the teams a person belongs to today (0: any); newest first. */
int volunteer_patrol_list(struct store *s, int64_t under, int64_t team_id, int64_t member_person, int limit, int offset,
			  struct vol_patrol_list *out, int64_t *total, struct fault *f);
/* One more incident on a patrol: a place of the team's node, what was seen, a photo (an upload) or none. */
int volunteer_incident_add(struct store *s, const struct vol_patrol *p, const struct vol_incident_input *in, int64_t *id,
			   struct fault *f);
int volunteer_incident_get(struct store *s, int64_t id, struct vol_incident *out, int64_t *team_id, struct fault *f);
void volunteer_incident_release(struct vol_incident *i);
/*
 * An incident becomes a work order in one step: a report of the place it was seen at (source grid: the
 * courtyard accepts it as it accepts a grid member's), its photo carried over, the text naming the patrol,
 * and the incident holding the order.  a files it: an actor without workorder.create (a volunteer on the
 * patrol) files it as the patrol, with no other work-order right.  category_id 0: the category named
 * 治安 (public security), else the deployment's fallback; the courtyard may re-file it.  received_at: when
 * it was reported (0: now; the demo dates it at the patrol's end).  Once only.
 */
int volunteer_incident_order(struct store *s, const struct actor *a, int64_t incident_id, int64_t category_id,
			     const char *type, const char *urgency, int64_t received_at, int64_t *order_id, struct fault *f);

/* ---- the figures (figures.c): from stored rows only, under a node (0: all), days from..to ---- */

struct vol_fig_team {
	int64_t team_id, minutes, points, shifts, people, filled;
	char kind[16];
	char *name;
};
struct vol_fig_row {
	char key[16];				/* a month YYYY-MM */
	int64_t id, minutes, points, count, total;
	char *name;
};
struct vol_figures {
	char from[11], to[11];
	int64_t shifts, people, filled;		/* closed shifts: places needed and taken */
	int64_t places, present, late, no_show;
	int64_t minutes, points, redeemed;
	int64_t active;				/* persons who served */
	int64_t patrols, incidents, orders, orders_closed;
	struct vol_fig_team *teams;
	size_t nteams;
	struct vol_fig_row *months, *persons, *courtyards;	/* courtyards: count active, total residents */
	size_t nmonths, npersons, ncourtyards;
};
void volunteer_figures_release(struct vol_figures *fg);
int volunteer_figures(struct store *s, int64_t under, const char *from, const char *to, struct vol_figures *out,
		      struct fault *f);

/* ---- the time-node kinds (due.c) ---- */

/* Recomputes the staffing node of a shift after a change of who is on it (inside the caller's transaction). */
int volunteer_staff_due(struct store *s, int64_t shift_id, struct fault *f);

#endif
