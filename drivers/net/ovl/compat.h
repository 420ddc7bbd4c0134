/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-API differences between the kernels ovl builds for, in one place,
 * so that the rest of the module reads like code for the newest kernel.
 * The OVL_HAVE_* switches come from compat-probe.sh (compat-generated.h).
 */
#ifndef _OVL_COMPAT_H
#define _OVL_COMPAT_H

#include <linux/netdevice.h>

static inline void ovl_compat_set_lltx(struct net_device *dev)
{
#ifdef OVL_HAVE_DEV_LLTX
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

/* ovl keeps its UDP socket in the netns it was created in. */
static inline void ovl_compat_set_netns_local(struct net_device *dev)
{
#if defined(OVL_HAVE_DEV_NETNS_IMMUTABLE)
	dev->netns_immutable = true;
#elif defined(OVL_HAVE_DEV_NETNS_LOCAL)
	dev->netns_local = true;
#else
	dev->features |= NETIF_F_NETNS_LOCAL;
#endif
}

/* Per-cpu tstats: allocated by the core where it can, else by us. */
static inline int ovl_compat_alloc_tstats(struct net_device *dev)
{
#ifdef OVL_HAVE_PCPU_STAT_TYPE
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	return 0;
#else
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	return dev->tstats ? 0 : -ENOMEM;
#endif
}

static inline void ovl_compat_free_tstats(struct net_device *dev)
{
#ifndef OVL_HAVE_PCPU_STAT_TYPE
	free_percpu(dev->tstats);
#endif
}

/* Newer kernels ask ndo_fdb_add/del whether they sent a notification. */
#ifdef OVL_HAVE_FDB_NOTIFIED
#define OVL_FDB_NOTIFIED_PARAM	bool *notified,
#define OVL_FDB_SET_NOTIFIED()	(*notified = true)
#else
#define OVL_FDB_NOTIFIED_PARAM
#define OVL_FDB_SET_NOTIFIED()	do { } while (0)
#endif

/* The table a UDP socket lookup in @net searches. */
#ifdef OVL_HAVE_NETNS_UDP_TABLE
#define ovl_compat_udp_table(net)	((net)->ipv4.udp_table)
#else
#define ovl_compat_udp_table(net)	(&udp_table)
#endif

#endif /* _OVL_COMPAT_H */
