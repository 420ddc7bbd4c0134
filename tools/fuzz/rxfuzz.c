// SPDX-License-Identifier: GPL-2.0
/*
 * rxfuzz: blast malformed and valid VXLAN packets at an ovl (or vxlan) UDP
 * port, reproducibly, from a raw IPv4 socket (IP_HDRINCL, sendmmsg).
 *
 *   rxfuzz --src A --dst B [--port P] --dev VNI,MAC [--dev ...]
 *          [--static-mac MAC] [--seed N] [--count N] [--mode fuzz|flood]
 *
 * fuzz:  every packet is one of the cases in case_names[] below (truncated
 *        UDP, truncated VXLAN header, all 256 flag bytes, random VNIs,
 *        truncated/runt/jumbo/VLAN inner frames, bad source MACs, ECN
 *        combinations, outer fragments, random mutations of valid packets).
 * flood: valid packets to the first --dev whose inner source MACs are all
 *        different (a bijection of the packet number), for learning limits.
 *
 * The IP header is always well-formed (the kernel fills tot_len and the
 * checksum): the target is ovl, not the IP layer.  Outer fragments come in
 * groups; a group is complete (the kernel reassembles one datagram) or
 * misses one fragment (the kernel drops it when ipfrag_time expires), so
 * the receiver can account in datagrams.  The summary on stdout
 * ("key value" lines) says what was sent; the same seed sends the same
 * packets.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "pkt.h"

#define BATCH		64
#define MAX_DEVS	8
#define MAX_PKT		9000	/* the underlay MTU the tests set */
#define MAC_POOL	64	/* valid source MACs: keeps learning busy, not full */

enum fuzz_case {
	C_VALID, C_FLAGS, C_VNI, C_SHORT_UDP, C_SHORT_HDR, C_INNER_SHORT,
	C_RUNT, C_JUMBO, C_VLAN, C_BAD_SRC, C_ECN, C_MUTATE, C_FRAG, C_FLOOD,
	C_MAX
};

static const char *const case_names[C_MAX] = {
	"valid", "flags", "vni", "short_udp", "short_hdr", "inner_short",
	"runt", "jumbo", "vlan", "bad_src", "ecn", "mutate", "frag", "flood",
};

/* Relative weights of the fuzz cases (flood is its own mode). */
static const unsigned int case_weight[C_MAX] = {
	[C_VALID] = 15, [C_FLAGS] = 10, [C_VNI] = 8, [C_SHORT_UDP] = 5,
	[C_SHORT_HDR] = 5, [C_INNER_SHORT] = 5, [C_RUNT] = 5, [C_JUMBO] = 2,
	[C_VLAN] = 8, [C_BAD_SRC] = 6, [C_ECN] = 6, [C_MUTATE] = 20,
	[C_FRAG] = 5,
};

struct dev {
	uint32_t vni;
	uint8_t mac[6];
};

static struct {
	struct in_addr src, dst;
	uint16_t port;
	struct dev devs[MAX_DEVS];
	int ndevs;
	uint8_t static_mac[6];
	int have_static;
	uint64_t seed;
	uint64_t count;
	int flood;
} opt = { .port = 4789 };

static struct {
	uint64_t packets;	/* IP packets on the wire, fragments included */
	uint64_t datagrams;	/* what the receiver's IP layer can deliver */
	uint64_t fragments;
	uint64_t groups_complete;
	uint64_t groups_incomplete;
	uint64_t per_case[C_MAX];
	uint64_t csum_bad;
	uint64_t csum_zero;
	uint64_t flags_seen[256];
	uint64_t retries;
} st;

static uint8_t mac_pool[MAC_POOL][6];
static uint16_t frag_id = 1;
static uint64_t flood_seq;

static void usage(void)
{
	fprintf(stderr,
		"usage: rxfuzz --src IPV4 --dst IPV4 --dev VNI,MAC [--dev VNI,MAC...]\n"
		"              [--port N] [--static-mac MAC] [--seed N] [--count N]\n"
		"              [--mode fuzz|flood]\n");
	exit(2);
}

