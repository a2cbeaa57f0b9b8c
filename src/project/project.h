/*
 * project.h - key projects (重点项目, 刁镇; DOMAIN.md "Key projects"): the
 * project with its stage history and "四个一" (one lead official, one work
 * team, one work plan), and its three ledgers (三本台账): tasks, problems and
 * responsibilities.  Tables: src/store/schema/020_projects.sql.
 *
 * The due dates of tasks and problems are time nodes of the shared engine
 * (src/timenode/, kinds PROJECT_TASK_KIND and PROJECT_PROBLEM_KIND), opened
 * in the same transaction as the row and closed when the row is settled: the
 * sweeper cards them yellow and red and the inbox lists them for their owner.
 *
 * Conventions as in people.h: strings in structs are owned by the struct and
 * freed by its _release(); functions return 0, or -1 with the fault filled
 * (field names are the JSON API's); writes run in their own (nestable)
 * transaction, so a failure leaves nothing half-written.  Dates are
 * "YYYY-MM-DD" (Asia/Shanghai); times UTC text.  Money is 万元 as fixed point
 * to the yuan (MONEY_WAN), given and shown as text ("50.67").
 */
#ifndef YL_PROJECT_H
#define YL_PROJECT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/fault.h"

struct actor;

#define PROJECT_TASK_KIND "project_task"
#define PROJECT_PROBLEM_KIND "project_problem"

/* The largest amount taken, in 万元: 1000 亿元 (an absurd amount is refused, not stored). */
#define PROJECT_MONEY_MAX_WAN 10000000

/* Stages in their order (谋划/前期 → 签约 → 拟开工 → 在建 → 竣工/投产); stage.c. */
enum project_stage { STAGE_NONE = -1, STAGE_PLANNING, STAGE_SIGNED, STAGE_TO_START, STAGE_BUILDING, STAGE_COMPLETED };
enum project_stage project_stage_parse(const char *s);
const char *project_stage_name(enum project_stage st);
/*
 * The stage rule: a known stage, different from the current one; while
 * building, the kind (new 新建 / continued 续建) is required, else refused; a
 * step back needs a reason.  0, or -1 with the fault naming the field.
 */
int project_stage_check(const char *from, const char *to, const char *build_kind, const char *reason,
			struct fault *f);
/* An amount in 万元 as text: 0 .. PROJECT_MONEY_MAX_WAN, at most 4 decimals. */
int project_money_parse(const char *field, const char *text, int64_t *out, struct fault *f);
/* 万元 and 亿元 text of an amount ("506700" -> "50.67" 万元 / "0.0051" 亿元, rounded half up to 4 places). */
void project_money_wan(int64_t v, char out[32]);
void project_money_yi(int64_t v, char out[32]);

struct project {
	int64_t id, subdistrict_id, node_id;
	char *code, *name, *owner_name, *category, *industry;
	char stage[16], build_kind[16], stage_on[11];
	int64_t investment_total, investment_plan;	/* 万元 fixed point */
	int plan_year;				/* 0: none */
	int64_t lead_user_id;			/* 0: none yet */
	char *lead_name;			/* the lead's display name or login (read only) */
	char *work_plan;
	char *created_at, *updated_at;
};
void project_release(struct project *p);

struct project_list {
	struct project *items;
	size_t n, cap;
};
void project_list_release(struct project_list *l);

/* Create takes every field; update leaves a NULL (or unset) field alone. */
struct project_input {
	const char *code, *name, *owner_name, *category, *industry, *work_plan;
	int64_t node_id;			/* create only */
	const char *stage, *build_kind, *stage_on;	/* create only: the first stage and its date */
	const char *investment_total, *investment_plan;	/* 万元 as text */
	int plan_year, set_plan_year;
	int64_t lead_user_id;
	int set_lead;
};

int project_create(struct store *s, const struct project_input *in, int64_t by_user, int64_t *id, struct fault *f);
int project_update(struct store *s, int64_t id, const struct project_input *in, struct fault *f);
int project_get(struct store *s, int64_t id, struct project *out, struct fault *f);
/* Projects under a node (0: all), optionally of one stage, by code; *total counts all that match. */
int project_list(struct store *s, int64_t under, const char *stage, int limit, int offset, struct project_list *out,
		 int64_t *total, struct fault *f);

