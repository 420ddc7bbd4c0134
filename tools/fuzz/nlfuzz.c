// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: random and malformed rtnetlink requests against one ovl device.
 *
 *   nlfuzz --dev NAME [--seed N] [--count N] [--kind ovl]
 *
 * Requests: RTM_NEWLINK changing the device and creating new ones, with
 * IFLA_INFO_DATA garbage (wrong lengths, types and nesting, out-of-range
 * values, unknown and duplicated attributes, lying nla_len), and
 * RTM_NEWNEIGH/RTM_DELNEIGH with malformed NDA_* and mismatched families.
 * Every request must be answered: an error, with an extack message, or
 * success.  After an error the device and its FDB must be exactly as
 * before (ageing may remove dynamic entries; that is allowed).  A success
 * is checked against what must never succeed (an out-of-range VNI, an
 * unsupported feature switched on, a wrong attribute length...).  A created
 * device is deleted at once.  Summary on stdout, problems on stderr; exit 1
 * when a check failed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/ovl.h>

#include "nlfuzz.h"
#include "pkt.h"

#ifndef AF_BRIDGE
#define AF_BRIDGE 7
#endif

enum kind { K_CHANGE, K_CREATE, K_NEWNEIGH, K_DELNEIGH, K_MAX };
static const char *const kind_names[K_MAX] = {
	"changelink", "newlink", "newneigh", "delneigh",
};

/* The payload length each IFLA_OVL_* attribute must have (-1: unknown). */
static int ovl_attr_len(int t)
{
	switch (t) {
	case IFLA_OVL_ID: case IFLA_OVL_GROUP: case IFLA_OVL_LINK:
	case IFLA_OVL_LOCAL: case IFLA_OVL_AGEING: case IFLA_OVL_LIMIT:
	case IFLA_OVL_PORT_RANGE: case IFLA_OVL_LABEL:
	case IFLA_OVL_LABEL_POLICY: case IFLA_OVL_FDB_COUNT:
	case IFLA_OVL_FDB_LEARNED:
		return 4;
	case IFLA_OVL_PORT:
		return 2;
	case IFLA_OVL_GROUP6: case IFLA_OVL_LOCAL6:
		return 16;
	case IFLA_OVL_RESERVED_BITS:
		return 8;
	case IFLA_OVL_GBP: case IFLA_OVL_REMCSUM_NOPARTIAL: case IFLA_OVL_GPE:
	case IFLA_OVL_TTL_INHERIT:
		return 0;
	case IFLA_OVL_TTL: case IFLA_OVL_TOS: case IFLA_OVL_LEARNING:
	case IFLA_OVL_PROXY: case IFLA_OVL_RSC: case IFLA_OVL_L2MISS:
	case IFLA_OVL_L3MISS: case IFLA_OVL_UDP_CSUM:
	case IFLA_OVL_UDP_ZERO_CSUM6_TX: case IFLA_OVL_UDP_ZERO_CSUM6_RX:
	case IFLA_OVL_REMCSUM_TX: case IFLA_OVL_REMCSUM_RX:
	case IFLA_OVL_COLLECT_METADATA: case IFLA_OVL_DF:
	case IFLA_OVL_VNIFILTER: case IFLA_OVL_LOCALBYPASS:
	case IFLA_OVL_MC_ROUTE:
		return 1;
	}
	return -1;
}

/* Attributes that only a vxlan client's "off" value may carry. */
static int ovl_attr_unsupported(int t)
{
	switch (t) {
	case IFLA_OVL_REMCSUM_TX: case IFLA_OVL_REMCSUM_RX:
	case IFLA_OVL_REMCSUM_NOPARTIAL:
	case IFLA_OVL_COLLECT_METADATA: case IFLA_OVL_GPE:
	case IFLA_OVL_VNIFILTER: case IFLA_OVL_LABEL_POLICY:
	case IFLA_OVL_RESERVED_BITS: case IFLA_OVL_MC_ROUTE:
	case IFLA_OVL_FDB_COUNT: case IFLA_OVL_FDB_LEARNED:
		return 1;
	}
	return 0;
}

