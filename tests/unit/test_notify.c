/* test_notify.c - src/util/notify.c: the sd_notify datagram, to a path or an abstract socket. */
#include "unit.h"
#include "util/notify.h"

#include <sys/socket.h>
#include <sys/un.h>

/* A datagram socket bound to name ("@x": abstract); the caller sets NOTIFY_SOCKET to name. */
static int listener(const char *name)
{
	struct sockaddr_un sa;
	size_t n = strlen(name);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, name, n);
	if (name[0] == '@')
		sa.sun_path[0] = '\0';
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n)), 0);
	return fd;
}

static void receives(int fd, const char *want)
{
	char got[256];
	ssize_t n = recv(fd, got, sizeof(got) - 1, MSG_DONTWAIT);

	assert_true(n >= 0);
	got[n] = '\0';
	assert_string_equal(got, want);
}

static void test_no_manager(void **state)
{
	(void)state;
	unsetenv("NOTIFY_SOCKET");
	assert_int_equal(service_notify("READY=1"), 0);
	setenv("NOTIFY_SOCKET", "", 1);
	assert_int_equal(service_notify("READY=1"), 0);
	unsetenv("NOTIFY_SOCKET");
}

static void test_path_socket(void **state)
{
	char path[64];
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/yl-notify-%ld.sock", (long)getpid());
	unlink(path);
	fd = listener(path);
	setenv("NOTIFY_SOCKET", path, 1);
	assert_int_equal(service_notify("READY=1\nSTATUS=listening on 127.0.0.1:8080"), 1);
	receives(fd, "READY=1\nSTATUS=listening on 127.0.0.1:8080");
	assert_int_equal(service_notify("STOPPING=1"), 1);
	receives(fd, "STOPPING=1");
	close(fd);
	unlink(path);
	/* Nobody listens there any more: a failure the server logs and survives. */
	assert_int_equal(service_notify("READY=1"), -1);
	unsetenv("NOTIFY_SOCKET");
}

static void test_abstract_socket(void **state)
{
	char name[64];
	int fd;

	(void)state;
	snprintf(name, sizeof(name), "@yl-notify-test-%ld", (long)getpid());
	fd = listener(name);
	setenv("NOTIFY_SOCKET", name, 1);
	assert_int_equal(service_notify("READY=1"), 1);
	receives(fd, "READY=1");
	close(fd);
	unsetenv("NOTIFY_SOCKET");
}

static void test_bad_address(void **state)
{
	char longname[200];

	(void)state;
	setenv("NOTIFY_SOCKET", "relative/path", 1);
	assert_int_equal(service_notify("READY=1"), -1);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[0] = '/';
	longname[sizeof(longname) - 1] = '\0';
	setenv("NOTIFY_SOCKET", longname, 1);
	assert_int_equal(service_notify("READY=1"), -1);
	unsetenv("NOTIFY_SOCKET");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_manager),
		cmocka_unit_test(test_path_socket),
		cmocka_unit_test(test_abstract_socket),
		cmocka_unit_test(test_bad_address),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
