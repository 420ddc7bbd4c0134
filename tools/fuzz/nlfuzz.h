/* SPDX-License-Identifier: GPL-2.0 */
/* nlfuzz: shared declarations of the rtnetlink fuzzer (nlfuzz.c) and its
 * netlink I/O and device-state snapshots (nlstate.c). */
#ifndef OVL_FUZZ_NLFUZZ_H
#define OVL_FUZZ_NLFUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

/* What the kernel answered to one request. */
struct nl_reply {
	int err;		/* 0 or -errno */
	int has_msg;		/* extack NLMSGERR_ATTR_MSG present */
	char msg[256];
};

/* The state a rejected request must not change: the device's link
 * attributes and its FDB, serialised and sorted. */
struct rec {
	uint8_t *buf;
	size_t len;
	int dynamic;		/* a learned/dynamic FDB entry: may age out */
};

struct dev_state {
	struct rec link;	/* name, flags, MTU, address, IFLA_INFO_DATA */
	struct rec *fdb;	/* sorted */
	size_t nfdb;
};

struct mnl_socket *nl_open(void);
/* Send @nlh (with NLM_F_ACK set here) and read the ack into @r. */
int nl_request(struct mnl_socket *nl, struct nlmsghdr *nlh, struct nl_reply *r);
int nl_ifindex(struct mnl_socket *nl, const char *name);
/* Snapshot device @ifindex; returns -1 when the device can not be read. */
int state_read(struct mnl_socket *nl, int ifindex, struct dev_state *s);
/* 0 when equal; 1 when @after lacks only dynamic FDB entries of @before
 * (ageing may remove them at any time); -1 otherwise. */
int state_cmp(const struct dev_state *before, const struct dev_state *after);
void state_free(struct dev_state *s);
void state_print_diff(const struct dev_state *a, const struct dev_state *b);

#endif /* OVL_FUZZ_NLFUZZ_H */
