/*
 * test_upload.c - src/workorder/upload.c: content checks of JPEG and PNG,
 * files stored once by their SHA-256, one row per upload, and who may see one.
 */
#include "unit.h"

#include "auth/auth.h"
#include "org/org.h"
#include "store/store.h"
#include "util/util.h"
#include "workorder/upload.h"
#include "workorder/workorder.h"

#include <dirent.h>
#include <sys/stat.h>

/* A real 4x4 RGB PNG (libpng). */
static const unsigned char PNG[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
	0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0x08, 0x02, 0x00, 0x00, 0x00, 0x26, 0x93, 0x09,
	0x29, 0x00, 0x00, 0x00, 0x16, 0x49, 0x44, 0x41, 0x54, 0x08, 0x99, 0x63, 0x3c, 0xc1, 0x60, 0xc4,
	0xc0, 0xcf, 0x00, 0x41, 0x2c, 0x0c, 0x36, 0x0c, 0x44, 0x70, 0x00, 0x55, 0x24, 0x02, 0x70, 0x06,
	0xea, 0x12, 0x47, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

/* The shape of a JPEG: SOI, an APP0 segment of 16 bytes, EOI. */
static const unsigned char JPEG[] = {
	0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
	0x00, 0x01, 0x00, 0x00, 0xff, 0xd9,
};

static const char *sniff(const void *data, size_t len, struct fault *f)
{
	memset(f, 0, sizeof(*f));
	return wo_upload_sniff(data, len, "file", f);
}

static void expect_not_image(const void *data, size_t len, const char *words)
{
	struct fault f;

	if (sniff(data, len, &f))
		fail_msg("taken for an image (%s)", words);
	assert_int_equal(f.kind, FAULT_INVALID);
	assert_string_equal(f.field, "file");
	assert_string_equal(f.code, WO_UPLOAD_NOT_IMAGE);
	if (!strstr(f.message, words))
		fail_msg("message '%s' lacks '%s'", f.message, words);
}

static void test_content_checks(void **state)
{
	unsigned char buf[sizeof(PNG)];
	struct fault f;

	(void)state;
	assert_string_equal(sniff(PNG, sizeof(PNG), &f), "image/png");
	assert_string_equal(sniff(JPEG, sizeof(JPEG), &f), "image/jpeg");
	/* A text file named photo.png. */
	expect_not_image("hello, this is not a photo\n", 27, "neither the PNG signature nor a JPEG");
	expect_not_image("", 0, "empty");
	/* PNGs that are not whole. */
	expect_not_image(PNG, sizeof(PNG) - 1, "IEND");
	expect_not_image(PNG, 40, "too short");
	memcpy(buf, PNG, sizeof(PNG));
	buf[12] = 'X';				/* no IHDR first */
	expect_not_image(buf, sizeof(buf), "IHDR");
	memcpy(buf, PNG, sizeof(PNG));
	buf[24] = 3;				/* bit depth 3 */
	expect_not_image(buf, sizeof(buf), "values no PNG has");
	memcpy(buf, PNG, sizeof(PNG));
	buf[19] ^= 1;				/* the width changed under its CRC */
	expect_not_image(buf, sizeof(buf), "checksum");
	memcpy(buf, PNG, sizeof(PNG));
	memset(buf + 16, 0, 4);			/* width 0 */
	expect_not_image(buf, sizeof(buf), "zero");
	/* JPEGs that are not whole. */
	memcpy(buf, JPEG, sizeof(JPEG));
	buf[sizeof(JPEG) - 1] = 0x00;		/* cut short: no EOI at the end */
	expect_not_image(buf, sizeof(JPEG), "FF D9");
	expect_not_image(JPEG, sizeof(JPEG) - 1, "length");
	expect_not_image(JPEG, 6, "too short");
	memcpy(buf, JPEG, sizeof(JPEG));
	buf[3] = 0xd9;				/* SOI then EOI: no segment */
	expect_not_image(buf, sizeof(JPEG), "no valid segment");
	memcpy(buf, JPEG, sizeof(JPEG));
	buf[5] = 0xff;				/* a segment longer than the file */
	expect_not_image(buf, sizeof(JPEG), "length");
}

static void test_size_limit(void **state)
{
	size_t n = WO_UPLOAD_MAX_BYTES;
	unsigned char *big = xcalloc(1, n + 1);
	struct fault f;

	(void)state;
	/* Exactly 5 MiB passes; one byte more does not, whatever it holds. */
	memcpy(big, JPEG, 20);
	big[n - 2] = 0xff;
	big[n - 1] = 0xd9;
	assert_string_equal(sniff(big, n, &f), "image/jpeg");
	big[n - 1] = 0;
	big[n] = 0xd9;
	assert_null(sniff(big, n + 1, &f));
	assert_string_equal(f.code, WO_UPLOAD_TOO_LARGE);
	assert_string_equal(f.field, "file");
	free(big);
}

struct fx {
	struct store *s;
	char dir[64];
	int64_t sub, com, y1, com2, y2;
};

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));

	x->s = unit_db_open();
	snprintf(x->dir, sizeof(x->dir), "/tmp/yuanluo-uploads-XXXXXX");
	if (!x->s || !mkdtemp(x->dir)) {
		free(x);
		return -1;
	}
	x->sub = unit_node(x->s, 0, LEVEL_SUBDISTRICT, "明水街道");
	x->com = unit_node(x->s, x->sub, LEVEL_COMMUNITY, "龙泉社区");
	x->y1 = unit_node(x->s, x->com, LEVEL_COURTYARD, "君临天下");
	x->com2 = unit_node(x->s, x->sub, LEVEL_COMMUNITY, "燕山社区");
	x->y2 = unit_node(x->s, x->com2, LEVEL_COURTYARD, "燕山小区");
	*state = x;
	return 0;
}

