// SPDX-License-Identifier: GPL-2.0
/*
 * ovlctl: global options and the subcommand table.  Each command family
 * lives in its own file (link.c, show.c, remote.c, fdb.c, stats.c).  This
 * file is the top of the program: nothing calls into it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovlctl.h"

static void help_main(void);

static const struct command commands[] = {
	{ "add",    cmd_add,    help_add,    "create a device" },
	{ "set",    cmd_set,    help_set,    "change parameters of a device" },
	{ "del",    cmd_del,    help_del,    "delete a device" },
	{ "show",   cmd_show,   help_show,   "show devices and their parameters" },
	{ "remote", cmd_remote, help_remote, "manage the default remote VTEPs" },
	{ "fdb",    cmd_fdb,    help_fdb,    "manage forwarding database entries" },
	{ "stats",  cmd_stats,  help_stats,  "show counters and drop reasons" },
};

bool is_help(const char *word)
{
	return !strcmp(word, "help") || !strcmp(word, "-h") ||
	       !strcmp(word, "--help");
}

static void help_main(void)
{
	size_t i;

	printf("Usage: ovlctl [-n NETNS] [-j] COMMAND [ARGS]\n"
	       "       ovlctl COMMAND help\n"
	       "       ovlctl -h | help | -V\n\n"
	       "Options:\n"
	       "  -n NETNS  run in network namespace /var/run/netns/NETNS\n"
	       "  -j        JSON output\n"
	       "  -V        print the version\n\n"
	       "Commands:\n");
	for (i = 0; i < MNL_ARRAY_SIZE(commands); i++)
		printf("  %-7s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv)
{
	const char *netns = NULL, *kind;
	int i = 1;
	size_t c;

	/* Undocumented: drive vxlan with the same code during development. */
	kind = getenv("OVLCTL_KIND");
	if (kind && *kind)
		link_kind = kind;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			opt_json = true;
		} else if (!strcmp(argv[i], "-n") || !strcmp(argv[i], "--netns")) {
			if (i + 1 >= argc)
				usage_err("\"%s\" needs a namespace name", argv[i]);
			netns = argv[++i];
		} else if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
			printf("ovlctl %s\n", OVLCTL_VERSION);
			return 0;
		} else if (is_help(argv[i])) {
			help_main();
			return 0;
		} else {
			usage_err("unknown option \"%s\"", argv[i]);
		}
	}
	if (i >= argc)
		usage_err("no command given");
	if (is_help(argv[i])) {
		help_main();
		return 0;
	}
	for (c = 0; c < MNL_ARRAY_SIZE(commands); c++) {
		if (strcmp(argv[i], commands[c].name))
			continue;
		if (i + 1 < argc && is_help(argv[i + 1])) {
			commands[c].help();
			return 0;
		}
		/* Enter the netns first: device names resolve inside it. */
		if (netns && nl_setns(netns) < 0)
			return EXIT_KERNEL;
		return commands[c].run(argc - i - 1, argv + i + 1);
	}
	usage_err("unknown command \"%s\"", argv[i]);
}