static struct {
	const char *dev;
	int ifindex;
	int lower;		/* an existing other device, for *_LINK */
	uint64_t seed;
	uint64_t count;
	const char *kind;
	/* Request kinds whose handler the kernel gives no extack (5.10's
	 * ndo_fdb_del): their rejections cannot carry a message.
	 */
	bool no_extack[K_MAX];
} opt = { .count = 10000, .kind = "ovl" };

static struct {
	uint64_t sent[K_MAX], ok[K_MAX], err[K_MAX], no_msg[K_MAX];
	uint64_t ovl_no_msg;	/* rejected by ovl's code without a message */
	uint64_t ovl_no_msg_exempt;	/* the same, of a --no-extack kind */
	uint64_t changed, core_changed, aged, bad_success, created, deleted;
	uint64_t errnos[256];
} st;

static int failures;

/* ---- building blocks ---- */

static const uint8_t mac_pool[][6] = {
	{ 0x02, 0, 0, 0, 0, 1 }, { 0x02, 0, 0, 0, 0, 2 }, { 0x02, 0, 0, 0, 0, 3 },
	{ 0x02, 0, 0, 0, 0, 4 }, { 0x02, 0, 0, 0, 0, 5 }, { 0x02, 0, 0, 0, 0, 6 },
	{ 0, 0, 0, 0, 0, 0 }, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	{ 0x01, 0, 0x5e, 0, 0, 1 }, { 0x33, 0x33, 0, 0, 0, 1 },
};

static const char *const ip4_pool[] = {
	"10.0.0.2", "10.0.0.3", "10.0.0.4", "0.0.0.0", "224.0.0.1",
	"255.255.255.255", "127.0.0.1", "10.0.0.1",
};

static const char *const ip6_pool[] = {
	"fd00::2", "fd00::3", "::", "ff02::1", "::1", "fe80::1",
};

static void put_attr(struct nlmsghdr *nlh, uint16_t type, const void *p,
		     size_t len)
{
	mnl_attr_put(nlh, type, len, p);
}

/* A value for an attribute of payload length @len: boundaries and
 * addresses more often than noise. */
static void value(uint8_t *v, int type, size_t len)
{
	static const uint32_t u32s[] = {
		0, 1, 2, 42, 4789, 0xffffff, 0x1000000, 0xfffff, 0x100000,
		0x7fffffff, 0xffffffff, 300,
	};
	uint32_t x;

	rnd_bytes(v, len);
	if (len == 4 && (type == IFLA_OVL_GROUP || type == IFLA_OVL_LOCAL) &&
	    rnd_below(4)) {
		inet_pton(AF_INET, ip4_pool[rnd_below(8)], v);
		return;
	}
	if (len == 16 && rnd_below(4)) {
		inet_pton(AF_INET6, ip6_pool[rnd_below(6)], v);
		return;
	}
	if (len == 4 && type == IFLA_OVL_LINK && rnd_below(2)) {
		x = rnd_below(2) ? opt.lower : rnd_below(2) ? opt.ifindex : 9999;
		memcpy(v, &x, 4);
		return;
	}
	if (len == 4 && rnd_below(2)) {
		x = u32s[rnd_below(sizeof(u32s) / sizeof(u32s[0]))];
		if (type == IFLA_OVL_LABEL || type == IFLA_OVL_PORT_RANGE)
			x = htonl(x);
		memcpy(v, &x, 4);
		return;
	}
	if (len == 2 && rnd_below(2)) {
		static const uint16_t ports[] = { 0, 4789, 8472, 1, 65535 };

		put16(v, ports[rnd_below(5)]);
		return;
	}
	if (len == 1 && rnd_below(2))
		v[0] = rnd_below(4);	/* 0..3: on, off, and just past */
}

/*
 * What a successful link request must not have contained.  The policy
 * checks every attribute (lengths, types, nesting, policy ranges), so one
 * bad occurrence must fail the request: @why.  ovl's own checks see only
 * the last of a duplicated attribute: @last[type].
 */
struct link_oracle {
	const char *why;
	const char *last[IFLA_OVL_MAX + 1];
	int reaches_ovl;	/* kind ovl and a nest of attributes */
	int core_rejects;	/* rtnetlink rejects it before ovl */
	int changelink;		/* of the existing device, not a creation */
};