/* Removes DIR/xx/files, DIR/xx and DIR. */
static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		char *p;
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			remove_tree(p);
		else
			unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
}

static int teardown(void **state)
{
	struct fx *x = *state;

	unit_db_close(x->s);
	remove_tree(x->dir);
	free(x);
	return 0;
}

static void mk_actor(struct actor *a, int64_t uid, int64_t scope, const char *perms)
{
	const char *p = perms;

	memset(a, 0, sizeof(*a));
	a->user_id = uid;
	snprintf(a->login, sizeof(a->login), "u%lld", (long long)uid);
	a->scope_node_id = scope;
	while (*p) {
		size_t n = strcspn(p, ",");

		snprintf(a->perms[a->nperms++], sizeof(a->perms[0]), "%.*s", (int)n, p);
		p += n;
		if (*p == ',')
			p++;
	}
}

/* Files in a folder, those starting with a dot (temporaries) counted apart. */
static size_t count_files(const char *dir, size_t *hidden)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	*hidden = 0;
	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (e->d_name[0] == '.')
			(*hidden)++;
		else
			n++;
	}
	closedir(d);
	return n;
}

static void test_save_once_per_content(void **state)
{
	struct fx *x = *state;
	struct actor grid;
	struct wo_upload a, b, c, got;
	struct fault f = { 0 };
	char *path, *sub, *dir;
	size_t hidden;
	struct stat st;

	mk_actor(&grid, 11, x->com, "workorder.create,workorder.read,workorder.read_all");
	/* A folder that does not exist yet is made. */
	dir = xasprintf("%s/data/uploads", x->dir);
	assert_int_equal(wo_upload_save(x->s, &grid, dir, PNG, sizeof(PNG), "file", &a, &f), 0);
	assert_true(a.id > 0);
	assert_string_equal(a.mime, "image/png");
	assert_int_equal(a.size, sizeof(PNG));
	assert_int_equal(a.uploaded_by, 11);
	assert_int_equal(strlen(a.sha256), 64);
	/* The same bytes again: a second row, the same hash, still one file. */
	assert_int_equal(wo_upload_save(x->s, &grid, dir, PNG, sizeof(PNG), "file", &b, &f), 0);
	assert_true(b.id != a.id);
	assert_string_equal(b.sha256, a.sha256);
	path = wo_upload_path(dir, a.sha256);
	assert_non_null(path);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, sizeof(PNG));
	sub = xasprintf("%s/%.2s", dir, a.sha256);
	assert_int_equal(count_files(sub, &hidden), 1);
	assert_int_equal(hidden, 0);		/* no temporary file left behind */
	free(sub);
	free(path);
	/* Another content, another file; a refused one writes nothing. */
	assert_int_equal(wo_upload_save(x->s, NULL, dir, JPEG, sizeof(JPEG), "file", &c, &f), 0);
	assert_string_equal(c.mime, "image/jpeg");
	assert_int_equal(c.uploaded_by, 0);
	assert_string_not_equal(c.sha256, a.sha256);
	assert_int_equal(wo_upload_save(x->s, &grid, dir, "text", 4, "file", &got, &f), -1);
	assert_string_equal(f.field, "file");
	assert_int_equal(wo_upload_get(x->s, b.id, &got, &f), 0);
	assert_string_equal(got.sha256, a.sha256);
	assert_string_equal(got.mime, "image/png");
	assert_int_equal(got.size, sizeof(PNG));
	assert_int_equal(got.uploaded_by, 11);
	assert_int_equal(wo_upload_get(x->s, 9999, &got, &f), -1);
	assert_int_equal(f.kind, FAULT_NOT_FOUND);
	/* Paths only for real hashes. */
	assert_null(wo_upload_path(dir, "../../etc/passwd"));
	assert_null(wo_upload_path(dir, NULL));
	free(dir);
}

