// SPDX-License-Identifier: GPL-2.0
/*
 * ovlctl add / set / del: RTM_NEWLINK and RTM_DELLINK.  Only the
 * parameters given on the command line are sent, so the kernel's defaults
 * (and, for set, the current values) apply to everything else.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "ovlctl.h"
#include "../../include/uapi/linux/ovl.h"

struct link_params {
	bool vni_set, local_set, remote_set, dev_set, port_set, srcport_set;
	bool ttl_set, ttl_inherit, tos_set, df_set, learning_set, ageing_set;
	bool maxaddr_set, udpcsum_set, zcsum6tx_set, zcsum6rx_set, label_set;
	bool mtu_set, proxy_set, l2miss_set, l3miss_set, rsc_set, gbp;
	uint32_t vni, dev, ageing, maxaddr, label, mtu;
	struct ipaddr local, remote;
	uint16_t port, srcport_min, srcport_max;
	uint8_t ttl, tos, df;
	bool learning, udpcsum, zcsum6tx, zcsum6rx, proxy, l2miss, l3miss, rsc;
};

#define LINK_ARGS \
	"[vni N] [local IP] [remote IP] [dev LOWER] [port P]\n" \
	"          [srcport MIN MAX] [ttl N|inherit|auto] [tos N|inherit]\n" \
	"          [df set|unset|inherit] [learning on|off] [ageing S]\n" \
	"          [maxaddress N] [udpcsum on|off] [udp6zerocsumtx on|off]\n" \
	"          [udp6zerocsumrx on|off] [label N] [mtu N]\n" \
	"          [proxy on|off] [l2miss on|off] [l3miss on|off] [rsc on|off]\n" \
	"          [gbp]\n"

void help_add(void)
{
	printf("Usage: ovlctl add DEVICE " LINK_ARGS);
}

void help_set(void)
{
	printf("Usage: ovlctl set DEVICE " LINK_ARGS);
}

void help_del(void)
{
	printf("Usage: ovlctl del DEVICE\n");
}

static bool parse_onoff_arg(int *i, int argc, char **argv)
{
	const char *key = argv[*i];
	const char *v = need_arg(i, argc, argv);
	bool b;

	if (!parse_onoff(v, &b))
		usage_err("%s: expected on or off, not \"%s\"", key, v);
	return b;
}

static uint32_t parse_u32_arg(int *i, int argc, char **argv, uint32_t max)
{
	const char *key = argv[*i];
	const char *v = need_arg(i, argc, argv);
	uint32_t n;

	if (!parse_u32(v, max, &n))
		usage_err("invalid %s \"%s\" (0-%u)", key, v, max);
	return n;
}

/* Parse argv[first..] into p; exits with a usage error on bad input. */
static void parse_link_args(int argc, char **argv, int first,
			    struct link_params *p)
{
	const char *v;
	int i;

