// SPDX-License-Identifier: GPL-2.0
/*
 * "ip link add|set DEV type ovl ARGS": ARGS to IFLA_OVL_* attributes.
 *
 * The keywords and their encoding are iproute2 6.1's for vxlan, so the
 * same command line yields the same attributes with either kind.  Where
 * ovl differs it is on purpose:
 *  - nothing the user did not give is sent: no "id" is required (a
 *    device without a VNI is valid, it only refuses to come up), no
 *    IFLA_OVL_LEARNING by default, and no warning about the default
 *    port, which is the IANA one (4789) for ovl;
 *  - "dstport 0" and "srcport 0 0" are sent (they restore the defaults,
 *    which matters for "ip link set"), where vxlan drops them;
 *  - the vxlan features ovl lacks are refused here, before anything is
 *    sent;
 *  - keywords must be spelled out ("rem" is not "remote").
 * Every error leaves through invarg()/duparg2()/incomplete_command(),
 * which print ip's usual message and exit, or returns -1: in both cases
 * ip sends nothing.
 */
#include <stdlib.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include "link_ovl.h"

struct ovl_parse {
	struct nlmsghdr	*n;
	__u64		seen;	/* bit per IFLA_OVL_* given, to refuse repeats */
	int		family;	/* of the remote/local given, or AF_UNSPEC */
};

/* A boolean vxlan option; ovl implements only some of them. */
static const struct ovl_flag {
	const char	*on;
	const char	*off;
	int		type;
	bool		supported;	/* false: only "off" is accepted */
} ovl_flags[] = {
	{ "learning",	    "nolearning",	IFLA_OVL_LEARNING,	   true },
	{ "udpcsum",	    "noudpcsum",	IFLA_OVL_UDP_CSUM,	   true },
	{ "udp6zerocsumtx", "noudp6zerocsumtx", IFLA_OVL_UDP_ZERO_CSUM6_TX, true },
	{ "udp6zerocsumrx", "noudp6zerocsumrx", IFLA_OVL_UDP_ZERO_CSUM6_RX, true },
	{ "localbypass",    "nolocalbypass",	IFLA_OVL_LOCALBYPASS,	   true },
	{ "proxy",	    "noproxy",		IFLA_OVL_PROXY,		   true },
	{ "rsc",	    "norsc",		IFLA_OVL_RSC,		   true },
	{ "l2miss",	    "nol2miss",		IFLA_OVL_L2MISS,	   true },
	{ "l3miss",	    "nol3miss",		IFLA_OVL_L3MISS,	   true },
	{ "remcsumtx",	    "noremcsumtx",	IFLA_OVL_REMCSUM_TX,	   false },
	{ "remcsumrx",	    "noremcsumrx",	IFLA_OVL_REMCSUM_RX,	   false },
	{ "external",	    "noexternal",	IFLA_OVL_COLLECT_METADATA, false },
	{ "vnifilter",	    "novnifilter",	IFLA_OVL_VNIFILTER,	   false },
};

static bool is(const char *arg, const char *keyword)
{
	return strcmp(arg, keyword) == 0;
}

/* ip's NEXT_ARG(): the keyword needs a value. */
#define NEXT_ARG() do {				\
		argv++;				\
		if (--argc <= 0)		\
			incomplete_command();	\
	} while (0)

static void once(struct ovl_parse *p, int type, const char *key,
		 const char *arg)
{
	if (p->seen & (1ULL << type))
		duparg2(key, arg);
	p->seen |= 1ULL << type;
}

/* addattr_l() has printed why when it fails: the request is full. */
static void put(struct ovl_parse *p, int type, const void *data, int len)
{
	if (addattr_l(p->n, OVL_REQ_MAXLEN, type, data, len) < 0)
		exit(-1);
}

static void put_u8(struct ovl_parse *p, int type, __u8 v)
{
	put(p, type, &v, sizeof(v));
}

static void put_u16(struct ovl_parse *p, int type, __u16 v)
{
	put(p, type, &v, sizeof(v));
}

static void put_u32(struct ovl_parse *p, int type, __u32 v)
{
	put(p, type, &v, sizeof(v));
}

/*
 * remote/group/local: a literal IPv4 or IPv6 address (ip's get_addr()
 * would also take "default"/"any", which vxlan refuses here anyway).
 * As in ip, "group" is a multicast address and "remote" and "local" are
 * not; both of the first two are the default remote (IFLA_OVL_GROUP*).
 * The unspecified address is allowed: it is how "ip link set" clears
 * one.
 */