static const char *oracle_why(const struct link_oracle *o)
{
	int t;

	if (o->why)
		return o->why;
	for (t = 0; t <= IFLA_OVL_MAX; t++)
		if (o->last[t])
			return o->last[t];
	return NULL;
}

static void oracle_attr(struct link_oracle *o, int type, const uint8_t *v,
			size_t len)
{
	int want = ovl_attr_len(type), zero = 1;
	size_t i;
	uint32_t x;

	for (i = 0; i < len; i++)
		zero &= !v[i];
	if (type >= 1 && type <= IFLA_OVL_MAX && want < 0) {
		o->why = "an attribute type ovl does not define";
		return;
	}
	if (want < 0)
		return;		/* type 0 or beyond maxtype: ignored, as vxlan */
	if ((int)len != want) {
		o->why = "an attribute of the wrong length";
		return;
	}
	if ((type == IFLA_OVL_DF && v[0] > OVL_DF_MAX) ||
	    (type == IFLA_OVL_LOCALBYPASS && v[0] > 1)) {
		o->why = "a value above the policy's maximum";
		return;
	}
	o->last[type] = NULL;
	if (ovl_attr_unsupported(type) && (!zero || !len)) {
		o->last[type] = "an unsupported feature switched on";
		return;
	}
	if (type == IFLA_OVL_GBP && o->changelink) {
		o->last[type] = "gbp on an existing device (creation only)";
		return;
	}
	x = 0;
	memcpy(&x, v, len < 4 ? len : 4);
	switch (type) {
	case IFLA_OVL_ID:
		if (x > OVL_VNI_MAX)
			o->last[type] = "a VNI above 2^24-1";
		break;
	case IFLA_OVL_PORT_RANGE:
		if (get16(v) > get16(v + 2))
			o->last[type] = "a port range with low above high";
		break;
	case IFLA_OVL_LABEL:
		if (ntohl(x) & ~0xfffffU)
			o->last[type] = "a flow label above 20 bits";
		break;
	}
}

/* IFLA_INFO_DATA contents: 1..6 attributes, some of them garbage. */
static void info_data(struct nlmsghdr *nlh, struct link_oracle *o)
{
	int n = 1 + rnd_below(6), i, type = IFLA_OVL_ID;
	uint8_t v[64];
	size_t len;

	for (i = 0; i < n; i++) {
		int r = rnd_below(100);

		if (i && r < 10) {
			/* a duplicate of the previous type */
		} else if (r < 75) {
			type = 1 + rnd_below(IFLA_OVL_MC_ROUTE);
		} else if (r < 85) {
			type = rnd_below(2) ? 0 : IFLA_OVL_MC_ROUTE + 1 +
				rnd_below(IFLA_OVL_MAX + 20 - IFLA_OVL_MC_ROUTE);
		} else if (r < 92) {
			type = IFLA_OVL_FDB_COUNT + rnd_below(2);
		} else {
			/* Nested garbage: random attributes under a flag. */
			struct nlattr *nest = mnl_attr_nest_start(nlh,
				1 + rnd_below(IFLA_OVL_MAX));
			int k, m = 1 + rnd_below(3);

			for (k = 0; k < m; k++) {
				len = rnd_below(12);
				rnd_bytes(v, len);
				put_attr(nlh, rnd_below(40), v, len);
			}
			mnl_attr_nest_end(nlh, nest);
			o->why = o->why ?: "a nested attribute where ovl takes none";
			continue;
		}
		len = ovl_attr_len(type);
		if ((int)len < 0 || rnd_below(100) < 25)
			len = rnd_below(21);
		value(v, type, len);
		put_attr(nlh, type, v, len);
		oracle_attr(o, type, v, len);
	}
}

