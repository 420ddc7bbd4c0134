// SPDX-License-Identifier: GPL-2.0
/*
 * ovl: the FDB's netlink interface for `bridge fdb`: RTM_NEWNEIGH and
 * RTM_DELNEIGH are parsed here into a remote and handed to the store
 * (fdb.c); dumps walk the entries under RCU.  Runs under RTNL.
 */

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>

#include "ovl.h"

/* rtnetlink parses neighbour attributes without a policy: check every
 * length here.  @need_ip: adding needs a destination, deleting does not.
 */
static int ovl_fdb_parse(struct ovl_dev *ovl, struct nlattr *tb[],
			 struct ovl_fdb_req *req, bool need_ip,
			 struct netlink_ext_ack *extack)
{
	sa_family_t family = ovl_cfg_family(ovl_cfg(ovl));

	memset(req, 0, sizeof(*req));

	if (tb[NDA_DST]) {
		if (ovl_nla_get_addr(&req->ip, tb[NDA_DST])) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NDA_DST],
					    "Destination must be an IPv4 or IPv6 address");
			return -EINVAL;
		}
		if (req->ip.family != family) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NDA_DST],
					    "Destination address family does not match the device's");
			return -EAFNOSUPPORT;
		}
		/* A group is a destination as in vxlan: sent to with the
		 * entry's (or the device's) underlay, not joined.
		 */
		if (req->ip.family == AF_INET ? !req->ip.ip4 :
		    ipv6_addr_any(&req->ip.ip6)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NDA_DST],
					    "Destination must not be the unspecified address");
			return -EINVAL;
		}
		req->has_ip = true;
	} else if (need_ip) {
		NL_SET_ERR_MSG(extack, "Missing destination: give the remote VTEP with dst");
		return -EINVAL;
	}

	if (tb[NDA_PORT]) {
		if (nla_len(tb[NDA_PORT]) != sizeof(__be16)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NDA_PORT], "Invalid port length");
			return -EINVAL;
		}
		req->port = nla_get_be16(tb[NDA_PORT]);
	}

	if (tb[NDA_VNI]) {
		if (nla_len(tb[NDA_VNI]) != sizeof(u32)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NDA_VNI], "Invalid VNI length");
			return -EINVAL;
		}
		req->vni = nla_get_u32(tb[NDA_VNI]);
		if (req->vni > OVL_VNI_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NDA_VNI], "VNI must be below 2^24");
			return -ERANGE;
		}
		req->vni_set = true;
	}

	if (tb[NDA_IFINDEX]) {
		if (nla_len(tb[NDA_IFINDEX]) != sizeof(u32)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NDA_IFINDEX], "Invalid ifindex length");
			return -EINVAL;
		}
		req->ifindex = nla_get_u32(tb[NDA_IFINDEX]);
		if (!__dev_get_by_index(ovl->net, req->ifindex)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NDA_IFINDEX], "Outgoing device not found");
			return -EADDRNOTAVAIL;
		}
	}

	if (tb[NDA_SRC_VNI] || tb[NDA_NH_ID]) {
		NL_SET_ERR_MSG(extack, "Source VNI and nexthop groups are not supported");
		return -EOPNOTSUPP;
	}
	return 0;
}

int ovl_fdb_add(struct ndmsg *ndm, struct nlattr *tb[], struct net_device *dev,
		const unsigned char *addr, u16 vid, u16 flags,
		struct netlink_ext_ack *extack)
{
	struct ovl_dev *ovl = netdev_priv(dev);
	struct ovl_fdb_req req;
	int err;

	if (!(ndm->ndm_state & (NUD_PERMANENT | NUD_REACHABLE))) {
		NL_SET_ERR_MSG(extack, "FDB entry state must be permanent, static or dynamic");
		return -EINVAL;
	}
	err = ovl_fdb_parse(ovl, tb, &req, true, extack);
	if (err)
		return err;
	req.router = ndm->ndm_flags & NTF_ROUTER;
	return ovl_fdb_update(ovl, addr, ndm->ndm_state, flags, &req, extack);
}

int ovl_fdb_del(struct ndmsg *ndm, struct nlattr *tb[], struct net_device *dev,
		const unsigned char *addr, u16 vid,
		struct netlink_ext_ack *extack)
{
	struct ovl_dev *ovl = netdev_priv(dev);
	struct ovl_fdb_req req;
	int err;

	err = ovl_fdb_parse(ovl, tb, &req, false, extack);
	if (err)
		return err;
	return ovl_fdb_remove(ovl, addr, &req, extack);
}

int ovl_fdb_dump(struct sk_buff *skb, struct netlink_callback *cb,
		 struct net_device *dev, struct net_device *filter_dev,
		 int *idx)
{
	unsigned long pos = ovl_compat_fdb_dump_pos(cb);
	struct ovl_dev *ovl = netdev_priv(dev);
	struct ovl_fdb_entry *f;
	struct ovl_remote *r;
	int err = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(f, &ovl->fdb.list, all) {
		list_for_each_entry_rcu(r, &f->remotes, list) {
			if (*idx < pos)
				goto skip;
			err = ovl_fdb_fill(skb, ovl, f, r,
					   NETLINK_CB(cb->skb).portid,
					   cb->nlh->nlmsg_seq, RTM_NEWNEIGH,
					   NLM_F_MULTI);
			if (err < 0)
				goto out;
skip:
			*idx += 1;
		}
	}
out:
	rcu_read_unlock();
	return err;
}
