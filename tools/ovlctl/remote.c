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

int cmd_remote(int argc, char **argv)
{
	struct fdb_args a = { 0 };
	struct link_info li;
	const char *sub;
	char what[96];
	uint16_t type, flags;

	if (argc < 1)
		usage_err("remote: expected add, del or show");
	sub = argv[0];
	if (argc < 2)
		usage_err("remote %s: no device name given", sub);
	check_ifname(argv[1]);
	if (!strcmp(sub, "show")) {
		if (argc > 2)
			usage_err("remote show: unexpected \"%s\"", argv[2]);
		if (link_lookup(argv[1], &li) < 0)
			return EXIT_KERNEL;
		return fdb_show(&li, true);
	}
	if (!strcmp(sub, "add")) {
		/* Append: another remote for the same (all-zero) MAC. */
		type = RTM_NEWNEIGH;
		flags = NLM_F_CREATE | NLM_F_APPEND;
	} else if (!strcmp(sub, "del")) {
		type = RTM_DELNEIGH;
		flags = 0;
	} else {
		usage_err("remote: unknown command \"%s\"", sub);
	}
	if (argc < 3)
		usage_err("remote %s: no remote IP given", sub);
	parse_remote_ip(argv[2], &a.ip);
	a.ip_set = true;
	fdb_parse_opts(argc, argv, 3, &a, false);
	if (link_lookup(argv[1], &li) < 0)
		return EXIT_KERNEL;
	snprintf(what, sizeof(what), "remote %s %s %s", sub, argv[1], argv[2]);
	return fdb_send(type, flags, &li, &a, what) ? EXIT_KERNEL : 0;
}