/* Stage history. */
struct project_stage_row {
	int64_t id, by_user_id;
	char stage[16], build_kind[16], on_date[11];
	char *reason, *at;
};
struct project_stage_list {
	struct project_stage_row *items;
	size_t n, cap;
};
void project_stage_list_release(struct project_stage_list *l);
/* A step to stage on the date (not before the current stage's, not in the future). */
int project_stage_step(struct store *s, int64_t id, const char *stage, const char *build_kind, const char *on,
		       const char *reason, int64_t by_user, struct fault *f);
int project_stages(struct store *s, int64_t id, struct project_stage_list *out, struct fault *f);

/* The work team: users of the project's subdistrict, each with a duty. */
struct project_member {
	int64_t id, user_id;
	char *login, *display_name, *duty;
};
struct project_member_list {
	struct project_member *items;
	size_t n, cap;
};
void project_member_list_release(struct project_member_list *l);
int project_member_add(struct store *s, int64_t project_id, int64_t user_id, const char *duty, int64_t *id,
		       struct fault *f);
int project_members(struct store *s, int64_t project_id, struct project_member_list *out, struct fault *f);

/*
 * Who acts on a project (access.c).  Office staff (project.write) act on
 * everything of the projects they may see; the lead official on everything
 * of their projects; a work-team member on the rows they own.
 */
enum project_part { PART_NONE, PART_MEMBER, PART_LEAD, PART_OFFICE };
int project_part_of(struct store *s, const struct project *p, const struct actor *a, enum project_part *out,
		    struct fault *f);
/* A user who may answer for a project's rows: active and of its subdistrict (field names the body's key). */
int project_user_check(struct store *s, const struct project *p, int64_t user_id, const char *field, struct fault *f);

/* 任务清单 (task.c). */
struct project_task {
	int64_t id, project_id, owner_user_id, done_by;
	char *content, *evidence, *done_at, *created_at;
	char assigned_on[11], due_on[11], status[8];
	char card[8];				/* the time node's: none, yellow, red */
	int64_t deadline;			/* unix seconds */
};
struct project_task_list {
	struct project_task *items;
	size_t n, cap;
};
void project_task_release(struct project_task *t);
void project_task_list_release(struct project_task_list *l);

struct project_task_input {
	const char *content, *assigned_on, *due_on;
	int64_t owner_user_id;
};
int project_task_create(struct store *s, const struct project *p, const struct project_task_input *in, int64_t *id,
			struct fault *f);
int project_task_get(struct store *s, int64_t id, struct project_task *out, struct fault *f);
/* Done with its evidence: the time node closes. */
int project_task_done(struct store *s, int64_t id, const char *evidence, int64_t by_user, struct fault *f);
int project_tasks(struct store *s, int64_t project_id, struct project_task_list *out, struct fault *f);

/* 问题清单 (problem.c): open -> in_progress -> closed (销号). */
struct project_problem {
	int64_t id, project_id, raised_by, owner_user_id, closed_by, meeting_id;
	char kind[16], source[8], status[12], raised_on[11], due_on[11];
	char *description, *raised_where, *unit, *evidence, *closed_at, *created_at;
	char card[8];
	int64_t deadline;
};
struct project_problem_list {
	struct project_problem *items;
	size_t n, cap;
};
void project_problem_release(struct project_problem *p);
void project_problem_list_release(struct project_problem_list *l);

struct project_problem_input {
	const char *kind, *description, *raised_on, *raised_where, *source, *unit, *due_on;
	int64_t owner_user_id;
	int64_t meeting_id;			/* raised at a dispatch meeting (source "meeting"); set by meeting.c */
};
/* Raised; with an owner and a deadline it is assigned at once (its time node opens). */
int project_problem_raise(struct store *s, const struct project *p, const struct project_problem_input *in,
			  int64_t by_user, int64_t *id, struct fault *f);
int project_problem_get(struct store *s, int64_t id, struct project_problem *out, struct fault *f);
/* Owner, unit and deadline of a problem that has none yet (its time node opens). */
int project_problem_assign(struct store *s, const struct project *p, int64_t id, const struct project_problem_input *in,
			   int64_t by_user, struct fault *f);
int project_problem_start(struct store *s, int64_t id, int64_t by_user, struct fault *f);
/* 销号: closed with evidence; the time node closes. */
int project_problem_close(struct store *s, int64_t id, const char *evidence, int64_t by_user, struct fault *f);
int project_problems(struct store *s, int64_t project_id, struct project_problem_list *out, struct fault *f);

