/* SPDX-License-Identifier: GPL-2.0 */
/* FDB requests shared by "fdb" and "remote" (fdb.c). */
#ifndef OVLCTL_FDB_H
#define OVLCTL_FDB_H

#include "ovlctl.h"

struct fdb_args {
	uint8_t mac[6];
	bool ip_set, port_set, vni_set;
	struct ipaddr ip;
	uint16_t port;		/* host order */
	uint32_t vni;
	uint16_t state;		/* NUD_* as bridge fdb sends it */
};

/* [port P] [vni N] [static|permanent] from argv[first..]; exits on error. */
void fdb_parse_opts(int argc, char **argv, int first, struct fdb_args *a,
		    bool allow_state);
int fdb_send(uint16_t type, uint16_t flags, const struct link_info *li,
	     const struct fdb_args *a, const char *what);
/* Print the FDB of li, or only its default destinations (all-zero MAC). */
int fdb_show(const struct link_info *li, bool default_only);

/* A subcommand of "fdb" or "remote" that sends one request. */
struct fdb_verb {
	const char *name;	/* NULL ends a table */
	uint16_t type;		/* RTM_NEWNEIGH or RTM_DELNEIGH */
	uint16_t flags;		/* NLM_F_* */
};

/* "fdb" or "remote": its name, its verbs and what its "show" lists. */
struct fdb_cmd {
	const char *name;
	const char *expected;		/* the verbs, for usage errors */
	const struct fdb_verb *verbs;
	bool default_only;		/* show only the all-zero MAC's entry */
};

/*
 * The start both commands share: "CMD SUB DEVICE ..." checked (usage
 * errors exit), "show" run with its exit status in *show_ret (then NULL
 * is returned), else SUB's entry in c->verbs.
 */
const struct fdb_verb *fdb_verb(const struct fdb_cmd *c, int argc,
				char **argv, int *show_ret);
/* Send verb v of "CMD SUB DEVICE ARG ..." (argv from SUB) for DEVICE. */
int fdb_request(const struct fdb_cmd *c, const struct fdb_verb *v,
		char **argv, const struct fdb_args *a);

#endif
