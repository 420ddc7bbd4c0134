// SPDX-License-Identifier: GPL-2.0
/*
 * ovlctl remote: the default destination list, i.e. the FDB entry for
 * 00:00:00:00:00:00 with one remote per VTEP.  Frames with no FDB entry
 * of their own are sent to every remote in it (head-end replication).
 */
#include <stdio.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include "fdb.h"

void help_remote(void)
{
	printf("Usage: ovlctl remote add|del DEVICE IP [port P] [vni N]\n"
	       "       ovlctl remote show DEVICE\n");
}

static const struct fdb_verb remote_verbs[] = {
	/* Append: another remote for the same (all-zero) MAC. */
	{ "add",	RTM_NEWNEIGH,	NLM_F_CREATE | NLM_F_APPEND },
	{ "del",	RTM_DELNEIGH,	0 },
	{ NULL, 0, 0 }
};

/* "remote show" lists only the default destinations. */
static const struct fdb_cmd remote_cmd = {
	"remote", "add, del or show", remote_verbs, true
};

int cmd_remote(int argc, char **argv)
{
	const struct fdb_verb *v;
	struct fdb_args a = { 0 };
	int ret;

	v = fdb_verb(&remote_cmd, argc, argv, &ret);
	if (!v)
		return ret;
	if (argc < 3)
		usage_err("remote %s: no remote IP given", v->name);
	parse_remote_ip(argv[2], &a.ip);
	a.ip_set = true;
	fdb_parse_opts(argc, argv, 3, &a, false);
	return fdb_request(&remote_cmd, v, argv, &a);
}