/* IFLA_LINKINFO: mostly well-formed around garbage data, sometimes not. */
static void link_info(struct nlmsghdr *nlh, struct link_oracle *o)
{
	struct nlattr *li = mnl_attr_nest_start(nlh, IFLA_LINKINFO), *data;
	uint8_t junk[16];

	switch (rnd_below(20)) {
	case 0:
		/* no NUL: the kernel copies it with nla_strscpy() */
		mnl_attr_put(nlh, IFLA_INFO_KIND, strlen(opt.kind), opt.kind);
		o->reaches_ovl = 1;
		break;
	case 1:
		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "ovlx");
		o->why = "a wrong kind";
		break;
	case 2:
		break;		/* no kind at all */
	default:
		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, opt.kind);
		o->reaches_ovl = 1;
	}
	if (rnd_below(20) == 0) {
		/* Data that is not a nest of attributes (the parser may still
		 * find some: no oracle). */
		rnd_bytes(junk, sizeof(junk));
		mnl_attr_put(nlh, IFLA_INFO_DATA, rnd_below(sizeof(junk)), junk);
		o->reaches_ovl = 0;
	} else {
		data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
		info_data(nlh, o);
		mnl_attr_nest_end(nlh, data);
	}
	if (rnd_below(30) == 0)
		mnl_attr_put_u32(nlh, IFLA_INFO_XSTATS, rnd64());
	mnl_attr_nest_end(nlh, li);
}

/* Sometimes make one attribute's nla_len lie: past the end of the
 * message, or below the attribute header.  The message length stays
 * honest.  A length that ends inside the message instead would make the
 * parser resume in the middle of other attributes' payload and read
 * whatever it finds there as top-level attributes: for RTM_NEWLINK that
 * is the core's own IFLA_IFNAME or IFLA_NET_NS_PID (seed 3725664789
 * renamed ovl0 to four random bytes that way) -- the core doing what the
 * bytes say, not a test of ovl.  Neighbour requests may resume inside:
 * what the core finds there reaches ovl's FDB handlers as garbage,
 * which is what this fuzzer is for.
 */
static int lie_about_length(struct nlmsghdr *nlh, size_t hdrlen, int may_resume)
{
	struct nlattr *a, *pick = NULL;
	size_t left;
	int n = 0;

	if (rnd_below(25))
		return 0;
	mnl_attr_for_each(a, nlh, hdrlen)
		if (rnd_below(++n) == 0)
			pick = a;
	if (!pick)
		return 0;
	left = (char *)nlh + nlh->nlmsg_len - (char *)pick;
	if (rnd_below(2))
		pick->nla_len = rnd_below(4);
	else if (may_resume)
		pick->nla_len += 4 + rnd_below(64);
	else
		pick->nla_len = left + 4 + rnd_below(64);
	return 1;
}

static void build_link(struct nlmsghdr *nlh, enum kind k, int serial,
		       struct link_oracle *o)
{
	struct ifinfomsg *ifi;
	char name[IFNAMSIZ];

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	if (k == K_CHANGE) {
		ifi->ifi_index = opt.ifindex;
		nlh->nlmsg_flags = rnd_below(4) ? 0 : NLM_F_CREATE;
	} else {
		snprintf(name, sizeof(name), "fz%d", serial);
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
		nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	}
	if (rnd_below(10) == 0) {
		uint8_t mac[8];
		size_t len = rnd_below(3) ? 6 : rnd_below(9);

		memcpy(mac, mac_pool[rnd_below(10)], 6);
		mac[6] = mac[7] = 0;
		mnl_attr_put(nlh, IFLA_ADDRESS, len, mac);
		/* rtnetlink rejects a short address of an existing device
		 * before ovl sees it (without a message before 6.3). */
		if (k == K_CHANGE && len < 6)
			o->core_rejects = 1;
		if (len == 6 && ((mac[0] & 1) || !memcmp(mac, "\0\0\0\0\0\0", 6)))
			o->why = o->why ?: "a multicast or zero device address";
	}
	if (rnd_below(10) == 0)
		mnl_attr_put_u32(nlh, IFLA_MTU, rnd_below(2) ? rnd_below(70000) : 1400);
	link_info(nlh, o);
	if (o->core_rejects)
		o->reaches_ovl = 0;
	/* rtnetlink stops at a lying attribute and ignores the rest. */
	if (lie_about_length(nlh, sizeof(*ifi), 0)) {
		memset(o, 0, sizeof(*o));
		o->reaches_ovl = 0;
	}
}