/*
 * Saturday dispatch meetings (meeting.c, 周六现场调度会): a date (the coming
 * Saturday unless given; any day is allowed), place, chair, attendees, minutes,
 * the projects visited in order (of the meeting's subdistrict); problems are
 * raised there straight into each project's problem ledger, linked to the
 * meeting, on the meeting's day and at its place.
 */
struct project_meeting {
	int64_t id, subdistrict_id, chair_user_id;
	char held_on[11];
	char *place, *attendees, *minutes, *created_at, *updated_at;
	int64_t *project_ids;			/* visited, in order */
	size_t nprojects;
};
struct project_meeting_list {
	struct project_meeting *items;
	size_t n, cap;
};
void project_meeting_release(struct project_meeting *m);
void project_meeting_list_release(struct project_meeting_list *l);

struct project_meeting_input {
	const char *held_on, *place, *attendees, *minutes;
	int64_t chair_user_id;
	const int64_t *project_ids;
	size_t nprojects;
	int set_projects;
};
/* The Saturday on or after the day (YYYY-MM-DD). */
void project_meeting_saturday(const char *day, char out[11]);
int project_meeting_create(struct store *s, const struct project_meeting_input *in, int64_t *id, struct fault *f);
int project_meeting_update(struct store *s, int64_t id, const struct project_meeting_input *in, struct fault *f);
int project_meeting_get(struct store *s, int64_t id, struct project_meeting *out, struct fault *f);
/* Meetings of a subdistrict (0: all), newest first. */
int project_meeting_list(struct store *s, int64_t subdistrict, int limit, int offset, struct project_meeting_list *out,
			 int64_t *total, struct fault *f);
/* A problem raised at the meeting for one of the projects it visits. */
int project_meeting_raise(struct store *s, const struct project_meeting *m, const struct project *p,
			  const struct project_problem_input *in, int64_t by_user, int64_t *id, struct fault *f);
/* The problems raised at the meeting; and the other open problems of the projects it visits (for review). */
int project_meeting_problems(struct store *s, int64_t id, struct project_problem_list *out, struct fault *f);
int project_meeting_open_problems(struct store *s, int64_t id, struct project_problem_list *out, struct fault *f);

/* Investment completed, monthly reports (investment.c). */
struct project_investment {
	char month[8];				/* YYYY-MM */
	int64_t amount;				/* 万元 fixed point */
};
struct project_investment_list {
	struct project_investment *items;
	size_t n, cap;
	int64_t to_date;			/* the sum */
};
void project_investment_list_release(struct project_investment_list *l);
int project_investments(struct store *s, int64_t project_id, struct project_investment_list *out, struct fault *f);
/* A month's report (amount in 万元 as text); replaces one for the same month. */
int project_investment_report(struct store *s, const struct project *p, const char *month, const char *amount,
			      int64_t by_user, struct fault *f);

/* The office's figures (figures.c), from stored rows only: under a node (0: all), for a year. */
struct project_figures {
	int year;
	struct {
		int64_t projects, investment;			/* all at the stage now */
		int64_t this_year, investment_this_year;	/* of them, reached it this year */
	} stage[STAGE_COMPLETED + 1];
	int64_t projects, investment, investment_plan;	/* investment: 万元 fixed point */
	int64_t investment_completed;			/* reported for the months of the year */
	int64_t meetings;				/* held this year, up to today */
	int64_t problems_raised, problems_closed, problems_open, problems_overdue;	/* raised this year */
	int has_median;
	int64_t median_close_half_days;			/* median days from raised to closed, times 2 */
	int64_t tasks_due, tasks_done, tasks_on_time;	/* due this year */
};
int project_figures(struct store *s, int64_t under, int year, int64_t now, struct project_figures *out,
		    struct fault *f);

/* 责任清单 (duty.c): person x duty x project. */
struct project_duty {
	int64_t id, project_id, user_id;
	char *duty, *created_at;
};
struct project_duty_list {
	struct project_duty *items;
	size_t n, cap;
};
void project_duty_list_release(struct project_duty_list *l);
int project_duty_add(struct store *s, const struct project *p, int64_t user_id, const char *duty, int64_t *id,
		     struct fault *f);
int project_duties(struct store *s, int64_t project_id, struct project_duty_list *out, struct fault *f);

#endif
