/* test_multipart.c - src/http/multipart.c: the boundary of a Content-Type, and bodies good, bad and cut short. */
#include "unit.h"
#include "http/multipart.h"
#include "util/util.h"

static const struct multipart_limits LIM = { 8, 1024, 512 };

/* Parses a copy of exactly len bytes (no NUL after it), so that ASan sees any read past the end. */
static int parse_exact(struct multipart *mp, const char *body, size_t len, const char *boundary,
		       const struct multipart_limits *lim)
{
	char *copy = xmalloc(len ? len : 1);
	int rc;

	memcpy(copy, body, len);
	rc = multipart_parse(mp, copy, len, boundary, lim);
	if (rc == 0 && mp->n) {
		/* The parts point into the body: re-point them at the caller's text before freeing the copy. */
		size_t i;

		for (i = 0; i < mp->n; i++)
			mp->parts[i].data = body + (mp->parts[i].data - copy);
	}
	free(copy);
	return rc;
}

static int parse(struct multipart *mp, const char *body, const char *boundary)
{
	return parse_exact(mp, body, strlen(body), boundary, &LIM);
}

/* ---- the boundary ---- */

static void test_boundary(void **state)
{
	char b[MULTIPART_BOUNDARY_MAX + 1];
	char long_ct[200];

	(void)state;
	assert_int_equal(multipart_boundary("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxk", b,
					    sizeof(b)),
			 0);
	assert_string_equal(b, "----WebKitFormBoundary7MA4YWxk");
	/* Quoted, with characters only a quoted boundary may hold, and an escape. */
	assert_int_equal(multipart_boundary("Multipart/Form-Data;charset=utf-8; BOUNDARY=\"a b:c\\\"d?\"", b, sizeof(b)),
			 -2);	/* '"' is no bchar */
	assert_int_equal(multipart_boundary("multipart/form-data; charset=utf-8; boundary=\"a b:(c)=d?\"", b, sizeof(b)), 0);
	assert_string_equal(b, "a b:(c)=d?");
	assert_int_equal(multipart_boundary("MULTIPART/FORM-DATA ; boundary=x ;", b, sizeof(b)), 0);
	assert_string_equal(b, "x");
	/* Not multipart at all. */
	assert_int_equal(multipart_boundary("image/png", b, sizeof(b)), -1);
	assert_string_equal(b, "");
	assert_int_equal(multipart_boundary("multipart/mixed; boundary=x", b, sizeof(b)), -1);
	assert_int_equal(multipart_boundary("multipart/form-datax; boundary=x", b, sizeof(b)), -1);
	assert_int_equal(multipart_boundary(NULL, b, sizeof(b)), -1);
	assert_int_equal(multipart_boundary("", b, sizeof(b)), -1);
	/* Multipart with a bad or missing boundary: the reason is in b. */
	assert_int_equal(multipart_boundary("multipart/form-data", b, sizeof(b)), -2);
	assert_non_null(strstr(b, "no boundary"));
	assert_int_equal(multipart_boundary("multipart/form-data; boundary=", b, sizeof(b)), -2);
	assert_int_equal(multipart_boundary("multipart/form-data; boundary=\"\"", b, sizeof(b)), -2);
	assert_int_equal(multipart_boundary("multipart/form-data; boundary=\"ends with space \"", b, sizeof(b)), -2);
	assert_int_equal(multipart_boundary("multipart/form-data; boundary=\"unclosed", b, sizeof(b)), -2);
	assert_int_equal(multipart_boundary("multipart/form-data; boundary=a; boundary=b", b, sizeof(b)), -2);
	assert_non_null(strstr(b, "twice"));
	assert_int_equal(multipart_boundary("multipart/form-data; boundary=\"a\x01\"", b, sizeof(b)), -2);
	assert_int_equal(multipart_boundary("multipart/form-data boundary=x", b, sizeof(b)), -2);
	/* 70 characters is the most. */
	snprintf(long_ct, sizeof(long_ct), "multipart/form-data; boundary=%.70s",
		 "0123456789012345678901234567890123456789012345678901234567890123456789XYZ");
	assert_int_equal(multipart_boundary(long_ct, b, sizeof(b)), 0);
	assert_int_equal(strlen(b), 70);
	snprintf(long_ct, sizeof(long_ct), "multipart/form-data; boundary=%.71s",
		 "0123456789012345678901234567890123456789012345678901234567890123456789XYZ");
	assert_int_equal(multipart_boundary(long_ct, b, sizeof(b)), -2);
	assert_non_null(strstr(b, "longer than 70"));
	/* A long parameter of another name is skipped, not taken for the boundary nor looped on. */
	{
		struct buf ct = BUF_INIT;
		int i;

		buf_init(&ct);
		buf_adds(&ct, "multipart/form-data; x-long=");
		for (i = 0; i < 40; i++)
			buf_adds(&ct, "abcdefghij");
		buf_adds(&ct, "; boundary=zz");
		assert_int_equal(multipart_boundary(ct.data, b, sizeof(b)), 0);
		assert_string_equal(b, "zz");
		buf_release(&ct);
	}
	/* Too small an output buffer is refused, not overrun. */
	assert_int_equal(multipart_boundary("multipart/form-data; boundary=x", b, 10), -1);
}

