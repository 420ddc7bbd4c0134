// SPDX-License-Identifier: GPL-2.0
/*
 * "ip -d link show" of an ovl device: IFLA_INFO_DATA as text and JSON.
 *
 * Text and JSON keys, their order and the conditions under which each is
 * shown are those of iproute2 6.1 for vxlan, so scripts that read vxlan
 * read ovl.  Differences: the other attributes are shown even without a
 * VNI (vxlan prints nothing then; an ovl device may lack one), and the
 * ovl-only read-only counters follow as "fdb_count N fdb_learned N".
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include "link_ovl.h"

static void print_str(enum output_type t, const char *key, const char *fmt,
		      const char *value)
{
	print_color_string(t, COLOR_NONE, key, fmt, value);
}

static void print_u(enum output_type t, const char *key, const char *fmt,
		    unsigned int value)
{
	print_color_uint(t, COLOR_NONE, key, fmt, value);
}

/* Only shown when on: the options ovl does not implement, and vxlan's. */
static void print_if_on(struct rtattr *tb[], int type, const char *key,
			const char *text)
{
	if (RTA_HAS(tb, type, 1) && rta_u8(tb[type]))
		print_color_bool(PRINT_ANY, COLOR_NONE, key, text, true);
}

/* Shown either way: "udpcsum"/"noudpcsum" and JSON true/false. */
static void print_on_off(struct rtattr *tb[], int type, const char *key,
			 const char *word)
{
	bool on;

	if (!RTA_HAS(tb, type, 1))
		return;
	on = rta_u8(tb[type]);
	if (is_json_context()) {
		print_color_bool(PRINT_JSON, COLOR_NONE, key, NULL, on);
	} else {
		print_str(PRINT_FP, NULL, "%s", on ? "" : "no");
		print_str(PRINT_FP, NULL, "%s ", word);
	}
}

/* The remote: "remote"/"remote6" (or a multicast "group"/"group6"). */
static void print_remote(struct rtattr *tb[])
{
	if (RTA_HAS(tb, IFLA_OVL_GROUP, 4)) {
		__be32 a = rta_u32(tb[IFLA_OVL_GROUP]);
		bool mc = IN_MULTICAST(ntohl(a));

		if (a)
			print_str(PRINT_ANY, mc ? "group" : "remote",
				  mc ? "group %s " : "remote %s ",
				  format_host(AF_INET, 4, &a));
	} else if (RTA_HAS(tb, IFLA_OVL_GROUP6, 16)) {
		struct in6_addr a;
		bool mc;

		memcpy(&a, RTA_DATA(tb[IFLA_OVL_GROUP6]), sizeof(a));
		mc = IN6_IS_ADDR_MULTICAST(&a);
		if (!IN6_IS_ADDR_UNSPECIFIED(&a))
			print_str(PRINT_ANY, mc ? "group6" : "remote6",
				  mc ? "group %s " : "remote %s ",
				  format_host(AF_INET6, sizeof(a), &a));
	}
}

static void print_local(struct rtattr *tb[])
{
	if (RTA_HAS(tb, IFLA_OVL_LOCAL, 4)) {
		__be32 a = rta_u32(tb[IFLA_OVL_LOCAL]);

		if (a)
			print_str(PRINT_ANY, "local", "local %s ",
				  format_host(AF_INET, 4, &a));
	} else if (RTA_HAS(tb, IFLA_OVL_LOCAL6, 16)) {
		struct in6_addr a;

		memcpy(&a, RTA_DATA(tb[IFLA_OVL_LOCAL6]), sizeof(a));
		if (!IN6_IS_ADDR_UNSPECIFIED(&a))
			print_str(PRINT_ANY, "local6", "local %s ",
				  format_host(AF_INET6, sizeof(a), &a));
	}
}

static void print_ports(struct rtattr *tb[])
{
	if (RTA_HAS(tb, IFLA_OVL_PORT_RANGE, sizeof(struct ifla_ovl_port_range))) {
		struct ifla_ovl_port_range r;

		memcpy(&r, RTA_DATA(tb[IFLA_OVL_PORT_RANGE]), sizeof(r));
		if (is_json_context()) {
			open_json_object("port_range");
			print_u(PRINT_JSON, "low", NULL, ntohs(r.low));
			print_u(PRINT_JSON, "high", NULL, ntohs(r.high));
			close_json_object();
		} else {
			print_u(PRINT_FP, NULL, "srcport %u ", ntohs(r.low));
			print_u(PRINT_FP, NULL, "%u ", ntohs(r.high));
		}
	}
	if (RTA_HAS(tb, IFLA_OVL_PORT, 2))
		print_u(PRINT_ANY, "port", "dstport %u ",
			ntohs(rta_u16(tb[IFLA_OVL_PORT])));
}

static void print_tos(struct rtattr *tb[])
{
	__u8 tos = RTA_HAS(tb, IFLA_OVL_TOS, 1) ? rta_u8(tb[IFLA_OVL_TOS]) : 0;

	if (!tos)
		return;
	if (is_json_context() || tos != OVL_TOS_INHERIT)
		print_color_0xhex(PRINT_ANY, COLOR_NONE, "tos", "tos %#llx ", tos);
	else
		print_str(PRINT_FP, NULL, "tos %s ", "inherit");
}

