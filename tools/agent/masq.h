/* SPDX-License-Identifier: GPL-2.0 */
/*
 * flanneld's iptables rules, made with Debian's iptables/ip6tables (the
 * nft back end by default): --ip-masq's masquerading of traffic that
 * leaves the overlay network, in its own chain FLANNEL-POSTRTG hooked
 * from nat POSTROUTING, and the FORWARD accept rules of
 * --iptables-forward-rules in FLANNEL-FWD.  Each chain is replaced whole
 * with iptables-restore --noflush, so a rule set is never half written.
 */
#ifndef OVL_AGENT_MASQ_H
#define OVL_AGENT_MASQ_H

#include <stdbool.h>

#include "addr.h"

/* Install (or refresh) the rules of one family; 0, or -1 with a log line. */
int masq_setup(int family, const struct ipnet *network, const struct ipnet *subnet,
	       bool masq, bool forward);
/* Remove what masq_setup installed for the family. */
void masq_teardown(int family, bool masq, bool forward);

#endif