static int parse_mac(const char *s, uint8_t *mac)
{
	unsigned int b[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5]) != 6)
		return -1;
	for (i = 0; i < 6; i++) {
		if (b[i] > 255)
			return -1;
		mac[i] = b[i];
	}
	return 0;
}

/* ---- packet construction ---- */

static void random_unicast_mac(uint8_t *mac)
{
	rnd_bytes(mac, 6);
	mac[0] = (mac[0] & 0xfc) | 0x02;	/* locally administered, unicast */
}

/* Inner Ethernet payload: an IPv4 or IPv6 header (ECN bits included),
 * ARP, or bytes; @len is what is left for it. */
static size_t inner_payload(uint8_t *p, size_t len, uint16_t *etype)
{
	size_t n;

	switch (rnd_below(4)) {
	case 0:
		*etype = 0x0800;
		n = len < 20 ? len : 20 + rnd_below(len - 20 + 1);
		rnd_bytes(p, n);
		if (n >= 20) {
			p[0] = 0x45;
			p[1] = rnd_below(256);	/* DSCP and all 4 ECN values */
		}
		return n;
	case 1:
		*etype = 0x86dd;
		n = len < 40 ? len : 40 + rnd_below(len - 40 + 1);
		rnd_bytes(p, n);
		if (n >= 2)
			p[0] = 0x60 | (p[0] & 0x0f);
		return n;
	case 2:
		*etype = 0x0806;
		n = len < 28 ? len : 28;
		rnd_bytes(p, n);
		return n;
	default:
		*etype = rnd_below(2) ? 0x88b5 : rnd_below(0x10000);
		n = rnd_below(len + 1);
		rnd_bytes(p, n);
		return n;
	}
}

/*
 * A valid inner frame of at least 60 bytes (no FCS) and at most @max,
 * from @src.  Returns its length.
 */
static size_t inner_frame(uint8_t *p, size_t max, const uint8_t *src,
			  const struct dev *d, int vlans)
{
	uint16_t etype;
	size_t off = 12, n, want;
	int i;

	switch (rnd_below(4)) {
	case 0:
		memset(p, 0xff, 6);
		break;
	case 1:
		memcpy(p, d->mac, 6);
		break;
	case 2:
		random_unicast_mac(p);
		break;
	default:
		rnd_bytes(p, 6);
		p[0] |= 1;	/* multicast */
		break;
	}
	memcpy(p + 6, src, 6);
	for (i = 0; i < vlans; i++) {
		put16(p + off, i + 1 < vlans && rnd_below(2) ? 0x88a8 : 0x8100);
		put16(p + off + 2, rnd_below(0x10000));	/* PCP, DEI, VID 0..4095 */
		off += 4;
	}
	want = 46 + rnd_below(100 < max - off - 2 ? 100 : max - off - 2 - 46 + 1);
	n = inner_payload(p + off + 2, want, &etype);
	put16(p + off, etype);
	off += 2 + n;
	if (off < 60) {
		memset(p + off, 0, 60 - off);
		off = 60;
	}
	return off;
}

static const struct dev *pick_dev(void)
{
	return &opt.devs[rnd_below(opt.ndevs)];
}

static const uint8_t *pool_src(void)
{
	return mac_pool[rnd_below(MAC_POOL)];
}

static void vxlan_hdr(uint8_t *h, uint8_t flags, uint32_t vni)
{
	memset(h, 0, 8);
	h[0] = flags;
	put32(h + 4, vni << 8);
}

/* A valid VXLAN payload (header + inner frame) into @u (UDP payload). */
static size_t valid_payload(uint8_t *u, size_t max, const struct dev *d,
			    const uint8_t *src)
{
	vxlan_hdr(u, 0x08, d->vni);
	return 8 + inner_frame(u + 8, max - 8, src, d, 0);
}

/* The 14 ECN outer/inner combinations: outer TOS ECN random, inner IPv4
 * or IPv6 with its ECN random; the receiver drops CE over not-ECT. */