	memset(p, 0, sizeof(*p));
	for (i = first; i < argc; i++) {
		const char *k = argv[i];

		if (!strcmp(k, "vni") || !strcmp(k, "id")) {
			parse_vni_arg(need_arg(&i, argc, argv), &p->vni);
			p->vni_set = true;
		} else if (!strcmp(k, "local")) {
			v = need_arg(&i, argc, argv);
			if (!parse_ip(v, &p->local))
				usage_err("invalid local address \"%s\"", v);
			if (ip_is_multicast(&p->local))
				usage_err("local %s: not a unicast address", v);
			p->local_set = true;
		} else if (!strcmp(k, "remote")) {
			parse_remote_ip(need_arg(&i, argc, argv), &p->remote);
			p->remote_set = true;
		} else if (!strcmp(k, "dev")) {
			v = need_arg(&i, argc, argv);
			check_ifname(v);
			p->dev = if_nametoindex(v);
			if (!p->dev) {
				err_msg("lower device \"%s\" does not exist", v);
				exit(EXIT_KERNEL);
			}
			p->dev_set = true;
		} else if (!strcmp(k, "port") || !strcmp(k, "dstport")) {
			parse_port_arg(need_arg(&i, argc, argv), &p->port);
			p->port_set = true;
		} else if (!strcmp(k, "srcport")) {
			if (i + 2 >= argc)
				usage_err("\"srcport\" needs MIN and MAX");
			parse_port_arg(need_arg(&i, argc, argv), &p->srcport_min);
			parse_port_arg(need_arg(&i, argc, argv), &p->srcport_max);
			if (p->srcport_max < p->srcport_min)
				usage_err("srcport: MAX %u is below MIN %u",
					  p->srcport_max, p->srcport_min);
			p->srcport_set = true;
		} else if (!strcmp(k, "ttl") || !strcmp(k, "hoplimit")) {
			v = need_arg(&i, argc, argv);
			p->ttl_set = true;
			p->ttl_inherit = false;
			if (!strcmp(v, "inherit")) {
				p->ttl_inherit = true;
				p->ttl_set = false;
			} else if (!strcmp(v, "auto")) {
				p->ttl = 0;
			} else {
				uint32_t n;

				if (!parse_u32(v, 255, &n))
					usage_err("invalid ttl \"%s\" (0-255, inherit, auto)", v);
				p->ttl = (uint8_t)n;
			}
		} else if (!strcmp(k, "tos")) {
			v = need_arg(&i, argc, argv);
			if (!strcmp(v, "inherit")) {
				p->tos = OVL_TOS_INHERIT;
			} else {
				uint32_t n;

				if (!parse_u32(v, 255, &n))
					usage_err("invalid tos \"%s\" (0-255, inherit)", v);
				p->tos = (uint8_t)n;
			}
			p->tos_set = true;
		} else if (!strcmp(k, "df")) {
			v = need_arg(&i, argc, argv);
			if (!strcmp(v, "unset"))
				p->df = OVL_DF_UNSET;
			else if (!strcmp(v, "set"))
				p->df = OVL_DF_SET;
			else if (!strcmp(v, "inherit"))
				p->df = OVL_DF_INHERIT;
			else
				usage_err("df: expected set, unset or inherit, not \"%s\"", v);
			p->df_set = true;
		} else if (!strcmp(k, "learning")) {
			p->learning = parse_onoff_arg(&i, argc, argv);
			p->learning_set = true;
		} else if (!strcmp(k, "ageing")) {
			p->ageing = parse_u32_arg(&i, argc, argv, UINT32_MAX);
			p->ageing_set = true;
		} else if (!strcmp(k, "maxaddress")) {
			p->maxaddr = parse_u32_arg(&i, argc, argv, UINT32_MAX);
			p->maxaddr_set = true;
		} else if (!strcmp(k, "proxy")) {
			p->proxy = parse_onoff_arg(&i, argc, argv);
			p->proxy_set = true;
		} else if (!strcmp(k, "l2miss")) {
			p->l2miss = parse_onoff_arg(&i, argc, argv);
			p->l2miss_set = true;
		} else if (!strcmp(k, "rsc")) {
			p->rsc = parse_onoff_arg(&i, argc, argv);
			p->rsc_set = true;
		} else if (!strcmp(k, "gbp")) {
			p->gbp = true;	/* a flag, set at creation (as vxlan) */
		} else if (!strcmp(k, "l3miss")) {
			p->l3miss = parse_onoff_arg(&i, argc, argv);
			p->l3miss_set = true;
		} else if (!strcmp(k, "udpcsum")) {
			p->udpcsum = parse_onoff_arg(&i, argc, argv);
			p->udpcsum_set = true;
		} else if (!strcmp(k, "udp6zerocsumtx")) {
			p->zcsum6tx = parse_onoff_arg(&i, argc, argv);
			p->zcsum6tx_set = true;
		} else if (!strcmp(k, "udp6zerocsumrx")) {
			p->zcsum6rx = parse_onoff_arg(&i, argc, argv);
			p->zcsum6rx_set = true;
		} else if (!strcmp(k, "label") || !strcmp(k, "flowlabel")) {
			p->label = parse_u32_arg(&i, argc, argv, 0xfffff);
			p->label_set = true;
		} else if (!strcmp(k, "mtu")) {
			p->mtu = parse_u32_arg(&i, argc, argv, UINT32_MAX);
			p->mtu_set = true;
		} else {
			usage_err("unknown parameter \"%s\"", k);
		}
	}
	/* The kernel would refuse a mix too, but only after other checks. */
	if (p->local_set && p->remote_set &&
	    p->local.family != p->remote.family)
		usage_err("local and remote must be the same address family");
}