static void test_who_sees_an_upload(void **state)
{
	struct fx *x = *state;
	struct actor grid, other_grid, desk, far_desk, rider;
	struct wo_upload u;
	struct wo_input in;
	struct fault f = { 0 };
	int64_t order;

	mk_actor(&grid, 11, x->com, "workorder.create,workorder.read,workorder.read_all");
	mk_actor(&other_grid, 12, x->com, "workorder.create,workorder.read,workorder.read_all");
	mk_actor(&desk, 13, x->com, "workorder.create,workorder.read,workorder.read_all,workorder.dispatch");
	mk_actor(&far_desk, 14, x->com2, "workorder.create,workorder.read,workorder.read_all,workorder.dispatch");
	mk_actor(&rider, 15, x->com, "workorder.create,workorder.read");
	assert_int_equal(wo_upload_save(x->s, &grid, x->dir, PNG, sizeof(PNG), "file", &u, &f), 0);
	/* Not attached: its uploader and the system only. */
	assert_int_equal(wo_upload_visible(x->s, &grid, &u), 1);
	assert_int_equal(wo_upload_visible(x->s, NULL, &u), 1);
	assert_int_equal(wo_upload_visible(x->s, &other_grid, &u), 0);
	assert_int_equal(wo_upload_visible(x->s, &desk, &u), 0);
	/* Attached to an order at 君临天下: whoever sees the order sees the photo. */
	memset(&in, 0, sizeof(in));
	in.source = "grid";
	in.type = "complaint";
	in.category_id = 6;
	in.node_id = x->y1;
	in.text = "楼道堆放杂物";
	in.photo_ids = &u.id;
	in.nphotos = 1;
	if (wo_create(x->s, &grid, &in, &order, NULL, &f) < 0)
		fail_msg("wo_create: %s", f.message);
	assert_int_equal(wo_upload_visible(x->s, &desk, &u), 1);
	assert_int_equal(wo_upload_visible(x->s, &other_grid, &u), 1);
	assert_int_equal(wo_upload_visible(x->s, &far_desk, &u), 0);	/* another community */
	assert_int_equal(wo_upload_visible(x->s, &rider, &u), 0);	/* sees only the orders it filed */
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_content_checks),
		cmocka_unit_test(test_size_limit),
		T(test_save_once_per_content),
		T(test_who_sees_an_upload),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