static size_t ecn_payload(uint8_t *u, const struct dev *d, uint8_t *outer_tos)
{
	uint8_t *e = u + 8;
	size_t n;

	vxlan_hdr(u, 0x08, d->vni);
	memcpy(e, d->mac, 6);
	memcpy(e + 6, pool_src(), 6);
	*outer_tos = rnd_below(256);
	if (rnd_below(2)) {
		put16(e + 12, 0x0800);
		rnd_bytes(e + 14, 20);
		e[14] = 0x45;
		e[15] = rnd_below(256);
		n = 14 + 20;
	} else {
		put16(e + 12, 0x86dd);
		rnd_bytes(e + 14, 40);
		e[14] = 0x60 | (rnd_below(16));
		n = 14 + 40;
	}
	/* Sometimes the inner IP header is cut short: the pull must fail. */
	if (rnd_below(8) == 0)
		n = 14 + rnd_below(n - 14);
	return 8 + n;
}

static void mutate(uint8_t *u, size_t *len, size_t max)
{
	int i, n = 1 + rnd_below(8);

	for (i = 0; i < n && *len; i++) {
		size_t at = rnd_below(*len);

		switch (rnd_below(4)) {
		case 0:
			u[at] ^= 1 << rnd_below(8);
			break;
		case 1:
			u[at] = rnd_below(256);
			break;
		case 2:
			*len = at;	/* truncate */
			break;
		default: {
			size_t more = rnd_below(64);

			if (*len + more > max)
				more = max - *len;
			rnd_bytes(u + *len, more);
			*len += more;
			break;
		}
		}
	}
}

/*
 * One UDP datagram into @ip (IP header + UDP + payload).  Returns the IP
 * packet length; @outer_tos is what the IP header carries.
 */
