// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "files.h"
#include "jsonutil.h"
#include "status.h"

int status_publish(const char *path, json_object *st)
{
	const char *text = json_object_to_json_string_ext(st, JSON_C_TO_STRING_PRETTY |
							  JSON_C_TO_STRING_SPACED |
							  JSON_C_TO_STRING_NOSLASHESCAPE);

	return write_atomic(path, text, strlen(text));
}

json_object *status_time(double t)
{
	time_t s = (time_t)t;
	struct tm tm;
	char buf[32];

	if (t <= 0)
		return NULL;
	gmtime_r(&s, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_object_new_string(buf);
}

static const char *str(json_object *o, const char *key, const char *dflt)
{
	const char *s = dflt;

	json_get_str(o, key, &s);
	return s;
}

static void print_human(json_object *st, bool running)
{
	json_object *lease = json_get(st, "lease"), *peers = json_get(st, "peers");
	json_object *skipped = json_get(st, "skipped"), *etcd = json_get(st, "etcd");
	json_object *problem = json_get(st, "last_problem");
	int64_t pid = 0;
	size_t n;

	json_get_int(st, "pid", &pid);
	printf("ovl-agent: %s (pid %lld), state %s\n", running ? "running" : "NOT running",
	       (long long)pid, str(st, "state", "?"));
	printf("  updated    %s\n", str(st, "updated", "-"));
	if (lease)
		printf("  lease      %s  public %s  vtep mac %s  expires %s\n",
		       str(lease, "key", "-"), str(lease, "public_ip", "-"),
		       str(lease, "vtep_mac", "-"), str(lease, "expires", "-"));
	if (etcd)
		printf("  etcd       %s  %s, watch %s\n", str(etcd, "endpoint", "-"),
		       str(etcd, "reachable", "?"), str(etcd, "watch", "?"));
	printf("  last sync  %s\n", str(st, "last_sync", "never"));
	n = peers ? json_object_array_length(peers) : 0;
	printf("  peers      %zu\n", n);
	for (size_t i = 0; i < n; i++) {
		json_object *p = json_object_array_get_idx(peers, i);

		printf("    %-32s %-16s %s%s\n", str(p, "lease", "?"), str(p, "public_ip", "?"),
		       str(p, "vtep_mac", "?"), json_get(p, "direct") &&
		       json_object_get_boolean(json_get(p, "direct")) ? " direct" : "");
	}
	n = skipped ? json_object_array_length(skipped) : 0;
	if (n)
		printf("  skipped    %zu\n", n);
	for (size_t i = 0; i < n; i++) {
		json_object *p = json_object_array_get_idx(skipped, i);

		printf("    %-32s %s\n", str(p, "lease", "?"), str(p, "reason", "?"));
	}
	if (problem)
		printf("  last problem  %s: %s\n", str(problem, "at", "?"),
		       str(problem, "message", "?"));
}

int status_command(int argc, char **argv, const char *default_path)
{
	const char *path = default_path, *why;
	bool json = false, running;
	json_object *st;
	int64_t pid = 0;
	char *text;
	FILE *fp;
	long len;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strncmp(argv[i], "--status-file=", 14)) {
			path = argv[i] + 14;
		} else if (!strcmp(argv[i], "--status-file") && i + 1 < argc) {
			path = argv[++i];
		} else {
			fprintf(stderr, "ovl-agent status: unknown argument \"%s\" (usage: ovl-agent status [-j] [--status-file F])\n",
				argv[i]);
			return 2;
		}
	}
	fp = fopen(path, "r");
	if (!fp) {
		fprintf(stderr, "ovl-agent status: %s: %s (is the agent running?)\n", path,
			strerror(errno));
		return 3;
	}
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	text = malloc(len > 0 ? len + 1 : 1);
	if (!text || fread(text, 1, len, fp) != (size_t)len) {
		fprintf(stderr, "ovl-agent status: %s: cannot read it\n", path);
		fclose(fp);
		free(text);
		return 1;
	}
	fclose(fp);
	st = json_parse_text(text, len, &why);
	free(text);
	if (!st || !json_object_is_type(st, json_type_object)) {
		fprintf(stderr, "ovl-agent status: %s: not a status file (%s)\n", path,
			st ? "not an object" : why);
		json_object_put(st);
		return 1;
	}
	json_get_int(st, "pid", &pid);
	running = pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM) &&
		  strcmp(str(st, "state", ""), "stopped");
	if (json) {
		json_object_object_add(st, "running", json_object_new_boolean(running));
		printf("%s\n", json_object_to_json_string_ext(st, JSON_C_TO_STRING_PRETTY |
							     JSON_C_TO_STRING_SPACED |
							     JSON_C_TO_STRING_NOSLASHESCAPE));
	} else {
		print_human(st, running);
	}
	json_object_put(st);
	return running ? 0 : 3;
}
