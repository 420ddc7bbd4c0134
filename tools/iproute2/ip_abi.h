/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The part of the ip(8) binary's ABI that a link_<kind>.so plugin uses.
 *
 * iproute2 installs no development headers, so these declarations mirror
 * iproute2 6.1 (Debian bookworm's /sbin/ip): struct link_util from
 * ip/ip_common.h, the helpers from include/utils.h and include/json_print.h,
 * enum color_attr from include/color.h.  Every function named here is
 * exported by /sbin/ip (nm -D); selftests/native/iproute2-abi.sh checks
 * that, and that struct link_util has the size of ip's own link_utils.
 * Only helpers whose prototypes have been stable for years are used;
 * rtattr accessors, which ip has as static inlines, live in link_ovl.h.
 */
#ifndef OVL_IP_ABI_H
#define OVL_IP_ABI_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

/* ip/ip_common.h: ip dlsym()s "<kind>_link_util" in link_<kind>.so. */
struct link_util {
	struct link_util	*next;
	const char		*id;
	int			maxattr;
	int			(*parse_opt)(struct link_util *, int, char **,
					     struct nlmsghdr *);
	void			(*print_opt)(struct link_util *, FILE *,
					     struct rtattr *[]);
	/* called with IFLA_INFO_XSTATS under "ip -s -d link show" */
	void			(*print_xstats)(struct link_util *, FILE *,
						struct rtattr *);
	void			(*print_help)(struct link_util *, int, char **,
					      FILE *);
	/* "ip link xstats type KIND": RTM_GETSTATS, unused by ovl */
	int			(*parse_ifla_xstats)(struct link_util *,
						     int, char **);
	int			(*print_ifla_xstats)(struct nlmsghdr *, void *);
};

/* include/utils.h: parsers (0 on success) and fatal-error reporters */
int get_u32(__u32 *val, const char *arg, int base);
int get_u16(__u16 *val, const char *arg, int base);
int get_unsigned(unsigned int *val, const char *arg, int base);
int rtnl_dsfield_a2n(__u32 *id, const char *arg);
const char *format_host(int af, int len, const void *addr);
void invarg(const char *msg, const char *arg) __attribute__((noreturn));
void duparg2(const char *key, const char *arg) __attribute__((noreturn));
void incomplete_command(void) __attribute__((noreturn));

/* include/ll_map.h */
unsigned int ll_name_to_index(const char *name);
const char *ll_index_to_name(unsigned int idx);

/* include/libnetlink.h: return -1 when maxlen would be exceeded */
int addattr_l(struct nlmsghdr *n, int maxlen, int type,
	      const void *data, int alen);

/* include/color.h */
enum color_attr {
	COLOR_IFNAME,
	COLOR_MAC,
	COLOR_INET,
	COLOR_INET6,
	COLOR_OPERSTATE_UP,
	COLOR_OPERSTATE_DOWN,
	COLOR_NONE			/* 6: checked against color_fprintf */
};

/* include/json_print.h: every print_* writes to stdout or the JSON writer */
enum output_type {
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = 4,
};

bool is_json_context(void);
void open_json_object(const char *str);
void close_json_object(void);
void print_nl(void);
int print_color_string(enum output_type t, enum color_attr c,
		       const char *key, const char *fmt, const char *value);
int print_color_bool(enum output_type t, enum color_attr c,
		     const char *key, const char *fmt, bool value);
int print_color_null(enum output_type t, enum color_attr c,
		     const char *key, const char *fmt, const char *value);
int print_color_uint(enum output_type t, enum color_attr c,
		     const char *key, const char *fmt, unsigned int value);
int print_color_u64(enum output_type t, enum color_attr c,
		    const char *key, const char *fmt, __u64 value);
/* JSON gets the value as a "%#llx" string, as ip prints tos and label */
int print_color_0xhex(enum output_type t, enum color_attr c,
		      const char *key, const char *fmt,
		      unsigned long long value);

#endif /* OVL_IP_ABI_H */
