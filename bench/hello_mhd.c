/*
 * hello_mhd.c - the trivial libmicrohttpd response: the same daemon settings
 * as the server (internal polling thread, epoll, a pool of THREADS), answering
 * every request with a fixed 16-byte JSON body.  What "get one" is judged
 * against: the transport's own ceiling on this machine.
 *
 *   build/bench/hello_mhd [THREADS]     prints "listening on PORT", stops on SIGTERM/SIGINT
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char BODY[] = "{\"hello\":\"yl\"}\n";
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			      const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;
	if (!*con_cls) {	/* answer on the second call, as the server does */
		*con_cls = (void *)1;
		return MHD_YES;
	}
	*upload_data_size = 0;
	r = MHD_create_response_from_buffer(sizeof(BODY) - 1, (void *)BODY, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "application/json");
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

int main(int argc, char **argv)
{
	unsigned threads = argc > 1 ? (unsigned)atoi(argv[1]) : 2;
	const union MHD_DaemonInfo *info;
	struct sockaddr_in addr;
	struct MHD_Daemon *d;

	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC, 0, NULL, NULL, answer, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT, 1024u,
			     MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "hello_mhd: cannot start\n");
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("listening on %u\n", info ? info->port : 0);
	fflush(stdout);
	while (!stop)
		pause();
	MHD_stop_daemon(d);
	return 0;
}
