// SPDX-License-Identifier: GPL-2.0
/*
 * ovlctl show [DEVICE]: every parameter the kernel reports in
 * IFLA_INFO_DATA, plus mtu, state and the FDB entry counts.  A key is
 * printed only when the kernel reported the attribute.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>

#include "ovlctl.h"
#include "linkinfo.h"

void help_show(void)
{
	printf("Usage: ovlctl show [DEVICE]\n"
	       "Shows DEVICE, or every %s device of the namespace.\n", OVL_KIND);
}

static const char *operstate_name(uint8_t s)
{
	static const char *const names[] = {
		"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN",
		"TESTING", "DORMANT", "UP",
	};
	return s < MNL_ARRAY_SIZE(names) ? names[s] : "UNKNOWN";
}

static void show_u8_bool(const struct link_attrs *la, int type, const char *key)
{
	const uint8_t *v = attr_data(la->data[type], 1);

	if (v)
		out_bool(key, *v);
}

static void show_u32(const struct link_attrs *la, int type, const char *key)
{
	const uint32_t *v = attr_data(la->data[type], 4);

	if (v)
		out_u64(key, *v);
}

static void show_ip(const struct link_attrs *la, int v4, int v6,
		    const char *key)
{
	char buf[INET6_ADDRSTRLEN];
	const void *a;

	if ((a = attr_data(la->data[v4], 4)))
		out_str(key, fmt_ip(AF_INET, a, buf, sizeof(buf)));
	else if ((a = attr_data(la->data[v6], 16)))
		out_str(key, fmt_ip(AF_INET6, a, buf, sizeof(buf)));
}

static void show_data(const struct link_attrs *la)
{
	const struct ifla_ovl_port_range *r;
	const uint16_t *be16;
	const uint32_t *u32;
	const uint8_t *u8;
	bool ttl_inherit = false;

	show_u32(la, IFLA_OVL_ID, "vni");
	show_ip(la, IFLA_OVL_GROUP, IFLA_OVL_GROUP6, "remote");
	show_ip(la, IFLA_OVL_LOCAL, IFLA_OVL_LOCAL6, "local");
	if ((u32 = attr_data(la->data[IFLA_OVL_LINK], 4)) && *u32) {
		char name[IF_NAMESIZE];

		if (if_indextoname(*u32, name))
			out_str("dev", name);
		out_u64("dev_ifindex", *u32);
	}
	if ((be16 = attr_data(la->data[IFLA_OVL_PORT], 2)))
		out_u64("port", ntohs(*be16));
	if ((r = attr_data(la->data[IFLA_OVL_PORT_RANGE], sizeof(*r)))) {
		if (opt_json) {
			out_u64("srcport_min", ntohs(r->low));
			out_u64("srcport_max", ntohs(r->high));
		} else {
			out_plain("srcport %u %u", ntohs(r->low), ntohs(r->high));
		}
	}
	out_newline();

	/* Sent as a flag by clients, reported as a u8 by vxlan. */
	if (la->data[IFLA_OVL_TTL_INHERIT]) {
		u8 = attr_data(la->data[IFLA_OVL_TTL_INHERIT], 1);
		ttl_inherit = u8 ? *u8 != 0 : true;
	}
	if ((u8 = attr_data(la->data[IFLA_OVL_TTL], 1))) {
		if (opt_json)
			out_u64("ttl", *u8);
		else if (ttl_inherit)
			out_plain("ttl inherit");
		else if (*u8 == 0)
			out_plain("ttl auto");
		else
			out_u64("ttl", *u8);
	}
	if (opt_json && la->data[IFLA_OVL_TTL_INHERIT])
		out_bool("ttl_inherit", ttl_inherit);
	if ((u8 = attr_data(la->data[IFLA_OVL_TOS], 1))) {
		if (!opt_json && *u8 == OVL_TOS_INHERIT)
			out_plain("tos inherit");
		else
			out_u64("tos", *u8);
	}
	if ((u8 = attr_data(la->data[IFLA_OVL_DF], 1)))
		out_str("df", *u8 == OVL_DF_SET ? "set" :
			      *u8 == OVL_DF_INHERIT ? "inherit" : "unset");
	if ((u32 = attr_data(la->data[IFLA_OVL_LABEL], 4)))
		out_u64("label", ntohl(*u32));
	out_newline();

	show_u8_bool(la, IFLA_OVL_LEARNING, "learning");
	show_u32(la, IFLA_OVL_AGEING, "ageing");
	show_u32(la, IFLA_OVL_LIMIT, "maxaddress");
	out_newline();
	show_u8_bool(la, IFLA_OVL_UDP_CSUM, "udpcsum");
	show_u8_bool(la, IFLA_OVL_UDP_ZERO_CSUM6_TX, "udp6zerocsumtx");
	show_u8_bool(la, IFLA_OVL_UDP_ZERO_CSUM6_RX, "udp6zerocsumrx");
	show_u8_bool(la, IFLA_OVL_LOCALBYPASS, "localbypass");
	out_newline();
	show_u8_bool(la, IFLA_OVL_PROXY, "proxy");
	show_u8_bool(la, IFLA_OVL_L2MISS, "l2miss");
	show_u8_bool(la, IFLA_OVL_L3MISS, "l3miss");
	show_u8_bool(la, IFLA_OVL_RSC, "rsc");
	if (la->data[IFLA_OVL_GBP])	/* a flag: present means on */
		out_bool("gbp", true);
	out_newline();
	show_u32(la, IFLA_OVL_FDB_COUNT, "fdb_count");
	show_u32(la, IFLA_OVL_FDB_LEARNED, "fdb_learned");
}

