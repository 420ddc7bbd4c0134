// SPDX-License-Identifier: GPL-2.0
/*
 * tcprr: TCP request/response rate on one connection (netperf's TCP_RR;
 * netperf is not in Debian main).
 *
 *   tcprr server PORT                   serve one connection, then exit
 *   tcprr client ADDR PORT SECONDS [SIZE]
 *
 * The client sends SIZE bytes (default 1), waits for SIZE bytes back, and
 * repeats for SECONDS; it prints transactions/s and the median and 99th
 * percentile round trip.  One transaction in flight at a time, so the
 * rate is 1 / latency.  IPv4 only.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SIZE	65536
#define BUCKETS		100000	/* 1 us each: round trips up to 100 ms */

static unsigned long hist[BUCKETS + 1];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int number(const char *s, const char *what, double max, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno || end == s || *end || *out <= 0 || *out > max) {
		fprintf(stderr, "tcprr: %s must be a number in (0, %.0f]: '%s'\n", what, max, s);
		return -1;
	}
	return 0;
}

/* Move exactly len bytes; 0 on success, -1 on error or end of stream. */
static int full(int fd, char *buf, size_t len, int writing)
{
	ssize_t n;

	while (len) {
		n = writing ? write(fd, buf, len) : read(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

static void nodelay(int fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static int do_server(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	static char buf[MAX_SIZE];
	double port;
	int lfd, fd, one = 1;
	ssize_t n;

	if (argc != 3 || number(argv[2], "PORT", 65535, &port))
		return 2;
	sa.sin_port = htons((int)port);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 1)) {
		perror("tcprr: listen");
		return 1;
	}
	fd = accept(lfd, NULL, NULL);
	if (fd < 0) {
		perror("tcprr: accept");
		return 1;
	}
	nodelay(fd);
	/* Echo whatever arrives: the client sends one request at a time. */
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (full(fd, buf, n, 1))
			break;
	return 0;
}

static double percentile(unsigned long total, double p)
{
	unsigned long want = (unsigned long)(total * p), seen = 0;
	int i;

	for (i = 0; i <= BUCKETS; i++) {
		seen += hist[i];
		if (seen > want)
			return i;
	}
	return BUCKETS;
}

static int do_client(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	static char buf[MAX_SIZE];
	double port, secs, size = 1, t, start, end;
	unsigned long count = 0;
	long us;
	int fd;

	if (argc < 5 || argc > 6 || number(argv[3], "PORT", 65535, &port) ||
	    number(argv[4], "SECONDS", 3600, &secs) ||
	    (argc == 6 && number(argv[5], "SIZE", MAX_SIZE, &size)))
		return 2;
	if (inet_pton(AF_INET, argv[2], &sa.sin_addr) != 1) {
		fprintf(stderr, "tcprr: not an IPv4 address: '%s'\n", argv[2]);
		return 2;
	}
	sa.sin_port = htons((int)port);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("tcprr: connect");
		return 1;
	}
	nodelay(fd);
	/* One untimed round trip: ARP and the first-packet paths are not
	 * what is measured. */
	if (full(fd, buf, (size_t)size, 1) || full(fd, buf, (size_t)size, 0))
		goto broken;
	start = now();
	end = start + secs;
	for (t = start; t < end; ) {
		double t1;

		if (full(fd, buf, (size_t)size, 1) || full(fd, buf, (size_t)size, 0))
			goto broken;
		t1 = now();
		us = (long)((t1 - t) * 1e6);
		hist[us > BUCKETS ? BUCKETS : us]++;
		count++;
		t = t1;
	}
	printf("transactions %lu seconds %.3f tps %.0f p50_us %.0f p99_us %.0f\n",
	       count, t - start, count / (t - start),
	       percentile(count, 0.50), percentile(count, 0.99));
	return 0;
broken:
	fprintf(stderr, "tcprr: connection broken\n");
	return 1;
}

int main(int argc, char **argv)
{
	int rc = 2;

	if (argc >= 2 && !strcmp(argv[1], "server"))
		rc = do_server(argc, argv);
	else if (argc >= 2 && !strcmp(argv[1], "client"))
		rc = do_client(argc, argv);
	if (rc == 2)
		fprintf(stderr, "usage: tcprr server PORT\n"
				"       tcprr client ADDR PORT SECONDS [SIZE]\n");
	return rc;
}