/* TTL_INHERIT is a u8 in vxlan's replies; a bare flag counts as set too. */
static void print_ttl(struct rtattr *tb[])
{
	struct rtattr *inherit = tb[IFLA_OVL_TTL_INHERIT];

	if (inherit && (RTA_PAYLOAD(inherit) == 0 || rta_u8(inherit))) {
		print_str(PRINT_FP, NULL, "ttl %s ", "inherit");
	} else if (RTA_HAS(tb, IFLA_OVL_TTL, 1)) {
		__u8 ttl = rta_u8(tb[IFLA_OVL_TTL]);

		if (is_json_context() || ttl)
			print_u(PRINT_ANY, "ttl", "ttl %u ", ttl);
		else
			print_str(PRINT_FP, NULL, "ttl %s ", "auto");
	}
}

static void print_df(struct rtattr *tb[])
{
	if (!RTA_HAS(tb, IFLA_OVL_DF, 1))
		return;
	switch (rta_u8(tb[IFLA_OVL_DF])) {
	case OVL_DF_UNSET:
		print_str(PRINT_JSON, "df", NULL, "unset");
		break;
	case OVL_DF_SET:
		print_str(PRINT_ANY, "df", "df %s ", "set");
		break;
	case OVL_DF_INHERIT:
		print_str(PRINT_ANY, "df", "df %s ", "inherit");
		break;
	}
}

void ovl_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	(void)lu;
	(void)f;	/* ip's print_* helpers write to stdout themselves */
	if (!tb)
		return;

	print_if_on(tb, IFLA_OVL_COLLECT_METADATA, "external", "external ");
	print_if_on(tb, IFLA_OVL_VNIFILTER, "vnifilter", "vnifilter ");
	if (RTA_HAS(tb, IFLA_OVL_ID, 4))
		print_u(PRINT_ANY, "id", "id %u ", rta_u32(tb[IFLA_OVL_ID]));
	print_remote(tb);
	print_local(tb);
	if (RTA_HAS(tb, IFLA_OVL_LINK, 4) && rta_u32(tb[IFLA_OVL_LINK]))
		print_str(PRINT_ANY, "link", "dev %s ",
			  ll_index_to_name(rta_u32(tb[IFLA_OVL_LINK])));
	print_ports(tb);

	if (RTA_HAS(tb, IFLA_OVL_LEARNING, 1)) {
		bool learning = rta_u8(tb[IFLA_OVL_LEARNING]);

		print_color_bool(PRINT_JSON, COLOR_NONE, "learning", NULL,
				 learning);
		if (!learning)
			print_str(PRINT_FP, NULL, "%s", "nolearning ");
	}
	print_if_on(tb, IFLA_OVL_PROXY, "proxy", "proxy ");
	print_if_on(tb, IFLA_OVL_RSC, "rsc", "rsc ");
	print_if_on(tb, IFLA_OVL_L2MISS, "l2miss", "l2miss ");
	print_if_on(tb, IFLA_OVL_L3MISS, "l3miss", "l3miss ");

	print_tos(tb);
	print_ttl(tb);
	print_df(tb);
	if (RTA_HAS(tb, IFLA_OVL_LABEL, 4) && rta_u32(tb[IFLA_OVL_LABEL]))
		print_color_0xhex(PRINT_ANY, COLOR_NONE, "label",
				  "flowlabel %#llx ",
				  ntohl(rta_u32(tb[IFLA_OVL_LABEL])));
	if (RTA_HAS(tb, IFLA_OVL_AGEING, 4))
		print_u(PRINT_ANY, "ageing", "ageing %u ",
			rta_u32(tb[IFLA_OVL_AGEING]));
	if (RTA_HAS(tb, IFLA_OVL_LIMIT, 4) && rta_u32(tb[IFLA_OVL_LIMIT]))
		print_u(PRINT_ANY, "limit", "maxaddr %u ",
			rta_u32(tb[IFLA_OVL_LIMIT]));

	print_on_off(tb, IFLA_OVL_UDP_CSUM, "udp_csum", "udpcsum");
	print_on_off(tb, IFLA_OVL_UDP_ZERO_CSUM6_TX, "udp_zero_csum6_tx",
		     "udp6zerocsumtx");
	print_on_off(tb, IFLA_OVL_UDP_ZERO_CSUM6_RX, "udp_zero_csum6_rx",
		     "udp6zerocsumrx");
	print_on_off(tb, IFLA_OVL_LOCALBYPASS, "localbypass", "localbypass");
	print_if_on(tb, IFLA_OVL_REMCSUM_TX, "remcsum_tx", "remcsumtx ");
	print_if_on(tb, IFLA_OVL_REMCSUM_RX, "remcsum_rx", "remcsumrx ");
	if (tb[IFLA_OVL_GBP])
		print_color_null(PRINT_ANY, COLOR_NONE, "gbp", "gbp ", NULL);
	if (tb[IFLA_OVL_GPE])
		print_color_null(PRINT_ANY, COLOR_NONE, "gpe", "gpe ", NULL);

	if (RTA_HAS(tb, IFLA_OVL_FDB_COUNT, 4))
		print_u(PRINT_ANY, "fdb_count", "fdb_count %u ",
			rta_u32(tb[IFLA_OVL_FDB_COUNT]));
	if (RTA_HAS(tb, IFLA_OVL_FDB_LEARNED, 4))
		print_u(PRINT_ANY, "fdb_learned", "fdb_learned %u ",
			rta_u32(tb[IFLA_OVL_FDB_LEARNED]));
}
