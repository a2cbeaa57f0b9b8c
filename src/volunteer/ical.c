/*
 * ical.c - a volunteer's shifts as a calendar feed (RFC 5545) behind a
 * personal token: the token is 256 random bits shown once; only its SHA-256
 * is kept (volunteer_ical_tokens), one per user, a new one replacing the old.
 * The feed lists the person's places from 30 days back on, times in UTC,
 * text escaped and lines folded at 75 octets (never inside a UTF-8 sequence).
 */
#include "volunteer/volunteer.h"
#include "auth/auth.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char SQL_TOKEN_DEL[] = "DELETE FROM volunteer_ical_tokens WHERE user_id = ?";
static const char SQL_TOKEN_ADD[] =
	"INSERT INTO volunteer_ical_tokens (user_id, person_id, token_hash, created_at) VALUES (?, ?, ?, ?)";
static const char SQL_TOKEN_PERSON[] = "SELECT person_id FROM volunteer_ical_tokens WHERE token_hash = ?";

int volunteer_ical_token_new(struct store *s, int64_t user_id, int64_t person_id, char token[VOL_ICAL_TOKEN_CHARS + 1],
			     struct fault *f)
{
	char hash[65], now[32];
	int rc;

	token[0] = '\0';
	if (!user_id || !person_id)
		return fault_set(f, FAULT_CONFLICT, "person_id", "the account stands for no person: it has no shifts to feed");
	auth_random_token(token);
	auth_token_hash(token, hash);
	time_now_text(now);
	if ((rc = store_begin_write(s)) != STORE_OK)
		return store_fault(s, rc, f);
	if ((rc = store_run(s, SQL_TOKEN_DEL, "i", user_id)) != STORE_OK ||
	    (rc = store_run(s, SQL_TOKEN_ADD, "iitt", user_id, person_id, hash, now)) != STORE_OK) {
		store_fault(s, rc, f);
		store_rollback(s);
		token[0] = '\0';
		return -1;
	}
	if ((rc = store_commit(s)) != STORE_OK) {
		token[0] = '\0';
		return store_fault(s, rc, f);
	}
	return 0;
}

int volunteer_ical_person(struct store *s, const char *token, int64_t *person_id, struct fault *f)
{
	char hash[65];
	int rc;

	*person_id = 0;
	if (!token || strlen(token) != VOL_ICAL_TOKEN_CHARS ||
	    strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != VOL_ICAL_TOKEN_CHARS)
		return fault_set(f, FAULT_NOT_FOUND, "token", "no such calendar feed");
	auth_token_hash(token, hash);
	{
		struct store_stmt *st = store_query(s, SQL_TOKEN_PERSON, "t", hash);

		if (!store_next(st, &rc)) {
			if (rc != STORE_DONE)
				return store_fault(s, rc, f);
			return fault_set(f, FAULT_NOT_FOUND, "token", "no such calendar feed");
		}
		*person_id = store_column_int64(st, 0);
		store_done(st);
	}
	return 0;
}

/* One content line, folded: at most 75 octets a line, continuation lines start with a space. */
static void line(struct buf *out, const char *text)
{
	size_t n = strlen(text), i = 0, room = 75;

	while (n - i > room) {
		size_t cut = i + room;

		while (cut > i && ((unsigned char)text[cut] & 0xC0) == 0x80)
			cut--;		/* not inside a UTF-8 sequence */
		buf_add(out, text + i, cut - i);
		buf_adds(out, "\r\n ");
		i = cut;
		room = 74;
	}
	buf_add(out, text + i, n - i);
	buf_adds(out, "\r\n");
}

/* NAME:value with the value's text escaped (RFC 5545 3.3.11). */
static void text_line(struct buf *out, const char *name, const char *v)
{
	struct buf b;

	buf_init(&b);
	buf_adds(&b, name);
	buf_addch(&b, ':');
	for (; v && *v; v++) {
		if (*v == '\\' || *v == ';' || *v == ',') {
			buf_addch(&b, '\\');
			buf_addch(&b, *v);
		} else if (*v == '\n') {
			buf_adds(&b, "\\n");
		} else if (*v != '\r') {
			buf_addch(&b, *v);
		}
	}
	line(out, b.data);
	buf_release(&b);
}

static void utc(int64_t at, char out[17])
{
	time_t t = (time_t)at;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

static const char SQL_FEED[] =
	"SELECT a.id, sh.id, sh.starts_at, sh.ends_at, tm.name, ty.name, sh.place, sh.note, p.name"
	" FROM volunteer_assignments a CROSS JOIN volunteer_shifts sh CROSS JOIN volunteer_teams tm"
	" CROSS JOIN volunteer_shift_types ty CROSS JOIN persons p"
	" WHERE sh.id = a.shift_id AND tm.id = sh.team_id AND ty.id = sh.type_id AND p.id = a.person_id"
	" AND a.person_id = ? AND a.state = 'active' AND a.starts_at >= ? ORDER BY a.starts_at, a.id LIMIT 2000";
static const char SQL_NAME[] = "SELECT name FROM persons WHERE id = ?";

int volunteer_ical_feed(struct store *s, int64_t person_id, int64_t now, struct buf *out, struct fault *f)
{
	struct store_stmt *st;
	char stamp[17], t[17], v[512], name[200] = "";
	int rc;

	st = store_query(s, SQL_NAME, "i", person_id);
	if (store_next(st, &rc)) {
		store_column_copy(st, 0, name, sizeof(name));
		store_done(st);
	} else if (rc != STORE_DONE) {
		return store_fault(s, rc, f);
	}
	utc(now, stamp);
	line(out, "BEGIN:VCALENDAR");
	line(out, "VERSION:2.0");
	line(out, "PRODID:-//Yuanluo//Volunteer rosters//ZH");
	line(out, "CALSCALE:GREGORIAN");
	line(out, "METHOD:PUBLISH");
	snprintf(v, sizeof(v), "志愿服务班次 %s", name);
	text_line(out, "X-WR-CALNAME", v);
	line(out, "X-WR-TIMEZONE:Asia/Shanghai");
	st = store_query(s, SQL_FEED, "ii", person_id, now - 30 * 86400);
	while (store_next(st, &rc)) {
		const char *place = store_column_text(st, 6), *note = store_column_text(st, 7);

		line(out, "BEGIN:VEVENT");
		snprintf(v, sizeof(v), "UID:volunteer-shift-%lld-%lld@yuanluo", (long long)store_column_int64(st, 1),
			 (long long)store_column_int64(st, 0));
		line(out, v);
		snprintf(v, sizeof(v), "DTSTAMP:%s", stamp);
		line(out, v);
		utc(store_column_int64(st, 2), t);
		snprintf(v, sizeof(v), "DTSTART:%s", t);
		line(out, v);
		utc(store_column_int64(st, 3), t);
		snprintf(v, sizeof(v), "DTEND:%s", t);
		line(out, v);
		snprintf(v, sizeof(v), "%s · %s", store_column_text(st, 4), store_column_text(st, 5));
		text_line(out, "SUMMARY", v);
		if (place)
			text_line(out, "LOCATION", place);
		if (note)
			text_line(out, "DESCRIPTION", note);
		line(out, "STATUS:CONFIRMED");
		line(out, "END:VEVENT");
	}
	if (rc != STORE_DONE)
		return store_fault(s, rc, f);
	line(out, "END:VCALENDAR");
	return 0;
}
