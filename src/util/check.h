/*
 * check.h - the one home of every input rule that more than one module needs:
 * text, phones, resident ID numbers, unified social credit codes, money,
 * local times and yes/no words.  Each rule is written here once and tested
 * once (tests/unit/test_check.c); domain modules call it instead of keeping a
 * copy.
 *
 * Checks that answer a person return 0, or -1 with the fault filled, naming
 * the field the caller gives.  Predicates (*_valid) return 1 or 0.  Nothing
 * here touches the store.
 */
#ifndef YL_CHECK_H
#define YL_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "util/fault.h"

/*
 * Text: valid UTF-8 without control characters (\t \r \n allowed), at most
 * max_chars characters.  How absence and blankness are treated:
 *   TEXT_OPTIONAL  NULL passes, and so does blank text;
 *   TEXT_REQUIRED  present and not blank ("%s is required", "%s must not be blank");
 *   TEXT_NOT_BLANK NULL passes, but text that is given must not be blank.
 * Blank: only white space (ASCII, U+00A0, U+3000; util.h text_blank()).
 */
enum text_rule { TEXT_OPTIONAL = 0, TEXT_REQUIRED = 1, TEXT_NOT_BLANK = 2 };
int check_text(const char *field, const char *v, size_t max_chars, enum text_rule rule, struct fault *f);

/*
 * Phones are kept as given without spaces: a mainland mobile (1, then 3..9,
 * then 9 digits) or a landline (0 and a 2-3 digit area code, an optional '-',
 * then 7 or 8 digits: 0531-88888888, 01088888888).
 */
int phone_valid(const char *s, size_t n);
/* *out: NULL for NULL or blank input, else the number without spaces (new string). */
int phone_normalise(const char *field, const char *in, char **out, struct fault *f);

/*
 * GB 11643-1999 citizen identity number: 17 digits (6 of place, 8 of birth
 * date, 3 of sequence) and a check character, ISO 7064 MOD 11-2 over weights
 * 2^(17-i) mod 11, "10X98765432"; a lower-case x is taken.  The birth date
 * must be a real date.
 */
int idno_valid(const char *s);

/*
 * GB 32100-2015 unified social credit code: 18 characters from
 * "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I O Z S V): registration authority,
 * kind, 6-digit division code, 9-character organisation code, and a check
 * character: 31 - (sum of value(c_i) * (3^(i-1) mod 31)) mod 31, 31 read as 0.
 * Lower case is refused: the code is printed in capitals.
 */
int uscc_valid(const char *s);

/*
 * Money as fixed-point integers, never floating point.  A scale is the number
 * of decimal places kept: MONEY_FEN (2: yuan in 1/100) and MONEY_WAN (4: 万元
 * to the yuan).  Text is an optional '-', digits, and at most scale decimals
 * ("20.27", "-3", "0.5"); more decimals are refused, not rounded.
 */
enum money_scale { MONEY_FEN = 2, MONEY_WAN = 4 };
int money_parse(const char *s, enum money_scale scale, int64_t *out);
/* Shortest text of v: "20.27", "3", "-0.5". */
void money_format(int64_t v, enum money_scale scale, char *out, size_t outlen);

/*
 * Times as people and other systems write them, to unix seconds.  A time with
 * no zone is Asia/Shanghai (UTC+8, no DST).  Flags say what a source may use:
 *   TIME_SLASH_DATE  YYYY/M/D and one-digit months, days and hours (spreadsheets);
 *   TIME_T_ONLY      only 'T' between date and time (ISO 8601 as Open311 has it);
 *   TIME_SEP_RUN     any run of ' ' and 'T' between date and time;
 *   TIME_NO_SECONDS  seconds may be left out (HH:MM);
 *   TIME_ZONE        'Z' or +hh:mm / -hh:mm may follow;
 *   TIME_ZONE_NEEDED a zone must follow;
 *   TIME_FRACTION    .digits after the seconds, dropped.
 * The date is always a real date; hours 0..23, minutes and seconds 0..59.
 */
enum {
	TIME_SLASH_DATE = 1 << 0,
	TIME_T_ONLY = 1 << 1,
	TIME_SEP_RUN = 1 << 2,
	TIME_NO_SECONDS = 1 << 3,
	TIME_ZONE = 1 << 4,
	TIME_ZONE_NEEDED = 1 << 5,
	TIME_FRACTION = 1 << 6,
};
int time_parse(const char *s, unsigned flags, int64_t *out);
/* Up to max decimal digits at s: how many were read (0: none), their value in *out. */
size_t digits_read(const char *s, size_t max, int *out);

/* Numbers and keys that travel between systems (headers, files): 1..max printable ASCII, no spaces. */
int ascii_token_valid(const char *s, size_t max);

/* 是/否 and the English words for them (yes no, true false, y n, 1 0, in any case): *out 1 or 0; -1 when neither. */
int yesno_parse(const char *s, int *out);

#endif