static void put_ip(struct nlmsghdr *nlh, uint16_t v4, uint16_t v6,
		   const struct ipaddr *ip)
{
	if (ip->family == AF_INET)
		mnl_attr_put(nlh, v4, sizeof(ip->a.v4), &ip->a.v4);
	else
		mnl_attr_put(nlh, v6, sizeof(ip->a.v6), &ip->a.v6);
}

/* IFLA_INFO_DATA with the given parameters; returns false if there are none. */
static bool put_link_data(struct nlmsghdr *nlh, const struct link_params *p)
{
	struct nlattr *data;
	uint32_t before;

	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	before = nlh->nlmsg_len;
	if (p->vni_set)
		mnl_attr_put_u32(nlh, IFLA_OVL_ID, p->vni);
	if (p->remote_set)
		put_ip(nlh, IFLA_OVL_GROUP, IFLA_OVL_GROUP6, &p->remote);
	if (p->local_set)
		put_ip(nlh, IFLA_OVL_LOCAL, IFLA_OVL_LOCAL6, &p->local);
	if (p->dev_set)
		mnl_attr_put_u32(nlh, IFLA_OVL_LINK, p->dev);
	if (p->port_set)
		mnl_attr_put_u16(nlh, IFLA_OVL_PORT, htons(p->port));
	if (p->srcport_set) {
		struct ifla_ovl_port_range r = {
			.low = htons(p->srcport_min),
			.high = htons(p->srcport_max),
		};
		mnl_attr_put(nlh, IFLA_OVL_PORT_RANGE, sizeof(r), &r);
	}
	if (p->ttl_set)
		mnl_attr_put_u8(nlh, IFLA_OVL_TTL, p->ttl);
	if (p->ttl_inherit)	/* a flag, as iproute2 sends it */
		mnl_attr_put(nlh, IFLA_OVL_TTL_INHERIT, 0, NULL);
	if (p->gbp)
		mnl_attr_put(nlh, IFLA_OVL_GBP, 0, NULL);
	if (p->tos_set)
		mnl_attr_put_u8(nlh, IFLA_OVL_TOS, p->tos);
	if (p->df_set)
		mnl_attr_put_u8(nlh, IFLA_OVL_DF, p->df);
	if (p->learning_set)
		mnl_attr_put_u8(nlh, IFLA_OVL_LEARNING, p->learning);
	if (p->ageing_set)
		mnl_attr_put_u32(nlh, IFLA_OVL_AGEING, p->ageing);
	if (p->maxaddr_set)
		mnl_attr_put_u32(nlh, IFLA_OVL_LIMIT, p->maxaddr);
	if (p->udpcsum_set)
		mnl_attr_put_u8(nlh, IFLA_OVL_UDP_CSUM, p->udpcsum);
	if (p->proxy_set)
		mnl_attr_put_u8(nlh, IFLA_OVL_PROXY, p->proxy);
	if (p->l2miss_set)
		mnl_attr_put_u8(nlh, IFLA_OVL_L2MISS, p->l2miss);
	if (p->l3miss_set)
		mnl_attr_put_u8(nlh, IFLA_OVL_L3MISS, p->l3miss);
	if (p->rsc_set)
		mnl_attr_put_u8(nlh, IFLA_OVL_RSC, p->rsc);
	if (p->zcsum6tx_set)
		mnl_attr_put_u8(nlh, IFLA_OVL_UDP_ZERO_CSUM6_TX, p->zcsum6tx);
	if (p->zcsum6rx_set)
		mnl_attr_put_u8(nlh, IFLA_OVL_UDP_ZERO_CSUM6_RX, p->zcsum6rx);
	if (p->label_set)
		mnl_attr_put_u32(nlh, IFLA_OVL_LABEL, htonl(p->label));
	if (nlh->nlmsg_len == before) {
		mnl_attr_nest_cancel(nlh, data);
		return false;
	}
	mnl_attr_nest_end(nlh, data);
	return true;
}