static void build_neigh(struct nlmsghdr *nlh, enum kind k, int *reaches_ovl)
{
	static const uint16_t states[] = {
		NUD_PERMANENT, NUD_NOARP, NUD_REACHABLE, NUD_PERMANENT | NUD_NOARP,
		NUD_STALE, 0, 0xffff,
	};
	static const uint8_t families[] = {
		AF_BRIDGE, AF_BRIDGE, AF_BRIDGE, AF_BRIDGE, AF_INET, AF_INET6,
		AF_UNSPEC, 99,
	};
	static const uint16_t nflags[] = {
		NLM_F_CREATE, NLM_F_CREATE | NLM_F_EXCL, NLM_F_CREATE | NLM_F_REPLACE,
		NLM_F_CREATE | NLM_F_APPEND, NLM_F_REPLACE, 0, NLM_F_APPEND,
	};
	struct ndmsg *ndm;
	uint8_t v[32];
	size_t len;
	int n, i;

	nlh->nlmsg_type = k == K_NEWNEIGH ? RTM_NEWNEIGH : RTM_DELNEIGH;
	nlh->nlmsg_flags = k == K_NEWNEIGH ? nflags[rnd_below(7)] : 0;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = families[rnd_below(8)];
	ndm->ndm_ifindex = rnd_below(20) ? opt.ifindex : opt.lower;
	ndm->ndm_state = states[rnd_below(7)];
	ndm->ndm_flags = rnd_below(8) ? NTF_SELF : rnd_below(256);

	/* NDA_LLADDR: mostly right, from a small pool so that entries meet. */
	len = rnd_below(10) ? 6 : rnd_below(9);
	memcpy(v, mac_pool[rnd_below(10)], 6);
	v[6] = v[7] = 0;
	if (rnd_below(20))
		put_attr(nlh, NDA_LLADDR, v, len);
	else
		len = 0;
	/* What rtnetlink checks before it calls ovl's ndo_fdb_add/del. */
	*reaches_ovl = ndm->ndm_family == AF_BRIDGE &&
		       ndm->ndm_ifindex == opt.ifindex &&
		       (ndm->ndm_flags & NTF_SELF) && len == 6;

	n = rnd_below(5);
	for (i = 0; i < n; i++) {
		static const uint16_t types[] = {
			NDA_DST, NDA_DST, NDA_DST, NDA_PORT, NDA_VNI, NDA_IFINDEX,
			NDA_SRC_VNI, NDA_NH_ID, NDA_MASTER, NDA_VLAN, NDA_PROBES,
			NDA_CACHEINFO, 0, 40,
		};
		uint16_t t = types[rnd_below(sizeof(types) / sizeof(types[0]))];

		switch (t) {
		case NDA_DST:
			len = rnd_below(4) ? (rnd_below(3) ? 4 : 16) : rnd_below(20);
			if (len == 4)
				inet_pton(AF_INET, ip4_pool[rnd_below(8)], v);
			else if (len == 16)
				inet_pton(AF_INET6, ip6_pool[rnd_below(6)], v);
			else
				rnd_bytes(v, len);
			break;
		case NDA_PORT:
			len = rnd_below(4) ? 2 : rnd_below(8);
			value(v, IFLA_OVL_PORT, len);
			break;
		case NDA_VLAN:
			/* the core's checks, with their own messages */
			*reaches_ovl = 0;
			len = rnd_below(4) ? 2 : rnd_below(8);
			rnd_bytes(v, len);
			break;
		case NDA_VNI: case NDA_IFINDEX: case NDA_SRC_VNI: case NDA_NH_ID:
		case NDA_MASTER:
			len = rnd_below(4) ? 4 : rnd_below(8);
			value(v, t == NDA_IFINDEX ? IFLA_OVL_LINK : 0, len);
			break;
		default:
			len = rnd_below(20);
			rnd_bytes(v, len);
		}
		put_attr(nlh, t, v, len);
	}
	if (lie_about_length(nlh, sizeof(*ndm), 1))
		*reaches_ovl = 0;
}

static void hexdump(const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	fprintf(stderr, "  request:");
	for (i = 0; i < len; i++)
		fprintf(stderr, "%s%02x", i % 32 ? "" : "\n    ", b[i]);
	fprintf(stderr, "\n");
}

