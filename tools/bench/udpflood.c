// SPDX-License-Identifier: GPL-2.0
/*
 * udpflood: small-packet UDP rate, as received.
 *
 *   udpflood recv PORT SECONDS         print the packets/s received
 *   udpflood send ADDR PORT SECONDS [SIZE]
 *
 * The sender batches with sendmmsg(2) so that the system-call cost, which
 * TCG inflates, does not hide the cost of the device under test; iperf3
 * sends one datagram per call.  The receiver counts from its first packet
 * plus a short warm-up, for SECONDS, so neither side's start-up is in the
 * figure.  IPv4 only: the bench overlays are IPv4.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH		64
#define MAX_SIZE	1472
#define WARMUP		0.5	/* seconds skipped after the first packet */
#define FIRST_WAIT	20.0	/* give up when nothing arrives for this long */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int number(const char *s, const char *what, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno || end == s || *end || *out <= 0) {
		fprintf(stderr, "udpflood: %s must be a positive number: '%s'\n", what, s);
		return -1;
	}
	return 0;
}

static int port_of(const char *s, struct sockaddr_in *sa)
{
	double p;

	if (number(s, "PORT", &p) || p > 65535 || p != (int)p)
		return -1;
	sa->sin_family = AF_INET;
	sa->sin_port = htons((int)p);
	return 0;
}

static int do_recv(int argc, char **argv)
{
	static char bufs[BATCH][MAX_SIZE + 1];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in sa = { 0 };
	struct timeval tv = { .tv_usec = 100000 };
	double secs, t0 = 0, start, end, t;
	unsigned long long count = 0;
	int fd, i, n, rcvbuf = 8 << 20;

	if (argc != 4 || port_of(argv[2], &sa) || number(argv[3], "SECONDS", &secs))
		return 2;
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("udpflood: bind");
		return 1;
	}
	/* A deep queue: the figure is what the stack delivers, not what a
	 * briefly descheduled receiver had room for. FORCE needs root. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (i = 0; i < BATCH; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = sizeof(bufs[i]);
		memset(&msgs[i], 0, sizeof(msgs[i]));
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	printf("ready\n");
	fflush(stdout);

	start = now();
	end = 0;
	for (;;) {
		n = recvmmsg(fd, msgs, BATCH, 0, NULL);
		t = now();
		if (!t0) {
			if (n > 0) {
				t0 = t + WARMUP;
				end = t0 + secs;
			} else if (t - start > FIRST_WAIT) {
				fprintf(stderr, "udpflood: nothing received in %.0f s\n", FIRST_WAIT);
				return 1;
			}
			continue;
		}
		if (t >= end)
			break;
		if (n > 0 && t >= t0)
			count += n;
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			perror("udpflood: recvmmsg");
			return 1;
		}
	}
	printf("packets %llu seconds %.3f pps %.0f\n", count, secs, count / secs);
	return 0;
}

static int do_send(int argc, char **argv)
{
	static char buf[MAX_SIZE];
	struct mmsghdr msgs[BATCH];
	struct iovec iov;
	struct sockaddr_in sa = { 0 };
	double secs, size = 64, end;
	unsigned long long sent = 0, refused = 0;
	int fd, i, n;

	if (argc < 5 || argc > 6 || port_of(argv[3], &sa) ||
	    number(argv[4], "SECONDS", &secs) ||
	    (argc == 6 && number(argv[5], "SIZE", &size)))
		return 2;
	if (size > MAX_SIZE) {
		fprintf(stderr, "udpflood: SIZE at most %d\n", MAX_SIZE);
		return 2;
	}
	if (inet_pton(AF_INET, argv[2], &sa.sin_addr) != 1) {
		fprintf(stderr, "udpflood: not an IPv4 address: '%s'\n", argv[2]);
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("udpflood: connect");
		return 1;
	}
	iov.iov_base = buf;
	iov.iov_len = (size_t)size;
	for (i = 0; i < BATCH; i++) {
		memset(&msgs[i], 0, sizeof(msgs[i]));
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	end = now() + secs;
	while (now() < end) {
		n = sendmmsg(fd, msgs, BATCH, 0);
		if (n > 0)
			sent += n;
		else if (errno == ECONNREFUSED || errno == ENOBUFS || errno == EAGAIN)
			refused++;	/* the receiver is not up yet, or a full queue */
		else {
			perror("udpflood: sendmmsg");
			return 1;
		}
	}
	printf("sent %llu errors %llu\n", sent, refused);
	return 0;
}

int main(int argc, char **argv)
{
	int rc = 2;

	if (argc >= 2 && !strcmp(argv[1], "recv"))
		rc = do_recv(argc, argv);
	else if (argc >= 2 && !strcmp(argv[1], "send"))
		rc = do_send(argc, argv);
	if (rc == 2)
		fprintf(stderr, "usage: udpflood recv PORT SECONDS\n"
				"       udpflood send ADDR PORT SECONDS [SIZE]\n");
	return rc;
}
