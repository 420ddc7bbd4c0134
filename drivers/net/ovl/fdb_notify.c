// SPDX-License-Identifier: GPL-2.0
/*
 * ovl: the neighbour message of one FDB remote (an entry with several
 * remotes is one message per remote, as in vxlan), for dumps and for the
 * RTNLGRP_NEIGH notifications the store sends on every change.  Callers
 * hold fdb.lock or rcu_read_lock(); nothing here changes the FDB.
 */

#include <linux/jiffies.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>

#include "ovl.h"

static size_t ovl_fdb_nlmsg_size(void)
{
	return NLMSG_ALIGN(sizeof(struct ndmsg))
		+ nla_total_size(ETH_ALEN)			/* NDA_LLADDR */
		+ nla_total_size(sizeof(struct in6_addr))	/* NDA_DST */
		+ nla_total_size(sizeof(__be16))		/* NDA_PORT */
		+ nla_total_size(sizeof(u32))			/* NDA_VNI */
		+ nla_total_size(sizeof(u32))			/* NDA_IFINDEX */
		+ nla_total_size(sizeof(struct nda_cacheinfo));
}

int ovl_fdb_fill(struct sk_buff *skb, struct ovl_dev *ovl,
		 const struct ovl_fdb_entry *f, const struct ovl_remote *r,
		 u32 portid, u32 seq, int type, unsigned int flags)
{
	const struct ovl_config *cfg = rcu_dereference_rtnl(ovl->cfg);
	const struct ovl_peer *peer = ovl_remote_peer(ovl, r);
	unsigned long now = jiffies;
	struct nda_cacheinfo ci;
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;

	nlh = nlmsg_put(skb, portid, seq, type, sizeof(*ndm), flags);
	if (!nlh)
		return -EMSGSIZE;

	ndm = nlmsg_data(nlh);
	memset(ndm, 0, sizeof(*ndm));
	ndm->ndm_family = AF_BRIDGE;
	ndm->ndm_state = f->state;
	ndm->ndm_ifindex = ovl->dev->ifindex;
	ndm->ndm_flags = f->flags;
	ndm->ndm_type = RTN_UNICAST;

	if (nla_put(skb, NDA_LLADDR, ETH_ALEN, f->mac) ||
	    ovl_nla_put_addr(skb, NDA_DST, &peer->key.ip))
		goto nla_put_failure;
	if (r->port && r->port != cfg->port &&
	    nla_put_be16(skb, NDA_PORT, r->port))
		goto nla_put_failure;
	if (r->vni_set && r->vni != cfg->vni &&
	    nla_put_u32(skb, NDA_VNI, r->vni))
		goto nla_put_failure;
	if (peer->key.ifindex &&
	    nla_put_u32(skb, NDA_IFINDEX, peer->key.ifindex))
		goto nla_put_failure;

	ci.ndm_used = jiffies_to_clock_t(now - READ_ONCE(f->used));
	ci.ndm_confirmed = 0;
	ci.ndm_updated = jiffies_to_clock_t(now - READ_ONCE(f->updated));
	ci.ndm_refcnt = 0;
	if (nla_put(skb, NDA_CACHEINFO, sizeof(ci), &ci))
		goto nla_put_failure;

	nlmsg_end(skb, nlh);
	return 0;

nla_put_failure:
	nlmsg_cancel(skb, nlh);
	return -EMSGSIZE;
}

void ovl_fdb_notify(struct ovl_dev *ovl, const struct ovl_fdb_entry *f,
		    const struct ovl_remote *r, int type)
{
	struct sk_buff *skb;
	int err = -ENOBUFS;

	skb = nlmsg_new(ovl_fdb_nlmsg_size(), GFP_ATOMIC);
	if (!skb)
		goto errout;
	/* The ageing work holds neither RTNL nor RCU for the configuration. */
	rcu_read_lock();
	err = ovl_fdb_fill(skb, ovl, f, r, 0, 0, type, 0);
	rcu_read_unlock();
	if (err < 0) {
		/* ovl_fdb_nlmsg_size() is wrong if this fires. */
		WARN_ON(err == -EMSGSIZE);
		kfree_skb(skb);
		goto errout;
	}
	rtnl_notify(skb, dev_net(ovl->dev), 0, RTNLGRP_NEIGH, NULL, GFP_ATOMIC);
	return;
errout:
	rtnl_set_sk_err(dev_net(ovl->dev), RTNLGRP_NEIGH, err);
}

/* l2miss (@mac, no FDB entry and no default remote) or l3miss (@ip, not
 * in the device's neighbour table): the RTM_GETNEIGH message vxlan sends,
 * attribute for attribute, for a control plane to answer by adding the
 * entry.  The VNI vxlan puts in it is 0 for an L2 miss and 2^24 (no VNI)
 * for an L3 miss.  Transmit path, under RCU.
 */
void ovl_fdb_notify_miss(struct ovl_dev *ovl, const u8 *mac,
			 const struct ovl_addr *ip)
{
	const struct ovl_config *cfg = rcu_dereference(ovl->cfg);
	u32 vni = ip ? OVL_VNI_MAX + 1 : 0;
	struct nda_cacheinfo ci = {};
	struct sk_buff *skb;
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;
	int err = -ENOBUFS;

	skb = nlmsg_new(ovl_fdb_nlmsg_size(), GFP_ATOMIC);
	if (!skb)
		goto errout;
	nlh = nlmsg_put(skb, 0, 0, RTM_GETNEIGH, sizeof(*ndm), 0);
	if (!nlh)
		goto nla_put_failure;
	ndm = nlmsg_data(nlh);
	memset(ndm, 0, sizeof(*ndm));
	ndm->ndm_family = ip ? ip->family : AF_INET;
	ndm->ndm_state = NUD_STALE;
	ndm->ndm_ifindex = ovl->dev->ifindex;
	ndm->ndm_type = RTN_UNICAST;

	if (mac && nla_put(skb, NDA_LLADDR, ETH_ALEN, mac))
		goto nla_put_failure;
	if (ip && ovl_nla_put_addr(skb, NDA_DST, ip))
		goto nla_put_failure;
	if (vni != cfg->vni && nla_put_u32(skb, NDA_VNI, vni))
		goto nla_put_failure;
	/* An entry that never was: used and updated at jiffies 0. */
	ci.ndm_used = jiffies_to_clock_t(jiffies);
	ci.ndm_updated = ci.ndm_used;
	if (nla_put(skb, NDA_CACHEINFO, sizeof(ci), &ci))
		goto nla_put_failure;
	nlmsg_end(skb, nlh);
	rtnl_notify(skb, dev_net(ovl->dev), 0, RTNLGRP_NEIGH, NULL, GFP_ATOMIC);
	return;

nla_put_failure:
	WARN_ON(1);	/* ovl_fdb_nlmsg_size() is too small */
	kfree_skb(skb);
	err = -EMSGSIZE;
errout:
	rtnl_set_sk_err(dev_net(ovl->dev), RTNLGRP_NEIGH, err);
}
