/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the parts of the ip(8) plugin for link kind "ovl". */
#ifndef OVL_LINK_OVL_H
#define OVL_LINK_OVL_H

#include <string.h>
#include "ip_abi.h"
#include "../../include/uapi/linux/ovl.h"

/*
 * The kind the plugin answers to.  Always "ovl" for the installed plugin;
 * the test build compiles the same code as "vxlan" so that ip loads it in
 * place of its built-in vxlan support and the host's in-kernel vxlan
 * driver can check it (IFLA_OVL_* equal IFLA_VXLAN_*).
 */
#ifndef PLUGIN_KIND
#define PLUGIN_KIND ovl
#endif
#define OVL_STR_(x)	#x
#define OVL_STR(x)	OVL_STR_(x)
#define KIND_NAME	OVL_STR(PLUGIN_KIND)

/* Room ip leaves for a link request's attributes: iplink's req buffer. */
#define OVL_REQ_MAXLEN	1024

int ovl_parse_opt(struct link_util *lu, int argc, char **argv,
		  struct nlmsghdr *n);
void ovl_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[]);
void ovl_print_xstats(struct link_util *lu, FILE *f, struct rtattr *xstats);
void ovl_usage(FILE *f);

/* ip has these as static inlines in libnetlink.h, so they are not ABI. */
static inline __u8 rta_u8(const struct rtattr *rta)
{
	return *(const __u8 *)RTA_DATA(rta);
}

static inline __u16 rta_u16(const struct rtattr *rta)
{
	__u16 v;

	memcpy(&v, RTA_DATA(rta), sizeof(v));
	return v;
}

static inline __u32 rta_u32(const struct rtattr *rta)
{
	__u32 v;

	memcpy(&v, RTA_DATA(rta), sizeof(v));
	return v;
}

static inline __u64 rta_u64(const struct rtattr *rta)
{
	__u64 v;

	memcpy(&v, RTA_DATA(rta), sizeof(v));
	return v;
}

/* An attribute a printer may read as a T: present and long enough. */
#define RTA_HAS(tb, type, len) \
	((tb)[type] && RTA_PAYLOAD((tb)[type]) >= (len))

#endif /* OVL_LINK_OVL_H */
