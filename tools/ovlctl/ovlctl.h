/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ovlctl: configure ovl overlay devices over rtnetlink (libmnl).
 * Shared declarations of the command files, the netlink helper (nl.c),
 * the argument parsers (parse.c) and the plain/JSON printer (out.c).
 */
#ifndef OVLCTL_H
#define OVLCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <netinet/in.h>
#include <libmnl/libmnl.h>

#ifndef OVLCTL_VERSION
#define OVLCTL_VERSION "unknown"
#endif

/* Exit codes, documented in ovlctl.8. */
#define EXIT_KERNEL	1	/* the kernel refused, or netlink failed */
#define EXIT_USAGE	2	/* bad command line; nothing was sent */

/* Global state set by main(). */
extern bool opt_json;		/* out.c: JSON, not plain text */
extern const char *link_kind;	/* linkinfo.c: "ovl", or $OVLCTL_KIND for development */

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	void (*help)(void);
	const char *summary;
};

/* One command per family, each in its own file. */
int cmd_add(int argc, char **argv);
int cmd_set(int argc, char **argv);
int cmd_del(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_remote(int argc, char **argv);
int cmd_fdb(int argc, char **argv);
int cmd_stats(int argc, char **argv);
void help_add(void);
void help_set(void);
void help_del(void);
void help_show(void);
void help_remote(void);
void help_fdb(void);
void help_stats(void);

/* errors.c: one line on stderr, "ovlctl: ..." */
void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Usage error: print, exit EXIT_USAGE.  Only called before sending. */
void usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
bool is_help(const char *word);

/* parse.c: strict parsers; they return false on bad input. */
struct ipaddr {
	int family;		/* AF_INET or AF_INET6, 0 when unset */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} a;
};
bool parse_u32(const char *s, uint32_t max, uint32_t *out);
bool parse_ip(const char *s, struct ipaddr *ip);
bool ip_is_multicast(const struct ipaddr *ip);
bool parse_mac(const char *s, uint8_t mac[6]);
bool parse_onoff(const char *s, bool *out);
const char *fmt_ip(int family, const void *addr, char *buf, size_t len);
const char *fmt_mac(const uint8_t *mac, char *buf, size_t len);
/* Take the value word after a keyword, or fail with a usage error. */
const char *need_arg(int *i, int argc, char **argv);
/* Parse "port", "vni" of remote/fdb commands; a usage error exits. */
int parse_port_arg(const char *s, uint16_t *port);
int parse_vni_arg(const char *s, uint32_t *vni);
void parse_remote_ip(const char *s, struct ipaddr *ip);
void check_ifname(const char *s);

/* nl.c: a thin layer over libmnl. */
int nl_open(void);		/* socket with NETLINK_EXT_ACK; exits on error */
int nl_setns(const char *name);	/* join /var/run/netns/NAME */
struct nlmsghdr *nl_msg(uint16_t type, uint16_t flags, size_t hdrlen);
/* Send one request, wait for its ack; on error print the kernel's reason. */
int nl_request(struct nlmsghdr *nlh, const char *what);
/* Send one dump or get request, run cb on each reply message. */
int nl_dump(struct nlmsghdr *nlh, mnl_cb_t cb, void *data, const char *what);
/* Like nl_dump, but prints nothing: returns -errno, see nl_ext_msg(). */
int nl_get_quiet(struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
const char *nl_ext_msg(void);

/* Link lookup: facts about one device needed by other commands. */
struct link_info {
	int ifindex;
	char ifname[32];
	bool has_vni, has_port;
	uint32_t vni;
	uint16_t port;		/* host order */
	uint32_t mtu;
};
/* Resolve NAME to an ovl device (linkinfo.c); prints why and returns <0 if not. */
int link_lookup(const char *name, struct link_info *li);

/* out.c: plain text or JSON with the same calls. */
void out_begin_array(const char *key);
void out_end_array(void);
void out_begin_object(const char *key);
void out_end_object(void);
void out_str(const char *key, const char *val);
void out_u64(const char *key, uint64_t val);
void out_bool(const char *key, bool val);	/* plain: on/off */
void out_plain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void out_newline(void);				/* plain only */
void out_indent(int n);				/* plain only */
void out_finish(void);				/* closes the JSON document */

#endif /* OVLCTL_H */