static void parse_addr(struct ovl_parse *p, const char *key, const char *arg,
		       int type4, int type6)
{
	union {
		struct in_addr	v4;
		struct in6_addr	v6;
	} a;
	bool group = is(key, "group");
	const char *what = group ? "invalid group address" :
			   is(key, "remote") ? "invalid remote address" :
					       "invalid local address";
	bool mcast;
	int family;

	once(p, type4, key, arg);
	p->seen |= 1ULL << type6;
	if (inet_pton(AF_INET, arg, &a.v4) == 1) {
		family = AF_INET;
		mcast = IN_MULTICAST(ntohl(a.v4.s_addr));
	} else if (inet_pton(AF_INET6, arg, &a.v6) == 1) {
		family = AF_INET6;
		mcast = IN6_IS_ADDR_MULTICAST(&a.v6);
	} else {
		invarg(what, arg);
	}
	if (group && !mcast)
		invarg("invalid group address: not multicast", arg);
	if (!group && mcast)
		invarg(is(key, "remote") ?
		       "invalid remote address: multicast, give it as \"group\"" :
		       "invalid local address: multicast", arg);
	if (p->family != AF_UNSPEC && p->family != family)
		invarg("remote and local must be of the same family", arg);
	p->family = family;
	if (family == AF_INET)
		put(p, type4, &a.v4, sizeof(a.v4));
	else
		put(p, type6, &a.v6, sizeof(a.v6));
}

static void parse_ttl(struct ovl_parse *p, const char *arg)
{
	unsigned int ttl;

	once(p, IFLA_OVL_TTL, "ttl", arg);
	if (is(arg, "inherit")) {
		/* a flag, as iproute2 6.1 sends it for vxlan */
		put(p, IFLA_OVL_TTL_INHERIT, NULL, 0);
		return;
	}
	if (is(arg, "auto"))
		ttl = 0;
	else if (get_unsigned(&ttl, arg, 0))
		invarg("invalid TTL", arg);
	else if (ttl > 255)
		invarg("TTL must be <= 255", arg);
	put_u8(p, IFLA_OVL_TTL, ttl);
}

static void parse_tos(struct ovl_parse *p, const char *arg)
{
	__u32 tos;

	once(p, IFLA_OVL_TOS, "tos", arg);
	if (is(arg, "inherit"))
		tos = OVL_TOS_INHERIT;
	else if (rtnl_dsfield_a2n(&tos, arg) || tos > 255)
		invarg("bad TOS value", arg);
	put_u8(p, IFLA_OVL_TOS, tos);
}

static void parse_df(struct ovl_parse *p, const char *arg)
{
	__u8 df;

	once(p, IFLA_OVL_DF, "df", arg);
	if (is(arg, "unset"))
		df = OVL_DF_UNSET;
	else if (is(arg, "set"))
		df = OVL_DF_SET;
	else if (is(arg, "inherit"))
		df = OVL_DF_INHERIT;
	else
		invarg("DF must be 'unset', 'set' or 'inherit'", arg);
	put_u8(p, IFLA_OVL_DF, df);
}

static void parse_label(struct ovl_parse *p, const char *arg)
{
	__u32 label;

	once(p, IFLA_OVL_LABEL, "flowlabel", arg);
	if (get_u32(&label, arg, 0) || label > 0xfffff)
		invarg("invalid flowlabel", arg);
	put_u32(p, IFLA_OVL_LABEL, htonl(label));
}

static void parse_dev(struct ovl_parse *p, const char *arg)
{
	unsigned int ifindex;

	once(p, IFLA_OVL_LINK, "dev", arg);
	ifindex = ll_name_to_index(arg);
	if (!ifindex) {
		fprintf(stderr, "Cannot find device \"%s\"\n", arg);
		exit(-1);
	}
	put_u32(p, IFLA_OVL_LINK, ifindex);
}

/* ageing SECONDS|none, maxaddress NUMBER|unlimited: u32, word means 0 */
static void parse_u32_or(struct ovl_parse *p, int type, const char *key,
			 const char *zero_word, const char *why,
			 const char *arg)
{
	__u32 v;

	once(p, type, key, arg);
	if (is(arg, zero_word))
		v = 0;
	else if (get_u32(&v, arg, 0))
		invarg(why, arg);
	put_u32(p, type, v);
}