static void usage(void)
{
	fprintf(stderr, "usage: nlfuzz --dev NAME [--lower NAME] [--seed N] [--count N] [--kind KIND]\n"
			"              [--no-extack changelink|newlink|newneigh|delneigh]...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "lower", required_argument, NULL, 'l' },
		{ "seed", required_argument, NULL, 'S' },
		{ "count", required_argument, NULL, 'n' },
		{ "kind", required_argument, NULL, 'k' },
		{ "no-extack", required_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 },
	};
	static char buf[16384];
	char ifname[IF_NAMESIZE];
	const char *lower = "lo";
	struct mnl_socket *nl;
	struct dev_state before, after;
	struct timespec t0, t1;
	int c, have_seed = 0, e, oracle;
	uint64_t i;

	while ((c = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		switch (c) {
		case 'd': opt.dev = optarg; break;
		case 'l': lower = optarg; break;
		case 'S': opt.seed = strtoull(optarg, NULL, 0); have_seed = 1; break;
		case 'n': opt.count = strtoull(optarg, NULL, 0); break;
		case 'k': opt.kind = optarg; break;
		case 'x':
			for (e = 0; e < K_MAX; e++)
				if (!strcmp(optarg, kind_names[e]))
					break;
			if (e == K_MAX) {
				fprintf(stderr, "nlfuzz: --no-extack: unknown request kind '%s'\n", optarg);
				usage();
			}
			opt.no_extack[e] = true;
			break;
		default: usage();
		}
	}
	if (!opt.dev || optind != argc)
		usage();
	if (!have_seed) {
		clock_gettime(CLOCK_REALTIME, &t0);
		opt.seed = (uint64_t)t0.tv_sec * 1000000007ULL ^ t0.tv_nsec ^ getpid();
	}
	printf("seed %llu\n", (unsigned long long)opt.seed);
	fflush(stdout);
	/* What must be rejected is ovl's rule; other kinds differ. */
	oracle = !strcmp(opt.kind, "ovl");
	rnd_seed(opt.seed);

	nl = nl_open();
	if (!nl) {
		perror("nlfuzz: netlink");
		return 1;
	}
	opt.ifindex = if_nametoindex(opt.dev);
	opt.lower = if_nametoindex(lower);
	if (!opt.ifindex || !opt.lower) {
		fprintf(stderr, "nlfuzz: no device %s or %s\n", opt.dev, lower);
		return 1;
	}
	if (state_read(nl, opt.ifindex, &before)) {
		fprintf(stderr, "nlfuzz: cannot read the state of %s\n", opt.dev);
		return 1;
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < opt.count; i++) {
		struct link_oracle o = { NULL };
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
		enum kind k;
		struct nl_reply r;
		uint32_t r100 = rnd_below(100);

		k = r100 < 35 ? K_CHANGE : r100 < 50 ? K_CREATE :
		    r100 < 80 ? K_NEWNEIGH : K_DELNEIGH;
		o.changelink = k == K_CHANGE;
		if (k == K_CHANGE || k == K_CREATE)
			build_link(nlh, k, (int)i, &o);
		else
			build_neigh(nlh, k, &o.reaches_ovl);
		st.sent[k]++;
		if (nl_request(nl, nlh, &r)) {
			perror("nlfuzz: netlink request");
			return 1;
		}

		if (r.err) {
			st.err[k]++;
			st.errnos[-r.err & 0xff]++;
			if (!r.has_msg) {
				st.no_msg[k]++;
				if (o.reaches_ovl && opt.no_extack[k]) {
					st.ovl_no_msg_exempt++;
				} else if (o.reaches_ovl) {
					st.ovl_no_msg++;
					failures++;
				}
				if (o.reaches_ovl && !opt.no_extack[k] &&
				    st.ovl_no_msg <= 10) {
					fprintf(stderr, "nlfuzz: #%llu %s: %s without an extack message\n",
						(unsigned long long)i, kind_names[k], strerror(-r.err));
					hexdump(nlh, nlh->nlmsg_len);
				}
			}
			/* Rejected: nothing may have changed. */
			if (state_read(nl, opt.ifindex, &after)) {
				fprintf(stderr, "nlfuzz: #%llu %s: %s left %s unreadable\n",
					(unsigned long long)i, kind_names[k],
					strerror(-r.err), opt.dev);
				return 1;
			}
			e = state_cmp(&before, &after);
			if (e < 0 && !o.reaches_ovl) {
				/* ovl never saw it (e.g. a lying length swallowed
				 * IFLA_LINKINFO): rtnetlink's do_setlink applies
				 * IFLA_ADDRESS before it refuses a later attribute
				 * of its own.  The core's doing, counted apart.
				 */
				st.core_changed++;
				fprintf(stderr, "nlfuzz: #%llu %s: the core refused (%s: %s) after changing %s, without ovl\n",
					(unsigned long long)i, kind_names[k],
					strerror(-r.err), r.msg, opt.dev);
			} else if (e < 0) {
				st.changed++;
				failures++;
				fprintf(stderr, "nlfuzz: #%llu %s rejected (%s: %s) but changed %s\n",
					(unsigned long long)i, kind_names[k],
					strerror(-r.err), r.msg, opt.dev);
				hexdump(nlh, nlh->nlmsg_len);
				state_print_diff(&before, &after);
			}
			st.aged += e > 0;
			state_free(&before);
			before = after;
			continue;
		}

		st.ok[k]++;
		/* No request names the device: it keeps its name.  Checked
		 * before a created device's delete reuses the buffer, so the
		 * request printed is the one that succeeded. */
		if (!if_indextoname(opt.ifindex, ifname) || strcmp(ifname, opt.dev)) {
			fprintf(stderr, "nlfuzz: #%llu %s succeeded and renamed %s\n",
				(unsigned long long)i, kind_names[k], opt.dev);
			hexdump(nlh, nlh->nlmsg_len);
			return 1;
		}
		if ((k == K_CHANGE || k == K_CREATE) && oracle &&
		    oracle_why(&o)) {
			st.bad_success++;
			failures++;
			fprintf(stderr, "nlfuzz: #%llu %s accepted %s\n",
				(unsigned long long)i, kind_names[k], oracle_why(&o));
			hexdump(nlh, nlh->nlmsg_len);
		}
		if (k == K_CREATE) {
			char name[IFNAMSIZ];
			struct ifinfomsg *ifi;
			struct nl_reply d;

			/* A device was made: it goes at once. */
			st.created++;
			snprintf(name, sizeof(name), "fz%d", (int)i);
			nlh = mnl_nlmsg_put_header(buf);
			nlh->nlmsg_type = RTM_DELLINK;
			ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
			(void)ifi;
			mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
			if (nl_request(nl, nlh, &d) || d.err) {
				fprintf(stderr, "nlfuzz: cannot delete %s: %s\n",
					name, strerror(-d.err));
				failures++;
			} else {
				st.deleted++;
			}
		}
		state_free(&before);
		if (state_read(nl, opt.ifindex, &before)) {
			fprintf(stderr, "nlfuzz: #%llu %s succeeded and %s is gone\n",
				(unsigned long long)i, kind_names[k], opt.dev);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	printf("requests %llu\n", (unsigned long long)opt.count);
	for (c = 0; c < K_MAX; c++)
		printf("%s sent %llu ok %llu err %llu err_without_msg %llu\n",
		       kind_names[c], (unsigned long long)st.sent[c],
		       (unsigned long long)st.ok[c], (unsigned long long)st.err[c],
		       (unsigned long long)st.no_msg[c]);
	for (c = 1; c < 256; c++)
		if (st.errnos[c])
			printf("errno %s %llu\n", strerrorname_np(c) ?: "?",
			       (unsigned long long)st.errnos[c]);
	printf("ovl_err_without_msg %llu\n", (unsigned long long)st.ovl_no_msg);
	printf("ovl_err_without_msg_exempt %llu\n",
	       (unsigned long long)st.ovl_no_msg_exempt);
	printf("rejected_but_changed %llu\n", (unsigned long long)st.changed);
	printf("core_rejected_but_changed %llu\n", (unsigned long long)st.core_changed);
	printf("accepted_invalid %llu\n", (unsigned long long)st.bad_success);
	printf("aged_meanwhile %llu\n", (unsigned long long)st.aged);
	printf("created %llu deleted %llu\n", (unsigned long long)st.created,
	       (unsigned long long)st.deleted);
	printf("fdb_entries_at_end %zu\n", before.nfdb);
	printf("seconds %.1f\n", (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	state_free(&before);
	mnl_socket_close(nl);
	return failures ? 1 : 0;
}
