/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line, as flanneld takes it: Go's flag syntax (-name,
 * --name, -name=value, --name value; a bool takes no value or =true /
 * =false), flanneld's names and defaults, and FLANNELD_NAME environment
 * variables for flags the command line does not set.  Errors are one line
 * on stderr and exit status 2, before anything is touched.
 */
#ifndef OVL_AGENT_FLAGS_H
#define OVL_AGENT_FLAGS_H

#include <stdbool.h>

#define MAX_LIST	16

struct strlist {
	int n;
	const char *v[MAX_LIST];
};

struct options {
	struct strlist etcd_endpoints;	/* split at commas */
	const char *etcd_prefix;
	const char *etcd_cafile, *etcd_certfile, *etcd_keyfile;
	const char *etcd_username, *etcd_password;
	struct strlist iface;		/* names or addresses, first found wins */
	struct strlist iface_regex;
	const char *iface_can_reach;
	const char *public_ip, *public_ipv6;
	const char *subnet_file;
	bool ip_masq;
	bool iptables_forward_rules;
	int renew_margin;		/* minutes */
	int verbosity;
	bool kube_subnet_mgr;
	bool version;
	/* ovl-agent's own */
	const char *cni_conf;		/* "" = do not write one */
	const char *status_file;
	int resync;			/* seconds between full re-lists */
	const char *kind;		/* link kind: ovl ($OVL_AGENT_KIND for development) */
};

/* Parse argv into opts; returns the index of the first non-flag argument. */
int flags_parse(struct options *opts, int argc, char **argv);
void flags_usage(void);

#endif