static void parse_dstport(struct ovl_parse *p, const char *arg)
{
	__u16 port;

	once(p, IFLA_OVL_PORT, "dstport", arg);
	if (get_u16(&port, arg, 0))
		invarg("dst port", arg);
	put_u16(p, IFLA_OVL_PORT, htons(port));
}

static void parse_srcport(struct ovl_parse *p, const char *min,
			  const char *max)
{
	struct ifla_ovl_port_range r;
	__u16 lo, hi;

	if (get_u16(&lo, min, 0))
		invarg("min port", min);
	if (get_u16(&hi, max, 0))
		invarg("max port", max);
	if (lo > hi)
		invarg("srcport MIN must not be above MAX", max);
	r.low = htons(lo);
	r.high = htons(hi);
	put(p, IFLA_OVL_PORT_RANGE, &r, sizeof(r));
}

/* [no]KEYWORD options; returns false when arg is none of them. */
static bool parse_flag(struct ovl_parse *p, const char *arg)
{
	size_t i;

	for (i = 0; i < sizeof(ovl_flags) / sizeof(ovl_flags[0]); i++) {
		const struct ovl_flag *f = &ovl_flags[i];
		bool on = is(arg, f->on);

		if (!on && !is(arg, f->off))
			continue;
		if (on && !f->supported)
			invarg("not supported by ovl", arg);
		once(p, f->type, arg, arg);
		put_u8(p, f->type, on);
		return true;
	}
	return false;
}

int ovl_parse_opt(struct link_util *lu, int argc, char **argv,
		  struct nlmsghdr *n)
{
	struct ovl_parse p = { .n = n, .family = AF_UNSPEC };

	(void)lu;
	while (argc > 0) {
		const char *key = *argv;

		if (is(key, "id") || is(key, "vni")) {
			__u32 vni;

			NEXT_ARG();
			once(&p, IFLA_OVL_ID, "id", *argv);
			if (get_u32(&vni, *argv, 0) || vni > OVL_VNI_MAX)
				invarg("invalid id", *argv);
			put_u32(&p, IFLA_OVL_ID, vni);
		} else if (is(key, "remote") || is(key, "group")) {
			NEXT_ARG();
			parse_addr(&p, key, *argv, IFLA_OVL_GROUP,
				   IFLA_OVL_GROUP6);
		} else if (is(key, "local")) {
			NEXT_ARG();
			parse_addr(&p, key, *argv, IFLA_OVL_LOCAL,
				   IFLA_OVL_LOCAL6);
		} else if (is(key, "dev")) {
			NEXT_ARG();
			parse_dev(&p, *argv);
		} else if (is(key, "ttl") || is(key, "hoplimit")) {
			NEXT_ARG();
			parse_ttl(&p, *argv);
		} else if (is(key, "tos") || is(key, "dsfield")) {
			NEXT_ARG();
			parse_tos(&p, *argv);
		} else if (is(key, "df")) {
			NEXT_ARG();
			parse_df(&p, *argv);
		} else if (is(key, "flowlabel") || is(key, "label")) {
			NEXT_ARG();
			parse_label(&p, *argv);
		} else if (is(key, "ageing")) {
			NEXT_ARG();
			parse_u32_or(&p, IFLA_OVL_AGEING, "ageing", "none",
				     "ageing timer", *argv);
		} else if (is(key, "maxaddress")) {
			NEXT_ARG();
			parse_u32_or(&p, IFLA_OVL_LIMIT, "maxaddress",
				     "unlimited", "max addresses", *argv);
		} else if (is(key, "dstport")) {
			NEXT_ARG();
			parse_dstport(&p, *argv);
		} else if (is(key, "srcport") || is(key, "port")) {
			const char *min;

			NEXT_ARG();
			once(&p, IFLA_OVL_PORT_RANGE, "srcport", *argv);
			min = *argv;
			NEXT_ARG();
			parse_srcport(&p, min, *argv);
		} else if (is(key, "gbp")) {
			once(&p, IFLA_OVL_GBP, "gbp", key);
			put(&p, IFLA_OVL_GBP, NULL, 0);
		} else if (is(key, "gpe")) {
			invarg("not supported by ovl", key);
		} else if (parse_flag(&p, key)) {
			;
		} else if (is(key, "help")) {
			ovl_usage(stderr);
			return -1;
		} else {
			fprintf(stderr, KIND_NAME ": unknown command \"%s\"?\n",
				key);
			ovl_usage(stderr);
			return -1;
		}
		argc--, argv++;
	}
	return 0;
}
