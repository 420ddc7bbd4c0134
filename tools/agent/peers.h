/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The other nodes' leases, as the agent last read them, each judged: a
 * lease whose key or value cannot be read, whose subnet lies outside the
 * network, whose backend is not vxlan, or whose PublicIP an older lease
 * (or this node) already holds, is kept with the reason and left out of
 * the data path.  What was programmed for each peer is kept with it, so
 * that a change or a removal takes away exactly what was there.
 */
#ifndef OVL_AGENT_PEERS_H
#define OVL_AGENT_PEERS_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "lease.h"
#include "sm.h"

/* What one family of one peer needs in the kernel. */
struct prog {
	bool on;
	bool direct;		/* DirectRouting: a plain route via pub */
	struct ipnet sn;	/* the peer's subnet */
	struct ipaddr gw;	/* sn's network address: the peer's VTEP */
	uint8_t mac[6];		/* the peer's VtepMAC */
	struct ipaddr pub;	/* the peer's PublicIP */
};

struct peer {
	char name[LEASE_KEY_MAX];
	struct lease l;
	int64_t create_rev, mod_rev;
	bool valid;		/* readable and in the network */
	bool dup;		/* its PublicIP belongs to an older lease */
	char why[200];		/* why it is not used */
	struct prog done4, done6;	/* what is programmed now */
};

struct peers {
	struct peer **v;
	int n, cap;
};

struct peer *peers_find(struct peers *ps, const char *name);
/*
 * Insert or update the peer of record r, judged against cfg and our own
 * public addresses.  Returns the peer (NULL when out of memory).
 */
struct peer *peers_upsert(struct peers *ps, const struct sm_record *r,
			  const struct netconfig *cfg, const struct lease *ours);
void peers_remove(struct peers *ps, struct peer *p);
void peers_free(struct peers *ps);
/* Is the peer in the data path? */
bool peer_usable(const struct peer *p);
/*
 * Settle which of the leases claiming the public address a is used (the
 * oldest); the others are marked dup.  cb sees each peer whose use
 * changed.
 */
void peers_settle(struct peers *ps, const struct ipaddr *a,
		  void (*cb)(struct peer *p, void *arg), void *arg);
int peers_usable_count(const struct peers *ps);

#endif
