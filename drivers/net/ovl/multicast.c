// SPDX-License-Identifier: GPL-2.0
/*
 * ovl: multicast groups.  A device whose default remote is a multicast
 * group (IFLA_OVL_GROUP or IFLA_OVL_GROUP6, with IFLA_OVL_LINK) floods
 * to the group and, while it is open, is a member of it on its UDP
 * socket, so that what the other VTEPs flood reaches it.  Devices that
 * share a socket share its memberships, as in vxlan: the last device
 * of a (group, underlay) on a socket to go drops the membership.
 * Everything here runs under RTNL.
 */

#include <linux/igmp.h>
#include <net/addrconf.h>
#include <net/netns/generic.h>

#include "ovl.h"

/* Join (@join) or leave @group on underlay @ifindex on @vs's socket. */
static int ovl_mc_member(struct ovl_sock *vs, const struct ovl_addr *group,
			 int ifindex, bool join)
{
	struct sock *sk = vs->sock->sk;
	int err = -EPFNOSUPPORT;

	lock_sock(sk);
	if (group->family == AF_INET) {
		struct ip_mreqn mreq = {
			.imr_multiaddr.s_addr = group->ip4,
			.imr_ifindex = ifindex,
		};

		err = join ? ip_mc_join_group(sk, &mreq) :
			     ip_mc_leave_group(sk, &mreq);
	}
#if IS_ENABLED(CONFIG_IPV6)
	if (group->family == AF_INET6)
		err = join ? ipv6_sock_mc_join(sk, ifindex, &group->ip6) :
			     ipv6_sock_mc_drop(sk, ifindex, &group->ip6);
#endif
	release_sock(sk);
	return err;
}

/* Does an open device other than @self hold @cfg's group on @vs? */
static bool ovl_mc_shared(struct ovl_dev *self, struct ovl_sock *vs,
			  const struct ovl_config *cfg)
{
	struct ovl_net *on = net_generic(self->net, ovl_net_id);
	struct ovl_dev *ovl;

	list_for_each_entry(ovl, &on->devs, list) {
		const struct ovl_config *c = ovl_cfg(ovl);

		if (ovl != self && netif_running(ovl->dev) &&
		    ovl_sock_of(ovl) == vs && c->link == cfg->link &&
		    ovl_addr_equal(&c->remote, &cfg->remote))
			return true;
	}
	return false;
}

/* Join @cfg's group, if it has one, on @vs.  A group another device
 * already joined there is joined already (-EADDRINUSE from the stack).
 */
int ovl_mc_start(struct ovl_dev *ovl, struct ovl_sock *vs,
		 const struct ovl_config *cfg, struct netlink_ext_ack *extack)
{
	int err;

	ASSERT_RTNL();
	if (!ovl_addr_is_multicast(&cfg->remote))
		return 0;
	err = ovl_mc_member(vs, &cfg->remote, cfg->link, true);
	if (err == -EADDRINUSE)
		return 0;
	if (err) {
		NL_SET_ERR_MSG(extack, "Could not join the multicast group");
		if (!extack)
			netdev_err(ovl->dev, "could not join the multicast group: %d\n",
				   err);
	}
	return err;
}

/* Leave @cfg's group on @vs unless another open device still holds it. */
void ovl_mc_stop(struct ovl_dev *ovl, struct ovl_sock *vs,
		 const struct ovl_config *cfg)
{
	ASSERT_RTNL();
	if (!vs || !ovl_addr_is_multicast(&cfg->remote) ||
	    ovl_mc_shared(ovl, vs, cfg))
		return;
	ovl_mc_member(vs, &cfg->remote, cfg->link, false);
}