/* ---- good bodies ---- */

static void test_two_parts(void **state)
{
	static const char body[] =
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"note\"\r\n"
		"\r\n"
		"hello\r\n"
		"--XyZ\r\n"
		"content-disposition: FORM-DATA; NAME=file; filename=\"a \\\"b\\\".png\"\r\n"
		"Content-Type: image/png\r\n"
		"X-Other: ignored\r\n"
		"\r\n"
		"\x89PNG\r\n\x1a\n\0\0--XyZ not at a line start\r\n"
		"--XyZ--\r\n";
	struct multipart mp;

	(void)state;
	assert_int_equal(parse_exact(&mp, body, sizeof(body) - 1, "XyZ", &LIM), 0);
	assert_int_equal(mp.n, 2);
	assert_string_equal(mp.parts[0].name, "note");
	assert_null(mp.parts[0].filename);
	assert_null(mp.parts[0].content_type);
	assert_int_equal(mp.parts[0].len, 5);
	assert_memory_equal(mp.parts[0].data, "hello", 5);
	assert_string_equal(mp.parts[1].name, "file");
	assert_string_equal(mp.parts[1].filename, "a \"b\".png");
	assert_string_equal(mp.parts[1].content_type, "image/png");
	/* Binary data with CR LF, NUL bytes and the boundary not at a line start stays data. */
	assert_int_equal(mp.parts[1].len, 10 + strlen("--XyZ not at a line start"));
	assert_memory_equal(mp.parts[1].data, "\x89PNG\r\n\x1a\n\0\0--XyZ", 15);
	assert_true(mp.parts[1].data > body && mp.parts[1].data < body + sizeof(body));
	multipart_release(&mp);
	assert_int_equal(mp.n, 0);
	assert_null(mp.parts);
}

static void test_preamble_padding_epilogue(void **state)
{
	struct multipart mp;

	(void)state;
	/* A preamble before the first delimiter, spaces after a delimiter, an epilogue after the last. */
	assert_int_equal(parse(&mp,
			       "This is the preamble.\r\n--b \t\r\n"
			       "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
			       "1\r\n--b--\r\nand an epilogue, --b even\r\n",
			       "b"),
			 0);
	assert_int_equal(mp.n, 1);
	assert_memory_equal(mp.parts[0].data, "1", 1);
	multipart_release(&mp);
	/* An empty part and a part with no header block but its blank line: the latter lacks a name. */
	assert_int_equal(parse(&mp, "--b\r\nContent-Disposition: form-data; name=e\r\n\r\n\r\n--b--", "b"), 0);
	assert_int_equal(mp.n, 1);
	assert_int_equal(mp.parts[0].len, 0);
	multipart_release(&mp);
	assert_int_equal(parse(&mp, "--b\r\n\r\ndata\r\n--b--", "b"), -1);
	assert_int_equal(mp.error, MULTIPART_MALFORMED);
	assert_non_null(strstr(mp.message, "no Content-Disposition"));
	multipart_release(&mp);
}

