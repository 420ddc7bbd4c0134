/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ovl: a VXLAN-compatible (RFC 7348) L2 overlay device.
 *
 * This header is shared by the kernel module and the user-space tools.
 * The link attributes (IFLA_OVL_*) carry the same numbers, types and
 * meaning as IFLA_VXLAN_* so that a netlink client that speaks vxlan
 * drives ovl by changing only the kind string.  Attributes that ovl does
 * not implement keep their number and are accepted only with the value a
 * vxlan client sends when the feature is off.  ovl-only attributes start
 * at IFLA_OVL_FDB_COUNT, far enough above vxlan's to leave it room to grow.
 */
#ifndef _UAPI_LINUX_OVL_H
#define _UAPI_LINUX_OVL_H

#include <linux/types.h>

#define OVL_KIND		"ovl"
#define OVL_DEFAULT_PORT	4789	/* IANA VXLAN port */
#define OVL_DEFAULT_AGEING	300	/* seconds */
#define OVL_VNI_MAX		0xffffffU
#define OVL_HDR_LEN		8	/* flags(1) reserved(3) vni(3) reserved(1) */
#define OVL_HDR_FLAG_VNI	0x08	/* the "I" flag */
/* outer Ethernet is not counted: IPv4(20)/IPv6(40) + UDP(8) + VXLAN(8) + inner Ethernet(14) */
#define OVL_OVERHEAD_V4		50
#define OVL_OVERHEAD_V6		70
#define OVL_DEFAULT_MTU		1450
/* IFLA_OVL_TOS: vxlan's encoding of "copy the inner packet's TOS"; a real
 * TOS of 1 would set a reserved (ECN) bit only.
 */
#define OVL_TOS_INHERIT		1

enum {
	IFLA_OVL_UNSPEC,
	IFLA_OVL_ID,			/* u32: VNI, 0..OVL_VNI_MAX */
	IFLA_OVL_GROUP,			/* in_addr: default IPv4 remote (unicast) */
	IFLA_OVL_LINK,			/* u32: ifindex of the underlay device */
	IFLA_OVL_LOCAL,			/* in_addr: IPv4 source address */
	IFLA_OVL_TTL,			/* u8: outer TTL, 0 = route default */
	IFLA_OVL_TOS,			/* u8: outer TOS, OVL_TOS_INHERIT */
	IFLA_OVL_LEARNING,		/* u8: learn remote MACs (default 1) */
	IFLA_OVL_AGEING,		/* u32: seconds before a learned entry expires */
	IFLA_OVL_LIMIT,			/* u32: max FDB entries, 0 = unlimited */
	IFLA_OVL_PORT_RANGE,		/* struct ifla_ovl_port_range: source ports */
	IFLA_OVL_PROXY,			/* u8: not supported, 0 only */
	IFLA_OVL_RSC,			/* u8: not supported, 0 only */
	IFLA_OVL_L2MISS,		/* u8: not supported, 0 only */
	IFLA_OVL_L3MISS,		/* u8: not supported, 0 only */
	IFLA_OVL_PORT,			/* be16: UDP destination port */
	IFLA_OVL_GROUP6,		/* in6_addr: default IPv6 remote (unicast) */
	IFLA_OVL_LOCAL6,		/* in6_addr: IPv6 source address */
	IFLA_OVL_UDP_CSUM,		/* u8: compute UDP checksum over IPv4 */
	IFLA_OVL_UDP_ZERO_CSUM6_TX,	/* u8: send zero UDP checksum over IPv6 */
	IFLA_OVL_UDP_ZERO_CSUM6_RX,	/* u8: accept zero UDP checksum over IPv6 */
	IFLA_OVL_REMCSUM_TX,		/* u8: not supported, 0 only */
	IFLA_OVL_REMCSUM_RX,		/* u8: not supported, 0 only */
	IFLA_OVL_GBP,			/* flag: Group Based Policy, creation only */
	IFLA_OVL_REMCSUM_NOPARTIAL,	/* flag: not supported, rejected */
	IFLA_OVL_COLLECT_METADATA,	/* u8: not supported, 0 only */
	IFLA_OVL_LABEL,			/* be32: IPv6 flow label (20 bits) */
	IFLA_OVL_GPE,			/* flag: not supported, rejected */
	IFLA_OVL_TTL_INHERIT,		/* flag/u8: outer TTL from inner packet */
	IFLA_OVL_DF,			/* u8: enum ifla_ovl_df */
	IFLA_OVL_VNIFILTER,		/* u8: not supported, 0 only */
	IFLA_OVL_LOCALBYPASS,		/* u8: a local remote is short-cut */
	IFLA_OVL_LABEL_POLICY,		/* u32: not supported, 0 only */
	IFLA_OVL_RESERVED_BITS,		/* binary: not supported */
	IFLA_OVL_MC_ROUTE,		/* u8: not supported, 0 only */