static size_t build(enum fuzz_case c, uint8_t *ip)
{
	uint8_t *udp = ip + 20, *u = udp + 8;
	size_t max = MAX_PKT - 28, plen = 0;
	const struct dev *d = pick_dev();
	uint8_t tos = 0, src[6];
	uint16_t ulen;
	int csum_mode;

	switch (c) {
	case C_VALID:
		plen = valid_payload(u, 1500, d, rnd_below(16) ? pool_src() :
				     (random_unicast_mac(src), src));
		tos = rnd_below(256) & ~3;	/* never CE: these must pass */
		break;
	case C_FLOOD:
		/* A different MAC per packet: a bijection of the packet number
		 * (and the seed), so that none repeats among 2^32 packets. */
		src[0] = 0x02;
		src[1] = opt.seed >> 32;
		put32(src + 2, mix32(flood_seq++ ^ (uint32_t)opt.seed));
		vxlan_hdr(u, 0x08, opt.devs[0].vni);
		memcpy(u + 8, opt.devs[0].mac, 6);
		memcpy(u + 14, src, 6);
		put16(u + 20, 0x88b5);	/* local experimental: no stack reacts */
		memset(u + 22, 0, 46);
		plen = 8 + 60;
		break;
	case C_FLAGS: {
		uint8_t flags = st.per_case[C_FLAGS] & 0xff;	/* all 256, in turn */

		plen = valid_payload(u, 1500, d, pool_src());
		u[0] = flags;
		if (rnd_below(2))
			rnd_bytes(u + 1, 3);	/* reserved bits */
		if (rnd_below(2))
			u[7] = rnd_below(256);
		st.flags_seen[flags]++;
		break;
	}
	case C_VNI:
		plen = valid_payload(u, 1500, d, pool_src());
		put32(u + 4, (rnd_below(4) ? rnd_below(1u << 24) :
			      opt.devs[rnd_below(opt.ndevs)].vni) << 8 | u[7]);
		break;
	case C_SHORT_UDP:
		/* No room for a UDP header, or a UDP length that lies. */
		if (rnd_below(2)) {
			plen = rnd_below(8);
			rnd_bytes(udp, plen);
			ip4_hdr(ip, opt.src.s_addr, opt.dst.s_addr, 0, 20 + plen);
			return 20 + plen;
		}
		plen = valid_payload(u, 200, d, pool_src());
		break;
	case C_SHORT_HDR:
		plen = rnd_below(8);
		vxlan_hdr(u, rnd_below(2) ? 0x08 : rnd_below(256), d->vni);
		break;
	case C_INNER_SHORT:
		vxlan_hdr(u, 0x08, d->vni);
		plen = 8 + rnd_below(14);
		rnd_bytes(u + 8, plen - 8);
		break;
	case C_RUNT:
		plen = valid_payload(u, 200, d, pool_src());
		plen = 8 + 14 + rnd_below(60 - 14);
		break;
	case C_JUMBO:
		vxlan_hdr(u, 0x08, d->vni);
		memcpy(u + 8, d->mac, 6);
		memcpy(u + 14, pool_src(), 6);
		put16(u + 20, 0x0800);
		plen = 8 + 14 + 1500 + rnd_below(max - 8 - 14 - 1500 + 1);
		rnd_bytes(u + 22, plen - 22);
		u[22] = 0x45;
		break;
	case C_VLAN:
		vxlan_hdr(u, 0x08, d->vni);
		plen = 8 + inner_frame(u + 8, 300, pool_src(), d, 1 + rnd_below(3));
		if (rnd_below(4) == 0)	/* tags but a cut payload */
			plen = 8 + 14 + rnd_below(plen - 8 - 14);
		break;
	case C_BAD_SRC:
		switch (rnd_below(5)) {
		case 0:
			memcpy(src, d->mac, 6);		/* the device's own */
			break;
		case 1:
			memset(src, 0, 6);
			break;
		case 2:
			memset(src, 0xff, 6);
			break;
		case 3:
			rnd_bytes(src, 6);
			src[0] |= 1;			/* multicast */
			break;
		default:
			if (opt.have_static) {
				memcpy(src, opt.static_mac, 6);	/* static wins */
				d = &opt.devs[0];
			} else {
				memcpy(src, d->mac, 6);
			}
			break;
		}
		plen = valid_payload(u, 300, d, src);
		break;
	case C_ECN:
		plen = ecn_payload(u, d, &tos);
		break;
	case C_MUTATE:
		plen = valid_payload(u, 1500, d, pool_src());
		tos = rnd_below(256);
		mutate(u, &plen, max);
		break;
	default:
		abort();
	}

	ulen = 8 + plen;
	put16(udp, 49152 + rnd_below(16384));
	put16(udp + 2, opt.port);
	put16(udp + 4, ulen);
	put16(udp + 6, 0);
	/* A mutated UDP header is part of the fuzz: ports and length too. */
	if (c == C_MUTATE && rnd_below(16) == 0) {
		size_t l = 8;

		mutate(udp, &l, 8);
		if (l < 8)
			put16(udp + 4, rnd_below(0x10000));
	} else if (c == C_SHORT_UDP) {
		put16(udp + 4, rnd_below(2) ? rnd_below(8) : ulen + 1 + rnd_below(64));
	}

	ip4_hdr(ip, opt.src.s_addr, opt.dst.s_addr, tos, 20 + 8 + plen);
	/* Mostly right, some zero (no checksum), a few wrong; the flood is
	 * all valid. */
	csum_mode = opt.flood ? 99 : rnd_below(100);
	if (csum_mode >= 3) {
		uint16_t l = get16(udp + 4);
		uint16_t sum;

		if (csum_mode < 10) {
			st.csum_zero++;
			return 20 + 8 + plen;
		}
		/* Over what the header claims, as the receiver checks it. */
		if (l < 8 || l > 8 + plen)
			l = 8 + plen;
		sum = udp4_csum(ip, udp, l);
		put16(udp + 6, sum);
	} else {
		put16(udp + 6, 0x1234);
		st.csum_bad++;
	}
	return 20 + 8 + plen;
}

/* ---- sending ---- */

