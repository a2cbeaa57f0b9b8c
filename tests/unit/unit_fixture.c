/*
 * unit_fixture.c - what the work-order tests build their worlds from (compiled
 * into every test binary with unit_db.c): nodes, actors, the shipped
 * working-day calendars, local times.
 */
#include "unit.h"
#include "auth/auth.h"
#include "calendar/calendar.h"
#include "org/org.h"
#include "util/util.h"

int64_t unit_node(struct store *s, int64_t parent, enum node_level level, const char *name)
{
	struct node_input in = { 0 };
	struct fault f = { 0 };
	int64_t id = 0;

	in.parent_id = parent;
	in.level = level;
	in.name = name;
	if (level == LEVEL_COURTYARD)
		in.kind = "residential";
	if (org_node_create(s, &in, &id, &f) < 0)
		fail_msg("node %s: %s", name, f.message);
	return id;
}

void unit_actor(struct actor *a, int64_t uid, const char *login, int64_t scope, const char *perms)
{
	const char *p = perms;

	memset(a, 0, sizeof(*a));
	a->user_id = uid;
	snprintf(a->login, sizeof(a->login), "%s", login);
	a->scope_node_id = scope;
	while (*p) {
		size_t n = strcspn(p, ",");

		snprintf(a->perms[a->nperms++], sizeof(a->perms[0]), "%.*s", (int)n, p);
		p += n;
		if (*p == ',')
			p++;
	}
}

int unit_calendar_file(int year, struct calendar_file *cf)
{
	struct fault f = { 0 };
	char path[64], *text;
	size_t len;
	long n;
	FILE *fp;

	snprintf(path, sizeof(path), "share/calendar/%d.csv", year);
	fp = fopen(path, "rb");
	if (!fp)
		return 0;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	text = xmalloc((size_t)n + 1);
	len = fread(text, 1, (size_t)n, fp);
	fclose(fp);
	text[len] = '\0';
	if (calendar_file_parse(cf, text, len, year, &f) < 0)
		fail_msg("calendar %s: %s", path, f.message);
	free(text);
	return 1;
}

void unit_load_calendars(struct store *s)
{
	int year, loaded = 0;

	for (year = 2022; year <= 2035; year++) {
		struct calendar_file cf;
		struct fault f = { 0 };

		if (!unit_calendar_file(year, &cf))
			continue;
		if (calendar_load(s, &cf, "share/calendar", NULL, &f) < 0)
			fail_msg("calendar %d: %s", year, f.message);
		calendar_file_release(&cf);
		loaded++;
	}
	if (loaded < 2)
		fail_msg("the shipped calendars (share/calendar/*.csv) were not found: run from the project root");
}

int64_t unit_local(const char *text)
{
	char date[11];
	int32_t day;
	int hh = 0, mm = 0, ss = 0;

	snprintf(date, sizeof(date), "%.10s", text);
	if (calendar_day_parse(date, &day) < 0)
		fail_msg("bad date %s", text);
	if (text[10])
		sscanf(text + 11, "%d:%d:%d", &hh, &mm, &ss);
	return calendar_day_start(day) + hh * 3600 + mm * 60 + ss;
}

const char *unit_shown(int64_t at)
{
	static char out[4][40];
	static int k;

	k = (k + 1) % 4;
	time_format_local(at, out[k], sizeof(out[k]));
	return out[k];
}