/* IFLA_LINKINFO; without parameters only if always.  Returns whether put. */
static bool put_linkinfo(struct nlmsghdr *nlh, const struct link_params *p,
			 bool always)
{
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);

	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, link_kind);
	if (!put_link_data(nlh, p) && !always) {
		mnl_attr_nest_cancel(nlh, info);
		return false;
	}
	mnl_attr_nest_end(nlh, info);
	return true;
}

int cmd_add(int argc, char **argv)
{
	struct link_params p;
	struct nlmsghdr *nlh;
	char what[64];

	if (argc < 1)
		usage_err("add: no device name given");
	check_ifname(argv[0]);
	parse_link_args(argc, argv, 1, &p);

	nlh = nl_msg(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
		     sizeof(struct ifinfomsg));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, argv[0]);
	if (p.mtu_set)
		mnl_attr_put_u32(nlh, IFLA_MTU, p.mtu);
	put_linkinfo(nlh, &p, true);
	snprintf(what, sizeof(what), "add %s", argv[0]);
	return nl_request(nlh, what) ? EXIT_KERNEL : 0;
}

static int set_mtu(const struct link_info *li, uint32_t mtu, const char *what)
{
	struct nlmsghdr *nlh = nl_msg(RTM_NEWLINK, 0, sizeof(struct ifinfomsg));
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	ifi->ifi_index = li->ifindex;
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return nl_request(nlh, what);
}

int cmd_set(int argc, char **argv)
{
	struct link_params p;
	struct link_info li;
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	char what[64];
	int err;

	if (argc < 1)
		usage_err("set: no device name given");
	check_ifname(argv[0]);
	parse_link_args(argc, argv, 1, &p);
	if (argc < 2)
		usage_err("set %s: nothing to change", argv[0]);
	if (link_lookup(argv[0], &li) < 0)
		return EXIT_KERNEL;
	snprintf(what, sizeof(what), "set %s", argv[0]);

	/*
	 * vxlan's changelink refuses IFLA_MTU next to IFLA_INFO_DATA, so the
	 * MTU goes in a request of its own, first; if the parameters are
	 * then refused, the old MTU is put back so that nothing changed.
	 */
	if (p.mtu_set && set_mtu(&li, p.mtu, what))
		return EXIT_KERNEL;

	/* No NLM_F_CREATE: an existing device is changed (changelink). */
	nlh = nl_msg(RTM_NEWLINK, 0, sizeof(struct ifinfomsg));
	ifi = mnl_nlmsg_get_payload(nlh);
	ifi->ifi_index = li.ifindex;
	if (!put_linkinfo(nlh, &p, false))
		return 0;	/* only the MTU was given */
	err = nl_request(nlh, what);
	if (err && p.mtu_set && p.mtu != li.mtu)
		set_mtu(&li, li.mtu, what);
	return err ? EXIT_KERNEL : 0;
}

int cmd_del(int argc, char **argv)
{
	struct link_info li;
	struct ifinfomsg *ifi;
	struct nlmsghdr *nlh;
	char what[64];

	if (argc < 1)
		usage_err("del: no device name given");
	if (argc > 1)
		usage_err("del: unexpected \"%s\"", argv[1]);
	check_ifname(argv[0]);
	/* Refuse to delete a device that is not ovl. */
	if (link_lookup(argv[0], &li) < 0)
		return EXIT_KERNEL;
	nlh = nl_msg(RTM_DELLINK, 0, sizeof(struct ifinfomsg));
	ifi = mnl_nlmsg_get_payload(nlh);
	ifi->ifi_index = li.ifindex;
	snprintf(what, sizeof(what), "del %s", argv[0]);
	return nl_request(nlh, what) ? EXIT_KERNEL : 0;
}