static int sock_fd;
static struct mmsghdr msgs[BATCH];
static struct iovec iovs[BATCH];
static uint8_t bufs[BATCH][MAX_PKT];
static int nqueued;
static struct sockaddr_in dst_sa;

static void flush_queue(void)
{
	int done = 0, n;

	while (done < nqueued) {
		n = sendmmsg(sock_fd, msgs + done, nqueued - done, 0);
		if (n < 0) {
			if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
				/* The sender outran the stack: wait, resend. */
				st.retries++;
				usleep(1000);
				continue;
			}
			perror("rxfuzz: sendmmsg");
			exit(1);
		}
		done += n;
	}
	st.packets += nqueued;
	nqueued = 0;
}

static uint8_t *queue_slot(void)
{
	if (nqueued == BATCH)
		flush_queue();
	return bufs[nqueued];
}

static void queue_commit(size_t len)
{
	iovs[nqueued].iov_base = bufs[nqueued];
	iovs[nqueued].iov_len = len;
	msgs[nqueued].msg_hdr.msg_iov = &iovs[nqueued];
	msgs[nqueued].msg_hdr.msg_iovlen = 1;
	msgs[nqueued].msg_hdr.msg_name = &dst_sa;
	msgs[nqueued].msg_hdr.msg_namelen = sizeof(dst_sa);
	nqueued++;
}

/*
 * A datagram sent as 2..4 fragments (8-byte aligned, in a random order);
 * incomplete groups leave one out.
 */