static void show_link(const struct link_attrs *la)
{
	const uint32_t *mtu = attr_data(la->tb[IFLA_MTU], 4);
	const uint8_t *oper = attr_data(la->tb[IFLA_OPERSTATE], 1);
	const uint8_t *mac = attr_data(la->tb[IFLA_ADDRESS], 6);
	bool up = la->ifi->ifi_flags & IFF_UP;
	char buf[32];

	out_begin_object(NULL);
	if (opt_json) {
		out_str("ifname", la->ifname);
		out_u64("ifindex", la->ifi->ifi_index);
		out_str("kind", la->kind);
	} else {
		out_plain("%s: ifindex %d", la->ifname, la->ifi->ifi_index);
	}
	out_str("state", up ? "up" : "down");
	if (oper)
		out_str("operstate", operstate_name(*oper));
	if (mtu)
		out_u64("mtu", *mtu);
	if (mac)
		out_str("address", fmt_mac(mac, buf, sizeof(buf)));
	out_newline();
	out_indent(4);
	show_data(la);
	out_newline();
	out_indent(0);
	out_end_object();
}

struct show_ctx {
	bool one;	/* a named device: refuse other kinds */
	int shown;
};

static int show_cb(const struct nlmsghdr *nlh, void *data)
{
	struct show_ctx *ctx = data;
	struct link_attrs la;

	if (link_parse(nlh, &la) < 0)
		return MNL_CB_OK;
	if (!link_is_ours(&la))
		return ctx->one ? link_wrong_kind(&la) : MNL_CB_OK;
	show_link(&la);
	ctx->shown++;
	return MNL_CB_OK;
}

int cmd_show(int argc, char **argv)
{
	struct show_ctx ctx = { 0 };
	struct nlmsghdr *nlh;
	int err;

	if (argc > 1)
		usage_err("show: unexpected \"%s\"", argv[1]);
	if (argc == 1) {
		check_ifname(argv[0]);
		ctx.one = true;
		/* Look it up first, so an error prints no partial document. */
		if (link_lookup(argv[0], &(struct link_info){ 0 }) < 0)
			return EXIT_KERNEL;
	}
	out_begin_array(NULL);
	if (ctx.one) {
		err = link_get(argv[0], show_cb, &ctx);
	} else {
		nlh = nl_msg(RTM_GETLINK, NLM_F_DUMP, sizeof(struct ifinfomsg));
		err = nl_dump(nlh, show_cb, &ctx, "show");
	}
	out_end_array();
	out_finish();
	return err ? EXIT_KERNEL : 0;
}