static void test_no_parts(void **state)
{
	struct multipart mp;

	(void)state;
	/* Just the close delimiter: a form with nothing in it. */
	assert_int_equal(parse(&mp, "--b--\r\n", "b"), 0);
	assert_int_equal(mp.n, 0);
	multipart_release(&mp);
	assert_int_equal(parse(&mp, "--b--", "b"), 0);
	assert_int_equal(mp.n, 0);
	multipart_release(&mp);
	/* No boundary at all, or an empty body. */
	assert_int_equal(parse(&mp, "just some text", "b"), -1);
	assert_int_equal(mp.error, MULTIPART_MALFORMED);
	assert_non_null(strstr(mp.message, "does not contain the boundary"));
	multipart_release(&mp);
	assert_int_equal(parse_exact(&mp, "", 0, "b", &LIM), -1);
	multipart_release(&mp);
	/* A bad boundary argument is refused before anything is read. */
	assert_int_equal(parse(&mp, "--b--", ""), -1);
	multipart_release(&mp);
	assert_int_equal(parse(&mp, "--b--", NULL), -1);
	multipart_release(&mp);
}

/* ---- bad bodies ---- */

static void expect_malformed(const char *body, const char *boundary, const char *words)
{
	struct multipart mp;

	if (parse(&mp, body, boundary) != -1)
		fail_msg("parsed: %s", body);
	assert_int_equal(mp.error, MULTIPART_MALFORMED);
	assert_int_equal(mp.n, 0);
	assert_null(mp.parts);
	if (!strstr(mp.message, words))
		fail_msg("message '%s' lacks '%s'", mp.message, words);
	multipart_release(&mp);
}

static void test_missing_crlfs(void **state)
{
	(void)state;
	/* The delimiter line runs straight into the headers. */
	expect_malformed("--bContent-Disposition: form-data; name=a\r\n\r\nx\r\n--b--", "b", "CRLF");
	/* Line ends of LF alone. */
	expect_malformed("--b\nContent-Disposition: form-data; name=a\n\nx\n--b--\n", "b", "CRLF");
	expect_malformed("--b\r\nContent-Disposition: form-data; name=a\nX: y\r\n\r\nx\r\n--b--", "b", "CRLF");
	/* No blank line after the headers. */
	expect_malformed("--b\r\nContent-Disposition: form-data; name=a\r\nx\r\n--b--", "b", "empty line");
	/* The data is not followed by CRLF and a delimiter. */
	expect_malformed("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx--b--", "b", "not closed");
	/* Cut short: after a delimiter, in the headers, in the data. */
	expect_malformed("--b", "b", "ends before");
	expect_malformed("--b  ", "b", "ends before");
	expect_malformed("--b\r\nContent-Disposition: form-data; name=a\r\n", "b", "empty line");
	expect_malformed("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nxyz", "b", "not closed");
	expect_malformed("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nxyz\r\n--b", "b", "ends before");
	expect_malformed("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nxyz\r\n--b\r", "b", "CRLF");
}

static void test_boundary_inside_a_part(void **state)
{
	(void)state;
	/* A line that starts with the boundary is a delimiter or an error, never data. */
	expect_malformed("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--bb\r\nmore\r\n--b--", "b",
			 "boundary");
	/* The body was made with a longer boundary than the Content-Type says. */
	expect_malformed("--abc\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--abc--", "ab", "CRLF");
}

