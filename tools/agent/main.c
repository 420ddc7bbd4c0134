// SPDX-License-Identifier: GPL-2.0
/*
 * ovl-agent: flanneld's vxlan backend on ovl devices, over flannel's etcd
 * schema.  "ovl-agent [flags]" runs the agent; "ovl-agent status" tells
 * what a running one holds.
 */
#include <stdio.h>
#include <string.h>

#include "agent.h"
#include "flags.h"
#include "log.h"
#include "status.h"

#ifndef OVL_AGENT_VERSION
#define OVL_AGENT_VERSION "unknown"
#endif

int main(int argc, char **argv)
{
	struct options o;
	int first;

	if (argc > 1 && !strcmp(argv[1], "status")) {
		/* The status file's default, unless --status-file says otherwise. */
		char *none[] = { argv[0], NULL };

		flags_parse(&o, 1, none);
		return status_command(argc - 1, argv + 1, o.status_file);
	}
	first = flags_parse(&o, argc, argv);
	if (first < argc) {
		fprintf(stderr, "ovl-agent: unexpected argument \"%s\" (ovl-agent --help lists the flags)\n",
			argv[first]);
		return 2;
	}
	if (o.version) {
		printf("%s\n", OVL_AGENT_VERSION);
		return 0;
	}
	if (o.kube_subnet_mgr) {
		fprintf(stderr, "ovl-agent: --kube-subnet-mgr: the Kubernetes subnet manager is not built in; ovl-agent uses etcd\n");
		return 1;
	}
	log_verbosity = o.verbosity;
	return agent_run(&o);
}
