// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "masq.h"

#define MASQ_CHAIN	"FLANNEL-POSTRTG"
#define FWD_CHAIN	"FLANNEL-FWD"
#define MASQ_COMMENT	"flanneld masq"
#define FWD_COMMENT	"flanneld forward"

/* Run argv with input on stdin (NULL: /dev/null); its exit status, quiet. */
static int run(char *const argv[], const char *input)
{
	int in[2] = { -1, -1 };
	int status = 0;
	pid_t pid;

	if (input && pipe2(in, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(input ? in[0] : null, 0);
		dup2(null, 1);
		if (!input || log_verbosity < 2)
			dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (input) {
		size_t len = strlen(input), off = 0;

		close(in[0]);
		while (off < len) {
			ssize_t n = write(in[1], input + off, len - off);

			if (n <= 0)
				break;
			off += n;
		}
		close(in[1]);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static const char *tool(int family, bool restore)
{
	if (family == AF_INET)
		return restore ? "iptables-restore" : "iptables";
	return restore ? "ip6tables-restore" : "ip6tables";
}

/* Make sure table's builtin chain jumps to chain, once (appended, as flannel does). */
static int ensure_jump(int family, const char *table, const char *builtin,
		       const char *chain, const char *comment)
{
	char *check[] = { (char *)tool(family, false), "-w", "-t", (char *)table, "-C",
			  (char *)builtin, "-m", "comment", "--comment", (char *)comment,
			  "-j", (char *)chain, NULL };
	char *add[] = { (char *)tool(family, false), "-w", "-t", (char *)table, "-A",
			(char *)builtin, "-m", "comment", "--comment", (char *)comment,
			"-j", (char *)chain, NULL };

	if (run(check, NULL) == 0)
		return 0;
	return run(add, NULL) == 0 ? 0 : -1;
}

static void drop_jump(int family, const char *table, const char *builtin,
		      const char *chain, const char *comment)
{
	char *del[] = { (char *)tool(family, false), "-w", "-t", (char *)table, "-D",
			(char *)builtin, "-m", "comment", "--comment", (char *)comment,
			"-j", (char *)chain, NULL };
	char *flush[] = { (char *)tool(family, false), "-w", "-t", (char *)table, "-F",
			  (char *)chain, NULL };
	char *rm[] = { (char *)tool(family, false), "-w", "-t", (char *)table, "-X",
		       (char *)chain, NULL };

	while (run(del, NULL) == 0)
		;
	run(flush, NULL);
	run(rm, NULL);
}

static int restore(int family, const char *rules)
{
	char *argv[] = { (char *)tool(family, true), "-w", "--noflush", NULL };

	return run(argv, rules) == 0 ? 0 : -1;
}

int masq_setup(int family, const struct ipnet *network, const struct ipnet *subnet,
	       bool masq, bool forward)
{
	const char *mcast = family == AF_INET ? "224.0.0.0/4" : "ff00::/8";
	char nw[NET_STRLEN], sn[NET_STRLEN], rules[4096];
	int n;

	net_fmt(network, nw);
	net_fmt(subnet, sn);
	if (masq) {
		/*
		 * flannel's MasqRules: leave traffic inside the network alone
		 * (and what kube-proxy marked for masquerade already), masquerade
		 * pods' traffic to the outside and outside traffic to pods of
		 * other nodes.
		 */
		n = snprintf(rules, sizeof(rules),
			     "*nat\n"
			     ":" MASQ_CHAIN " - [0:0]\n"
			     "-F " MASQ_CHAIN "\n"
			     "-A " MASQ_CHAIN " -m mark --mark 0x4000/0x4000 -m comment --comment \"" MASQ_COMMENT "\" -j RETURN\n"
			     "-A " MASQ_CHAIN " -s %s -d %s -m comment --comment \"" MASQ_COMMENT "\" -j RETURN\n"
			     "-A " MASQ_CHAIN " -s %s -d %s -m comment --comment \"" MASQ_COMMENT "\" -j RETURN\n"
			     "-A " MASQ_CHAIN " ! -s %s -d %s -m comment --comment \"" MASQ_COMMENT "\" -j RETURN\n"
			     "-A " MASQ_CHAIN " -s %s ! -d %s -m comment --comment \"" MASQ_COMMENT "\" -j MASQUERADE --random-fully\n"
			     "-A " MASQ_CHAIN " ! -s %s -d %s -m comment --comment \"" MASQ_COMMENT "\" -j MASQUERADE --random-fully\n"
			     "COMMIT\n",
			     sn, nw, nw, sn, nw, sn, nw, mcast, nw, nw);
		if (n >= (int)sizeof(rules) || restore(family, rules) ||
		    ensure_jump(family, "nat", "POSTROUTING", MASQ_CHAIN, MASQ_COMMENT)) {
			log_error("%s: installing the masquerade rules failed", tool(family, true));
			return -1;
		}
	}
	if (forward) {
		n = snprintf(rules, sizeof(rules),
			     "*filter\n"
			     ":" FWD_CHAIN " - [0:0]\n"
			     "-F " FWD_CHAIN "\n"
			     "-A " FWD_CHAIN " -s %s -m comment --comment \"" FWD_COMMENT "\" -j ACCEPT\n"
			     "-A " FWD_CHAIN " -d %s -m comment --comment \"" FWD_COMMENT "\" -j ACCEPT\n"
			     "COMMIT\n", nw, nw);
		if (n >= (int)sizeof(rules) || restore(family, rules) ||
		    ensure_jump(family, "filter", "FORWARD", FWD_CHAIN, FWD_COMMENT)) {
			log_error("%s: installing the forward rules failed", tool(family, true));
			return -1;
		}
	}
	return 0;
}

void masq_teardown(int family, bool masq, bool forward)
{
	if (masq)
		drop_jump(family, "nat", "POSTROUTING", MASQ_CHAIN, MASQ_COMMENT);
	if (forward)
		drop_jump(family, "filter", "FORWARD", FWD_CHAIN, FWD_COMMENT);
}