static void test_bad_headers(void **state)
{
	(void)state;
	expect_malformed("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", "b", "no Content-Disposition");
	expect_malformed("--b\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--b--", "b", "form-data");
	expect_malformed("--b\r\nContent-Disposition: form-data; filename=a.png\r\n\r\nx\r\n--b--", "b", "no name");
	expect_malformed("--b\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nx\r\n--b--", "b", "no name");
	expect_malformed("--b\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nx\r\n--b--", "b", "twice");
	expect_malformed("--b\r\nContent-Disposition: form-data; name=a\r\nContent-Disposition: form-data; name=b\r\n"
			 "\r\nx\r\n--b--",
			 "b", "two Content-Disposition");
	expect_malformed("--b\r\nContent-Disposition: form-data; name=a\r\nContent-Type: a\r\nContent-Type: b\r\n"
			 "\r\nx\r\n--b--",
			 "b", "two Content-Type");
	expect_malformed("--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--b--", "b", "malformed");
	expect_malformed("--b\r\nContent-Disposition: form-data; name=a\r\nno colon here\r\n\r\nx\r\n--b--", "b", "':'");
	expect_malformed("--b\r\nContent-Disposition: form-data; name=a\r\nX-Long: a\r\n b\r\n\r\nx\r\n--b--", "b",
			 "folded");
	expect_malformed("--b\r\nBad Name: x\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--b--", "b",
			 "header name");
	expect_malformed("--b\r\nContent-Disposition: form-data; name=a;;\r\n\r\nx\r\n--b--", "b", "malformed");
}

/* ---- limits ---- */

static void test_part_over_the_limit(void **state)
{
	static const struct multipart_limits small = { 4, 16, 512 };
	struct buf body = BUF_INIT;
	struct multipart mp;

	(void)state;
	/* 16 bytes is the limit: 16 pass, 17 do not, and the error names the part. */
	buf_init(&body);
	buf_adds(&body, "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.jpg\"\r\n\r\n"
			"0123456789abcdef\r\n--b--\r\n");
	assert_int_equal(parse_exact(&mp, body.data, body.len, "b", &small), 0);
	assert_int_equal(mp.parts[0].len, 16);
	multipart_release(&mp);
	buf_reset(&body);
	buf_adds(&body, "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.jpg\"\r\n\r\n"
			"0123456789abcdefg\r\n--b--\r\n");
	assert_int_equal(parse_exact(&mp, body.data, body.len, "b", &small), -1);
	assert_int_equal(mp.error, MULTIPART_PART_TOO_LARGE);
	assert_string_equal(mp.part_name, "file");
	assert_non_null(strstr(mp.message, "larger than 16 bytes"));
	multipart_release(&mp);
	/* Far over the limit and never closed: still too large, found without reading to the end. */
	buf_reset(&body);
	buf_adds(&body, "--b\r\nContent-Disposition: form-data; name=\"photo\"\r\n\r\n");
	{
		int i;

		for (i = 0; i < 1000; i++)
			buf_adds(&body, "xxxxxxxxxx");
	}
	assert_int_equal(parse_exact(&mp, body.data, body.len, "b", &small), -1);
	assert_int_equal(mp.error, MULTIPART_PART_TOO_LARGE);
	assert_string_equal(mp.part_name, "photo");
	multipart_release(&mp);
	buf_release(&body);
}

