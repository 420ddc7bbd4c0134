/* SPDX-License-Identifier: GPL-2.0 */
/* Attribute tables of one RTM_NEWLINK message (linkinfo.c). */
#ifndef OVLCTL_LINKINFO_H
#define OVLCTL_LINKINFO_H

#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "../../include/uapi/linux/ovl.h"

struct link_attrs {
	const struct ifinfomsg *ifi;
	const char *ifname;
	const char *kind;		/* IFLA_INFO_KIND, NULL if none */
	const struct nlattr *tb[IFLA_MAX + 1];
	const struct nlattr *info[IFLA_INFO_MAX + 1];
	const struct nlattr *data[IFLA_OVL_MAX + 1];
};

int link_parse(const struct nlmsghdr *nlh, struct link_attrs *la);
bool link_is_ours(const struct link_attrs *la);
int link_wrong_kind(const struct link_attrs *la);
const void *attr_data(const struct nlattr *attr, size_t len);
/* RTM_GETLINK by name; prints "does not exist" and other errors itself. */
int link_get(const char *name, mnl_cb_t cb, void *data);

#endif
