// SPDX-License-Identifier: GPL-2.0
/*
 * ovlctl stats: the standard counters (IFLA_STATS64) and ovl's drop
 * counters by reason (IFLA_LINKINFO > IFLA_INFO_XSTATS > OVL_XSTATS_*).
 */
#include <stdio.h>
#include <string.h>
#include <linux/if_link.h>

#include "ovlctl.h"
#include "linkinfo.h"
#include "../include/ovl-xstats.h"

void help_stats(void)
{
	printf("Usage: ovlctl stats DEVICE\n");
}

#define STAT(f) { #f, offsetof(struct rtnl_link_stats64, f) }
static const struct {
	const char *name;
	size_t off;
} std_stats[] = {
	STAT(rx_packets), STAT(tx_packets), STAT(rx_bytes), STAT(tx_bytes),
	STAT(rx_errors), STAT(tx_errors), STAT(rx_dropped), STAT(tx_dropped),
	STAT(multicast), STAT(collisions), STAT(rx_length_errors),
	STAT(rx_over_errors), STAT(rx_crc_errors), STAT(rx_frame_errors),
	STAT(rx_fifo_errors), STAT(rx_missed_errors), STAT(tx_aborted_errors),
	STAT(tx_carrier_errors), STAT(tx_fifo_errors),
	STAT(tx_heartbeat_errors), STAT(tx_window_errors),
	STAT(rx_compressed), STAT(tx_compressed), STAT(rx_nohandler),
};

static int xstat_cb(const struct nlattr *attr, void *data)
{
	int type = mnl_attr_get_type(attr);
	char name[32];

	(void)data;
	if (type == OVL_XSTATS_PAD || mnl_attr_get_payload_len(attr) != 8)
		return MNL_CB_OK;
	if (type <= OVL_XSTATS_MAX && ovl_xstat_names[type])
		snprintf(name, sizeof(name), "%s", ovl_xstat_names[type]);
	else	/* from a newer module: still shown, by number */
		snprintf(name, sizeof(name), "xstat_%d", type);
	out_u64(name, mnl_attr_get_u64(attr));
	out_newline();
	return MNL_CB_OK;
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rtnl_link_stats64 st;
	struct link_attrs la;
	size_t i, len;

	(void)data;
	if (link_parse(nlh, &la) < 0)
		return MNL_CB_OK;
	if (!link_is_ours(&la))
		return link_wrong_kind(&la);

	out_begin_object(NULL);
	if (opt_json)
		out_str("ifname", la.ifname);
	else
		out_plain("%s:", la.ifname);
	out_newline();
	out_indent(4);
	/* Older kernels send a shorter struct: missing fields read as 0. */
	memset(&st, 0, sizeof(st));
	if (la.tb[IFLA_STATS64]) {
		len = mnl_attr_get_payload_len(la.tb[IFLA_STATS64]);
		memcpy(&st, mnl_attr_get_payload(la.tb[IFLA_STATS64]),
		       len < sizeof(st) ? len : sizeof(st));
		out_begin_object("stats64");
		for (i = 0; i < MNL_ARRAY_SIZE(std_stats); i++) {
			uint64_t v;

			memcpy(&v, (char *)&st + std_stats[i].off, sizeof(v));
			out_u64(std_stats[i].name, v);
			out_newline();
		}
		out_end_object();
	}
	if (la.info[IFLA_INFO_XSTATS]) {
		out_indent(0);
		out_plain("%s drops and events:", link_kind);
		out_newline();
		out_indent(4);
		out_begin_object("xstats");
		mnl_attr_parse_nested(la.info[IFLA_INFO_XSTATS], xstat_cb, NULL);
		out_end_object();
	}
	out_indent(0);
	out_end_object();
	return MNL_CB_OK;
}

int cmd_stats(int argc, char **argv)
{
	int err;

	if (argc < 1)
		usage_err("stats: no device name given");
	if (argc > 1)
		usage_err("stats: unexpected \"%s\"", argv[1]);
	check_ifname(argv[0]);
	if (link_lookup(argv[0], &(struct link_info){ 0 }) < 0)
		return EXIT_KERNEL;
	err = link_get(argv[0], stats_cb, NULL);
	out_finish();
	return err ? EXIT_KERNEL : 0;
}
