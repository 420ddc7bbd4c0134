// SPDX-License-Identifier: GPL-2.0
/*
 * ovl: module init and exit, per-netns state, underlay device events.
 */

#include <linux/module.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>

#include "ovl.h"

unsigned int ovl_net_id;

static __net_init int ovl_init_net(struct net *net)
{
	struct ovl_net *on = net_generic(net, ovl_net_id);

	INIT_LIST_HEAD(&on->devs);
	INIT_LIST_HEAD(&on->socks);
	return 0;
}

static void __net_exit ovl_exit_batch_net(struct list_head *net_list)
{
	struct ovl_dev *ovl, *next;
	struct net *net;
	LIST_HEAD(kill);

	rtnl_lock();
	list_for_each_entry(net, net_list, exit_list) {
		struct ovl_net *on = net_generic(net, ovl_net_id);

		list_for_each_entry_safe(ovl, next, &on->devs, list)
			ovl_link_ops.dellink(ovl->dev, &kill);
	}
	unregister_netdevice_many(&kill);
	rtnl_unlock();

	list_for_each_entry(net, net_list, exit_list) {
		struct ovl_net *on = net_generic(net, ovl_net_id);

		WARN_ON_ONCE(!list_empty(&on->socks));
	}
}

static struct pernet_operations ovl_net_ops = {
	.init = ovl_init_net,
	.exit_batch = ovl_exit_batch_net,
	.id = &ovl_net_id,
	.size = sizeof(struct ovl_net),
};

/* An ovl device bound to an underlay device (IFLA_OVL_LINK) goes away with
 * it, as vxlan does: its MTU and routes were derived from that device.
 */
static int ovl_netdevice_event(struct notifier_block *nb, unsigned long event,
			       void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct ovl_net *on = net_generic(dev_net(dev), ovl_net_id);
	struct ovl_dev *ovl, *next;
	LIST_HEAD(kill);

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;

	list_for_each_entry_safe(ovl, next, &on->devs, list) {
		if (ovl_cfg(ovl)->link == dev->ifindex)
			ovl_link_ops.dellink(ovl->dev, &kill);
	}
	unregister_netdevice_many(&kill);
	return NOTIFY_DONE;
}

static struct notifier_block ovl_notifier_block = {
	.notifier_call = ovl_netdevice_event,
};

static int __init ovl_init(void)
{
	int err;

	err = register_pernet_subsys(&ovl_net_ops);
	if (err)
		return err;

	err = register_netdevice_notifier(&ovl_notifier_block);
	if (err)
		goto err_pernet;

	err = rtnl_link_register(&ovl_link_ops);
	if (err)
		goto err_notifier;

	pr_info("VXLAN-compatible overlay device, kind \"%s\"\n", OVL_KIND);
	return 0;

err_notifier:
	unregister_netdevice_notifier(&ovl_notifier_block);
err_pernet:
	unregister_pernet_subsys(&ovl_net_ops);
	return err;
}

static void __exit ovl_exit(void)
{
	/* Deletes every ovl device in every netns. */
	rtnl_link_unregister(&ovl_link_ops);
	unregister_netdevice_notifier(&ovl_notifier_block);
	unregister_pernet_subsys(&ovl_net_ops);
	/* FDB entries and peers are freed by RCU callbacks. */
	rcu_barrier();
}

module_init(ovl_init);
module_exit(ovl_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("VXLAN-compatible L2 overlay device");
MODULE_ALIAS_RTNL_LINK(OVL_KIND);
