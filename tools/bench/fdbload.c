// SPDX-License-Identifier: GPL-2.0
/*
 * fdbload: program and dump a big FDB through rtnetlink, timed.
 *
 *   fdbload add DEV FIRST COUNT     add COUNT static entries
 *   fdbload dump DEV                count the entries of DEV
 *
 * "add" sends the requests bridge(8) sends for
 *   bridge fdb add MAC dev DEV dst IP self permanent
 * but BATCH of them per sendmsg(2), as a control plane programming a big
 * table would, so the figure is the kernel's cost and not that of
 * bridge(8)'s parsing, which under TCG dominates.  Entry i has MAC
 * 02:00:<i as 4 bytes> and VTEP 10.1.x.y with 100 MACs per VTEP, the
 * shape of a container overlay (many MACs per host).  Every request is
 * acknowledged; any error stops the run with the kernel's message.
 * Both print the elapsed seconds:  "added N seconds S" / "entries N
 * seconds S".  The netns is the caller's (ip netns exec).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH	256	/* requests per sendmsg */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int count_arg(const char *s, const char *what, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || end == s || *end || *out > 16777215) {
		fprintf(stderr, "fdbload: %s must be a number up to 16777215: '%s'\n", what, s);
		return -1;
	}
	return 0;
}

static struct mnl_socket *open_rtnl(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	int one = 1, rcvbuf = 4 << 20;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("fdbload: netlink");
		exit(1);
	}
	/* Room for a whole batch of acknowledgements. */
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	return nl;
}

/* The kernel's extended-ack message, if it sent one. */
static const char *ext_msg(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return "";
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += mnl_nlmsg_get_payload_len(&e->msg);
	mnl_attr_for_each(a, nlh, off)
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
			return mnl_attr_get_str(a);
	return "";
}

/* Read acknowledgements until `want` have arrived; -1 on the first error. */
static int read_acks(struct mnl_socket *nl, unsigned int want)
{
	static char buf[1 << 16];
	unsigned int got = 0;

	while (got < want) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		struct nlmsghdr *nlh;
		int len = n;

		if (n < 0) {
			perror("fdbload: recv");
			return -1;
		}
		for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

			if (nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			if (e->error) {
				fprintf(stderr, "fdbload: request %u: %s %s\n", nlh->nlmsg_seq,
					strerror(-e->error), ext_msg(nlh));
				return -1;
			}
			got++;
		}
	}
	return 0;
}

static int do_add(const char *dev, unsigned long first, unsigned long count)
{
	static char buf[BATCH * 128];
	struct mnl_socket *nl = open_rtnl();
	unsigned int ifindex = if_nametoindex(dev), seq = 0;
	unsigned long i = first, end = first + count;
	double t0;

	if (!ifindex) {
		fprintf(stderr, "fdbload: no device '%s'\n", dev);
		return 1;
	}
	t0 = now();
	while (i < end) {
		struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(buf, sizeof(buf));
		unsigned int n = 0;

		for (; i < end && n < BATCH; i++, n++) {
			struct nlmsghdr *nlh = mnl_nlmsg_put_header(mnl_nlmsg_batch_current(b));
			struct ndmsg *ndm;
			unsigned char mac[6] = { 2, 0, i >> 24, i >> 16, i >> 8, i };
			unsigned long v = i / 100;
			struct in_addr dst = { htonl(10u << 24 | 1u << 16 |
						     (v / 250 % 250) << 8 | (v % 250 + 1)) };

			nlh->nlmsg_type = RTM_NEWNEIGH;
			nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
			nlh->nlmsg_seq = ++seq;
			ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
			ndm->ndm_family = AF_BRIDGE;
			ndm->ndm_ifindex = ifindex;
			ndm->ndm_state = NUD_PERMANENT;
			ndm->ndm_flags = NTF_SELF;
			mnl_attr_put(nlh, NDA_LLADDR, sizeof(mac), mac);
			mnl_attr_put(nlh, NDA_DST, sizeof(dst), &dst);
			mnl_nlmsg_batch_next(b);
		}
		if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(b), mnl_nlmsg_batch_size(b)) < 0) {
			perror("fdbload: send");
			return 1;
		}
		mnl_nlmsg_batch_stop(b);
		if (read_acks(nl, n))
			return 1;
	}
	printf("added %lu seconds %.3f\n", count, now() - t0);
	mnl_socket_close(nl);
	return 0;
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
	unsigned long *n = data;

	if (nlh->nlmsg_type == RTM_NEWNEIGH && ndm->ndm_family == AF_BRIDGE)
		(*n)++;
	return MNL_CB_OK;
}

static int do_dump(const char *dev)
{
	static char buf[1 << 16];
	struct mnl_socket *nl = open_rtnl();
	unsigned int ifindex = if_nametoindex(dev);
	unsigned long n = 0;
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;
	double t0;
	int ret;

	if (!ifindex) {
		fprintf(stderr, "fdbload: no device '%s'\n", dev);
		return 1;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETNEIGH;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = 1;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = AF_BRIDGE;
	ndm->ndm_ifindex = ifindex;	/* strict dump: only this port */
	t0 = now();
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		perror("fdbload: send");
		return 1;
	}
	do {
		ssize_t len = mnl_socket_recvfrom(nl, buf, sizeof(buf));

		if (len < 0) {
			perror("fdbload: recv");
			return 1;
		}
		ret = mnl_cb_run(buf, len, 1, mnl_socket_get_portid(nl), count_cb, &n);
	} while (ret > 0);
	if (ret < 0) {
		perror("fdbload: dump");
		return 1;
	}
	printf("entries %lu seconds %.3f\n", n, now() - t0);
	mnl_socket_close(nl);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long first, count;

	if (argc == 5 && !strcmp(argv[1], "add")) {
		if (count_arg(argv[3], "FIRST", &first) || count_arg(argv[4], "COUNT", &count))
			return 2;
		if (first + count > 16777216) {
			fprintf(stderr, "fdbload: FIRST + COUNT must stay below 2^24\n");
			return 2;
		}
		return do_add(argv[2], first, count);
	}
	if (argc == 3 && !strcmp(argv[1], "dump"))
		return do_dump(argv[2]);
	fprintf(stderr, "usage: fdbload add DEV FIRST COUNT\n"
			"       fdbload dump DEV\n");
	return 2;
}
