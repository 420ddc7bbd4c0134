// SPDX-License-Identifier: GPL-2.0
/*
 * Reading RTM_NEWLINK messages: attribute tables of one link, and the
 * lookup of a device by name that every per-device command starts with.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "ovlctl.h"
#include "linkinfo.h"

const char *link_kind = "ovl";

struct table {
	const struct nlattr **tb;
	int max;
};

/* Keep attributes we know; newer kernels may send higher numbers. */
static int table_cb(const struct nlattr *attr, void *data)
{
	struct table *t = data;
	int type = mnl_attr_get_type(attr);

	if (type <= t->max)
		t->tb[type] = attr;
	return MNL_CB_OK;
}

int link_parse(const struct nlmsghdr *nlh, struct link_attrs *la)
{
	struct table t = { la->tb, IFLA_MAX };

	memset(la, 0, sizeof(*la));
	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(struct ifinfomsg)))
		return -1;
	la->ifi = mnl_nlmsg_get_payload(nlh);
	mnl_attr_parse(nlh, sizeof(struct ifinfomsg), table_cb, &t);
	if (!la->tb[IFLA_IFNAME] ||
	    mnl_attr_validate(la->tb[IFLA_IFNAME], MNL_TYPE_NUL_STRING) < 0)
		return -1;
	la->ifname = mnl_attr_get_str(la->tb[IFLA_IFNAME]);
	if (!la->tb[IFLA_LINKINFO])
		return 0;
	t.tb = la->info;
	t.max = IFLA_INFO_MAX;
	mnl_attr_parse_nested(la->tb[IFLA_LINKINFO], table_cb, &t);
	if (la->info[IFLA_INFO_KIND] &&
	    mnl_attr_validate(la->info[IFLA_INFO_KIND], MNL_TYPE_NUL_STRING) == 0)
		la->kind = mnl_attr_get_str(la->info[IFLA_INFO_KIND]);
	if (la->info[IFLA_INFO_DATA]) {
		t.tb = la->data;
		t.max = IFLA_OVL_MAX;
		mnl_attr_parse_nested(la->info[IFLA_INFO_DATA], table_cb, &t);
	}
	return 0;
}

bool link_is_ours(const struct link_attrs *la)
{
	return la->kind && !strcmp(la->kind, link_kind);
}

/* Attribute value if present with at least len bytes, else NULL. */
const void *attr_data(const struct nlattr *attr, size_t len)
{
	if (!attr || mnl_attr_get_payload_len(attr) < len)
		return NULL;
	return mnl_attr_get_payload(attr);
}

int link_get(const char *name, mnl_cb_t cb, void *data)
{
	struct nlmsghdr *nlh;
	int err;

	nlh = nl_msg(RTM_GETLINK, 0, sizeof(struct ifinfomsg));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	err = nl_get_quiet(nlh, cb, data);
	if (!err || err == -ECANCELED)
		return err;
	if (err == -ENODEV)
		err_msg("device \"%s\" does not exist", name);
	else if (nl_ext_msg()[0])
		err_msg("%s: %s (%s)", name, nl_ext_msg(), strerror(-err));
	else
		err_msg("%s: %s", name, strerror(-err));
	return err;
}

/* Common refusal for a device of another kind. */
int link_wrong_kind(const struct link_attrs *la)
{
	err_msg("%s is not a device of kind %s (its kind is %s)", la->ifname,
		link_kind, la->kind ? la->kind : "none");
	errno = ECANCELED;
	return MNL_CB_ERROR;
}

static int lookup_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_info *li = data;
	struct link_attrs la;
	const uint32_t *u32;
	const uint16_t *be16;

	if (link_parse(nlh, &la) < 0)
		return MNL_CB_OK;
	if (!link_is_ours(&la))
		return link_wrong_kind(&la);
	li->ifindex = la.ifi->ifi_index;
	snprintf(li->ifname, sizeof(li->ifname), "%s", la.ifname);
	u32 = attr_data(la.data[IFLA_OVL_ID], 4);
	li->has_vni = u32 != NULL;
	li->vni = u32 ? *u32 : 0;
	u32 = attr_data(la.tb[IFLA_MTU], 4);
	li->mtu = u32 ? *u32 : 0;
	be16 = attr_data(la.data[IFLA_OVL_PORT], 2);
	li->has_port = be16 != NULL;
	li->port = be16 ? ntohs(*be16) : 0;
	return MNL_CB_OK;
}

int link_lookup(const char *name, struct link_info *li)
{
	memset(li, 0, sizeof(*li));
	if (link_get(name, lookup_cb, li))
		return -1;
	if (!li->ifindex) {
		err_msg("device \"%s\" does not exist", name);
		return -1;
	}
	return 0;
}