static void send_fragments(void)
{
	static uint8_t whole[MAX_PKT];
	size_t len = build(C_VALID, whole), plen = len - 20;
	size_t cut[5];
	int n = 2 + rnd_below(3), i, skip = -1, order[4];

	/* Cut points: 8-byte multiples, strictly increasing. */
	cut[0] = 0;
	for (i = 1; i < n; i++) {
		size_t lo = cut[i - 1] + 8, room = plen - lo;

		if (lo >= plen || room < 8 * (size_t)(n - i)) {
			n = i;
			break;
		}
		cut[i] = lo + (rnd_below((room - 8 * (n - i - 1)) / 8)) * 8;
		if (cut[i] >= plen) {
			n = i;
			break;
		}
	}
	cut[n] = plen;
	if (n < 2) {	/* too short to cut: send it whole */
		queue_commit((memcpy(queue_slot(), whole, len), len));
		st.datagrams++;
		return;
	}
	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n - 1; i > 0; i--) {
		int j = rnd_below(i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	if (rnd_below(5) == 0)
		skip = rnd_below(n);
	frag_id = frag_id == 0xffff ? 1 : frag_id + 1;

	for (i = 0; i < n; i++) {
		int k = order[i];
		size_t flen = cut[k + 1] - cut[k];
		uint8_t *p;

		if (k == skip)
			continue;
		p = queue_slot();
		memcpy(p, whole, 20);
		memcpy(p + 20, whole + 20 + cut[k], flen);
		put16(p + 4, frag_id);
		put16(p + 6, (k + 1 < n ? 0x2000 : 0) | (cut[k] / 8));
		queue_commit(20 + flen);
		st.fragments++;
	}
	st.datagrams++;
	if (skip >= 0)
		st.groups_incomplete++;
	else
		st.groups_complete++;
}

static enum fuzz_case pick_case(void)
{
	static unsigned int total;
	unsigned int r, c;

	if (!total)
		for (c = 0; c < C_MAX; c++)
			total += case_weight[c];
	r = rnd_below(total);
	for (c = 0; c < C_MAX; c++) {
		if (r < case_weight[c])
			return c;
		r -= case_weight[c];
	}
	return C_VALID;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "src", required_argument, NULL, 's' },
		{ "dst", required_argument, NULL, 'd' },
		{ "port", required_argument, NULL, 'p' },
		{ "dev", required_argument, NULL, 'v' },
		{ "static-mac", required_argument, NULL, 'm' },
		{ "seed", required_argument, NULL, 'S' },
		{ "count", required_argument, NULL, 'n' },
		{ "mode", required_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 },
	};
	struct timespec t0, t1;
	int c, i, have_seed = 0, hdrincl = 1;
	uint64_t flags_covered = 0;
	double secs;

	opt.count = 100000;
	while ((c = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		char *end;

		switch (c) {
		case 's':
			if (inet_pton(AF_INET, optarg, &opt.src) != 1)
				usage();
			break;
		case 'd':
			if (inet_pton(AF_INET, optarg, &opt.dst) != 1)
				usage();
			break;
		case 'p':
			opt.port = strtoul(optarg, &end, 0);
			if (*end || !opt.port)
				usage();
			break;
		case 'v': {
			struct dev *d = &opt.devs[opt.ndevs];

			if (opt.ndevs == MAX_DEVS)
				usage();
			d->vni = strtoul(optarg, &end, 0);
			if (*end != ',' || d->vni > 0xffffff ||
			    parse_mac(end + 1, d->mac))
				usage();
			opt.ndevs++;
			break;
		}
		case 'm':
			if (parse_mac(optarg, opt.static_mac))
				usage();
			opt.have_static = 1;
			break;
		case 'S':
			opt.seed = strtoull(optarg, &end, 0);
			if (*end)
				usage();
			have_seed = 1;
			break;
		case 'n':
			opt.count = strtoull(optarg, &end, 0);
			if (*end)
				usage();
			break;
		case 'M':
			if (!strcmp(optarg, "flood"))
				opt.flood = 1;
			else if (strcmp(optarg, "fuzz"))
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind != argc || !opt.src.s_addr || !opt.dst.s_addr || !opt.ndevs)
		usage();
	if (!have_seed) {
		clock_gettime(CLOCK_REALTIME, &t0);
		opt.seed = (uint64_t)t0.tv_sec * 1000000007ULL ^ t0.tv_nsec ^ getpid();
	}
	/* Printed first, so a crash still leaves the way to reproduce it. */
	printf("seed %llu\n", (unsigned long long)opt.seed);
	fflush(stdout);
	rnd_seed(opt.seed);
	for (i = 0; i < MAC_POOL; i++)
		random_unicast_mac(mac_pool[i]);

	sock_fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (sock_fd < 0 ||
	    setsockopt(sock_fd, IPPROTO_IP, IP_HDRINCL, &hdrincl, sizeof(hdrincl))) {
		perror("rxfuzz: raw socket");
		return 1;
	}
	dst_sa.sin_family = AF_INET;
	dst_sa.sin_addr = opt.dst;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (st.datagrams < opt.count) {
		enum fuzz_case k = opt.flood ? C_FLOOD : pick_case();

		st.per_case[k]++;
		if (k == C_FRAG) {
			send_fragments();
			continue;
		}
		queue_commit(build(k, queue_slot()));
		st.datagrams++;
	}
	flush_queue();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	for (i = 0; i < 256; i++)
		flags_covered += st.flags_seen[i] > 0;
	printf("packets %llu\n", (unsigned long long)st.packets);
	printf("datagrams %llu\n", (unsigned long long)st.datagrams);
	printf("fragments %llu\n", (unsigned long long)st.fragments);
	printf("groups_complete %llu\n", (unsigned long long)st.groups_complete);
	printf("groups_incomplete %llu\n", (unsigned long long)st.groups_incomplete);
	printf("csum_zero %llu\n", (unsigned long long)st.csum_zero);
	printf("csum_bad %llu\n", (unsigned long long)st.csum_bad);
	printf("flag_bytes_covered %llu\n", (unsigned long long)flags_covered);
	printf("send_retries %llu\n", (unsigned long long)st.retries);
	for (i = 0; i < C_MAX; i++)
		if (st.per_case[i])
			printf("case_%s %llu\n", case_names[i],
			       (unsigned long long)st.per_case[i]);
	printf("seconds %.2f\n", secs);
	printf("rate_pps %.0f\n", secs > 0 ? st.packets / secs : 0.0);
	return 0;
}