static void test_too_many_parts_and_long_heads(void **state)
{
	static const struct multipart_limits two = { 2, 100, 64 };
	static const char part[] = "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n";
	struct buf body = BUF_INIT;
	struct multipart mp;

	(void)state;
	buf_init(&body);
	buf_adds(&body, part);
	buf_adds(&body, part);
	buf_adds(&body, "--b--");
	assert_int_equal(parse_exact(&mp, body.data, body.len, "b", &two), 0);
	assert_int_equal(mp.n, 2);
	multipart_release(&mp);
	buf_reset(&body);
	buf_adds(&body, part);
	buf_adds(&body, part);
	buf_adds(&body, part);
	buf_adds(&body, "--b--");
	assert_int_equal(parse_exact(&mp, body.data, body.len, "b", &two), -1);
	assert_int_equal(mp.error, MULTIPART_TOO_MANY_PARTS);
	multipart_release(&mp);
	/* A header block longer than 64 bytes. */
	buf_reset(&body);
	buf_adds(&body, "--b\r\nContent-Disposition: form-data; name=a\r\nX-Padding: "
			"0123456789012345678901234567890123456789\r\n\r\nx\r\n--b--");
	assert_int_equal(parse_exact(&mp, body.data, body.len, "b", &two), -1);
	assert_int_equal(mp.error, MULTIPART_HEAD_TOO_LARGE);
	multipart_release(&mp);
	/* Names longer than 255 bytes. */
	buf_reset(&body);
	buf_adds(&body, "--b\r\nContent-Disposition: form-data; name=\"");
	{
		int i;

		for (i = 0; i < 30; i++)
			buf_adds(&body, "0123456789");
	}
	buf_adds(&body, "\"\r\n\r\nx\r\n--b--");
	assert_int_equal(parse_exact(&mp, body.data, body.len, "b", &LIM), -1);
	assert_int_equal(mp.error, MULTIPART_MALFORMED);
	assert_non_null(strstr(mp.message, "longer than 255"));
	multipart_release(&mp);
	/* A long parameter the parser does not need (filename*) is skipped. */
	buf_reset(&body);
	buf_adds(&body, "--b\r\nContent-Disposition: form-data; filename*=");
	{
		int i;

		for (i = 0; i < 30; i++)
			buf_adds(&body, "0123456789");
	}
	buf_adds(&body, "; name=a\r\n\r\nx\r\n--b--");
	assert_int_equal(parse_exact(&mp, body.data, body.len, "b", &LIM), 0);
	assert_string_equal(mp.parts[0].name, "a");
	multipart_release(&mp);
	buf_release(&body);
}

/* ---- never out of bounds ---- */

/*
 * Every prefix of a good body, and every byte of it changed to a few telling
 * values: each parses or fails cleanly, on an exact-size copy that ASan watches.
 */
static void test_cut_and_mutated_bodies(void **state)
{
	static const char body[] =
		"pre\r\n--bnd\r\n"
		"Content-Disposition: form-data; name=\"file\"; filename=\"p.png\"\r\n"
		"Content-Type: image/png\r\n\r\n"
		"\x89PNG\r\n--bn\r\n"
		"--bnd \r\n"
		"Content-Disposition: form-data; name=x\r\n\r\n"
		"\r\n--bnd--\r\n";
	static const char repl[] = { '\0', '\r', '\n', '-', '"', ';', ':', 'b', ' ', '\\', (char)0xff };
	size_t len = sizeof(body) - 1, i, k;
	struct multipart mp;
	char *copy = xmalloc(len);

	(void)state;
	assert_int_equal(parse_exact(&mp, body, len, "bnd", &LIM), 0);
	assert_int_equal(mp.n, 2);
	assert_int_equal(mp.parts[0].len, 10);
	assert_int_equal(mp.parts[1].len, 0);
	multipart_release(&mp);
	for (i = 0; i <= len; i++) {
		int rc = parse_exact(&mp, body, i, "bnd", &LIM);

		if (rc < 0)
			assert_true(mp.message[0] != '\0');
		multipart_release(&mp);
	}
	for (i = 0; i < len; i++) {
		for (k = 0; k < sizeof(repl); k++) {
			int rc;

			memcpy(copy, body, len);
			copy[i] = repl[k];
			rc = parse_exact(&mp, copy, len, "bnd", &LIM);
			if (rc == 0) {
				size_t j;

				for (j = 0; j < mp.n; j++)
					assert_true(mp.parts[j].data >= copy && mp.parts[j].data + mp.parts[j].len <= copy + len);
			} else {
				assert_true(mp.message[0] != '\0');
			}
			multipart_release(&mp);
		}
	}
	free(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boundary),
		cmocka_unit_test(test_two_parts),
		cmocka_unit_test(test_preamble_padding_epilogue),
		cmocka_unit_test(test_no_parts),
		cmocka_unit_test(test_missing_crlfs),
		cmocka_unit_test(test_boundary_inside_a_part),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_part_over_the_limit),
		cmocka_unit_test(test_too_many_parts_and_long_heads),
		cmocka_unit_test(test_cut_and_mutated_bodies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
