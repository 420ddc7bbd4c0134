/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of the OVL_XSTATS_* counters, shared by ovlctl and the ip plugin
 * so that `ovlctl stats -j` and `ip -j -s -d link show` use one set of
 * JSON keys: the enum names without OVL_XSTATS_, in lower case.
 */
#ifndef OVL_TOOLS_XSTATS_H
#define OVL_TOOLS_XSTATS_H

#include "../../include/uapi/linux/ovl.h"

static const char *const ovl_xstat_names[OVL_XSTATS_MAX + 1] = {
	[OVL_XSTATS_RX_DROP_SHORT]		= "rx_drop_short",
	[OVL_XSTATS_RX_DROP_OWN_MAC]		= "rx_drop_own_mac",
	[OVL_XSTATS_RX_DROP_BAD_SRC_MAC]	= "rx_drop_bad_src_mac",
	[OVL_XSTATS_RX_DROP_ECN]		= "rx_drop_ecn",
	[OVL_XSTATS_RX_DROP_NOMEM]		= "rx_drop_nomem",
	[OVL_XSTATS_TX_DROP_NO_DEST]		= "tx_drop_no_dest",
	[OVL_XSTATS_TX_DROP_NO_ROUTE]		= "tx_drop_no_route",
	[OVL_XSTATS_TX_DROP_LOOP]		= "tx_drop_loop",
	[OVL_XSTATS_TX_DROP_NOMEM]		= "tx_drop_nomem",
	[OVL_XSTATS_TX_DROP_NO_SOCK]		= "tx_drop_no_sock",
	[OVL_XSTATS_FDB_LEARNED]		= "fdb_learned",
	[OVL_XSTATS_FDB_MOVED]			= "fdb_moved",
	[OVL_XSTATS_FDB_AGED]			= "fdb_aged",
	[OVL_XSTATS_FDB_LEARN_FULL]		= "fdb_learn_full",
	[OVL_XSTATS_FDB_LEARN_STATIC]		= "fdb_learn_static",
	[OVL_XSTATS_SOCK_RX_PACKETS]		= "sock_rx_packets",
	[OVL_XSTATS_SOCK_RX_DROP_BAD_HDR]	= "sock_rx_drop_bad_hdr",
	[OVL_XSTATS_SOCK_RX_DROP_UNKNOWN_VNI]	= "sock_rx_drop_unknown_vni",
	[OVL_XSTATS_SOCK_RX_DROP_DOWN]		= "sock_rx_drop_down",
	[OVL_XSTATS_FDB_LEARN_NOMEM]		= "fdb_learn_nomem",
};

#endif /* OVL_TOOLS_XSTATS_H */