	/* ovl-only attributes */
	IFLA_OVL_FDB_COUNT = 48,	/* u32, read-only: entries in the FDB */
	IFLA_OVL_FDB_LEARNED,		/* u32, read-only: learned entries */
	__IFLA_OVL_MAX
};

#define IFLA_OVL_MAX	(__IFLA_OVL_MAX - 1)

struct ifla_ovl_port_range {
	__be16	low;
	__be16	high;
};

enum ifla_ovl_df {
	OVL_DF_UNSET = 0,
	OVL_DF_SET,
	OVL_DF_INHERIT,
	__OVL_DF_END,
	OVL_DF_MAX = __OVL_DF_END - 1,
};

/*
 * Extended statistics, nested in IFLA_INFO_XSTATS of RTM_NEWLINK replies.
 * Every attribute is a u64.  The DEV_* counters belong to the device; the
 * SOCK_* counters belong to the UDP socket the device receives on, which
 * every ovl device of that netns, family and port shares: a packet whose
 * VNI matches no device can not be charged to any one of them.
 */
enum {
	OVL_XSTATS_UNSPEC,
	OVL_XSTATS_PAD,
	OVL_XSTATS_RX_DROP_SHORT,	/* inner frame shorter than Ethernet */
	OVL_XSTATS_RX_DROP_OWN_MAC,	/* inner source MAC is the device's */
	OVL_XSTATS_RX_DROP_BAD_SRC_MAC,	/* inner source MAC multicast/zero */
	OVL_XSTATS_RX_DROP_ECN,		/* CE on a not-ECT inner packet */
	OVL_XSTATS_RX_DROP_NOMEM,	/* could not pull or queue the frame */
	OVL_XSTATS_TX_DROP_NO_DEST,	/* no FDB entry and no default */
	OVL_XSTATS_TX_DROP_NO_ROUTE,	/* no route to the remote */
	OVL_XSTATS_TX_DROP_LOOP,	/* route to the remote uses this device */
	OVL_XSTATS_TX_DROP_NOMEM,	/* headroom or GSO setup failed */
	OVL_XSTATS_TX_DROP_NO_SOCK,	/* no socket of the remote's family */
	OVL_XSTATS_FDB_LEARNED,		/* entries created by learning */
	OVL_XSTATS_FDB_MOVED,		/* learned entries moved to a new remote */
	OVL_XSTATS_FDB_AGED,		/* learned entries expired */
	OVL_XSTATS_FDB_LEARN_FULL,	/* learning refused: FDB at its limit */
	OVL_XSTATS_FDB_LEARN_STATIC,	/* learning ignored: static entry wins */
	OVL_XSTATS_SOCK_RX_PACKETS,	/* packets the socket was handed */
	OVL_XSTATS_SOCK_RX_DROP_BAD_HDR,/* truncated header or I flag clear */
	OVL_XSTATS_SOCK_RX_DROP_UNKNOWN_VNI, /* no device for the VNI */
	OVL_XSTATS_SOCK_RX_DROP_DOWN,	/* device for the VNI is down */
	OVL_XSTATS_FDB_LEARN_NOMEM,	/* learning failed: no memory */
	__OVL_XSTATS_MAX
};

#define OVL_XSTATS_MAX	(__OVL_XSTATS_MAX - 1)

#endif /* _UAPI_LINUX_OVL_H */
