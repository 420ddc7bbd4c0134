// SPDX-License-Identifier: GPL-2.0
/*
 * libfailnth.so: fail the Nth allocation of one netlink request of an
 * unmodified tool (ip, bridge, ovlctl), for selftests/fail-nth.sh.
 *
 *   FAILNTH_N=N FAILNTH_TYPE=T FAILNTH_OUT=FILE LD_PRELOAD=libfailnth.so CMD
 *
 * On the first sendmsg()/sendto()/send() whose buffer starts with a
 * netlink message of type T (RTM_NEWLINK = 16, ...), N is written to
 * /proc/thread-self/fail-nth just before the real call: the kernel then
 * fails the Nth fault-injection point (slab or page allocation) the task
 * reaches, and rtnetlink handles the request in the sender's context, so
 * the failures land in what the request runs.  Right after the call the
 * counter is read back (0: the failure was injected) and reset, and
 * FILE gets "injected 1" or "injected 0" ("injected -1": no request of
 * type T was sent).
 *
 * One failure the tool can not survive: when the allocation that fails
 * is the kernel's answer to the request (netlink_ack()), the kernel
 * reports ENOBUFS on the socket, and iproute2 prints "netlink receive
 * error" and waits for an answer that never comes.  The request has run
 * by then.  So when the socket the request went out on reports ENOBUFS,
 * FILE gets a second line "lost 1", the tool is told why on stderr and
 * it exits 75 (EX_TEMPFAIL).  Nothing else of the tool changes.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

static int armed = -1;		/* -1: not yet, 1: for the next match, 0: done */
static int nth_fd = -1;
static int want_type, nth;
static int sent_fd = -1;	/* the socket the request went out on */
static int injected = -1;

static void report(int lost)
{
	const char *out = getenv("FAILNTH_OUT");
	FILE *f;

	if (!out)
		return;
	f = fopen(out, "w");
	if (!f)
		return;
	fprintf(f, "injected %d\n", injected);
	if (lost)
		fprintf(f, "lost 1\n");
	fclose(f);
}

static void setup(void)
{
	const char *n = getenv("FAILNTH_N"), *t = getenv("FAILNTH_TYPE");

	armed = 0;
	if (!n || !t)
		return;
	nth = atoi(n);
	want_type = atoi(t);
	/* Opened now: an open() after the write would count. */
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nth_fd < 0) {
		perror("libfailnth: /proc/thread-self/fail-nth");
		exit(4);
	}
	armed = 1;
	report(0);
}

/* Is BUF a netlink message of the type asked for? */
static int matches(const void *buf, size_t len)
{
	const struct nlmsghdr *h = buf;

	return len >= sizeof(*h) && h->nlmsg_type == want_type;
}

static void arm(void)
{
	char s[16];
	int l = snprintf(s, sizeof(s), "%d", nth);

	if (write(nth_fd, s, l) != l) {
		perror("libfailnth: write fail-nth");
		exit(4);
	}
}

static void disarm(int fd)
{
	char s[16] = "";
	ssize_t l;

	l = pread(nth_fd, s, sizeof(s) - 1, 0);
	/* Stop any later injection whatever was read. */
	if (write(nth_fd, "0", 1) != 1)
		perror("libfailnth: reset fail-nth");
	armed = 0;
	sent_fd = fd;
	injected = l > 0 && atoi(s) == 0;
	report(0);
}

/* After a receive on FD returned R: the answer to the request lost? */
static void check_lost(int fd, ssize_t r)
{
	if (r >= 0 || errno != ENOBUFS || fd != sent_fd || !injected)
		return;
	report(1);
	fprintf(stderr, "libfailnth: the kernel could not allocate the answer to the request (ENOBUFS)\n");
	_exit(75);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, struct msghdr *, int);
	ssize_t r;

	if (!real)
		real = dlsym(RTLD_NEXT, "recvmsg");
	r = real(fd, msg, flags);
	check_lost(fd, r);
	return r;
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags,
		 struct sockaddr *from, socklen_t *fromlen)
{
	static ssize_t (*real)(int, void *, size_t, int,
			       struct sockaddr *, socklen_t *);
	ssize_t r;

	if (!real)
		real = dlsym(RTLD_NEXT, "recvfrom");
	r = real(fd, buf, len, flags, from, fromlen);
	check_lost(fd, r);
	return r;
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	return recvfrom(fd, buf, len, flags, NULL, NULL);
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, const struct msghdr *, int);
	ssize_t r;
	int hit;

	if (!real)
		real = dlsym(RTLD_NEXT, "sendmsg");
	if (armed < 0)
		setup();
	hit = armed == 1 && msg->msg_iovlen > 0 &&
	      matches(msg->msg_iov[0].iov_base, msg->msg_iov[0].iov_len);
	if (!hit)
		return real(fd, msg, flags);
	arm();
	r = real(fd, msg, flags);
	disarm(fd);
	return r;
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *to, socklen_t tolen)
{
	static ssize_t (*real)(int, const void *, size_t, int,
			       const struct sockaddr *, socklen_t);
	ssize_t r;

	if (!real)
		real = dlsym(RTLD_NEXT, "sendto");
	if (armed < 0)
		setup();
	if (armed != 1 || !matches(buf, len))
		return real(fd, buf, len, flags, to, tolen);
	arm();
	r = real(fd, buf, len, flags, to, tolen);
	disarm(fd);
	return r;
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	return sendto(fd, buf, len, flags, NULL, 0);
}
