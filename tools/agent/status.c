// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent_state.h"
#include "clock.h"
#include "files.h"
#include "jsonutil.h"
#include "log.h"
#include "status.h"

static int status_publish(const char *path, json_object *st)
{
	const char *text = json_object_to_json_string_ext(st, JSON_C_TO_STRING_PRETTY |
							  JSON_C_TO_STRING_SPACED |
							  JSON_C_TO_STRING_NOSLASHESCAPE);

	return write_atomic(path, text, strlen(text));
}

/* An ISO 8601 UTC time string for t (wall-clock seconds); NULL for none. */
static json_object *status_time(double t)
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

static json_object *jstr(const char *s)
{
	return json_object_new_string(s);
}

static json_object *peer_json(const struct peer *p)
{
	json_object *o = json_object_new_object();
	char a[ADDR_STRLEN], m[MAC_STRLEN];

	json_object_object_add(o, "lease", jstr(p->name));
	if (p->l.public_ip.family)
		json_object_object_add(o, "public_ip", jstr(addr_fmt(&p->l.public_ip, a)));
	if (p->l.public_ipv6.family)
		json_object_object_add(o, "public_ipv6", jstr(addr_fmt(&p->l.public_ipv6, a)));
	if (p->l.data.present)
		json_object_object_add(o, "vtep_mac", jstr(mac_fmt(p->l.data.mac, m)));
	if (p->l.data6.present)
		json_object_object_add(o, "vtep_mac6", jstr(mac_fmt(p->l.data6.mac, m)));
	json_object_object_add(o, "programmed", json_object_new_boolean(p->done4.on || p->done6.on));
	json_object_object_add(o, "direct", json_object_new_boolean(p->done4.direct || p->done6.direct));
	return o;
}

int status_publish_agent(const struct agent *a, const char *state)
{
	json_object *st = json_object_new_object(), *lease = json_object_new_object();
	json_object *etcd = json_object_new_object(), *peers = json_object_new_array();
	json_object *skipped = json_object_new_array(), *dev = json_object_new_object();
	json_object *counters = json_object_new_object();
	char s[NET_STRLEN], m[MAC_STRLEN];
	const char *problem;
	double when;

	int r;

	json_object_object_add(st, "pid", json_object_new_int(getpid()));
	json_object_object_add(st, "state", jstr(state));
	json_object_object_add(st, "updated", status_time(now_wall()));
	if (a->our_name[0]) {
		json_object_object_add(lease, "key", jstr(a->our_name));
		if (a->ours.has_v4)
			json_object_object_add(lease, "subnet", jstr(net_fmt(&a->ours.subnet, s)));
		if (a->ours.has_v6)
			json_object_object_add(lease, "subnet6", jstr(net_fmt(&a->ours.subnet6, s)));
		if (a->ours.public_ip.family)
			json_object_object_add(lease, "public_ip", jstr(addr_fmt(&a->ours.public_ip, s)));
		if (a->ours.public_ipv6.family)
			json_object_object_add(lease, "public_ipv6", jstr(addr_fmt(&a->ours.public_ipv6, s)));
		json_object_object_add(lease, "vtep_mac", jstr(mac_fmt(a->dev4.have_mac ?
								a->dev4.mac : a->dev6.mac, m)));
		json_object_object_add(lease, "expires", status_time(a->ours.expires));
		json_object_object_add(st, "lease", lease);
	} else {
		json_object_put(lease);
	}
	json_object_object_add(dev, "name", jstr(a->dev4.ifindex ? a->dev4.name : a->dev6.name));
	json_object_object_add(dev, "ifindex", json_object_new_int(a->dev4.ifindex ?
								   a->dev4.ifindex : a->dev6.ifindex));
	if (a->dev4.ifindex && a->dev6.ifindex)
		json_object_object_add(dev, "name6", jstr(a->dev6.name));
	json_object_object_add(st, "device", dev);
	json_object_object_add(etcd, "endpoint", jstr(a->sm ? a->sm->ops->where(a->sm) : "-"));
	json_object_object_add(etcd, "reachable", jstr(a->etcd_ok ? "reachable" : "unreachable"));
	if (!a->etcd_ok)
		json_object_object_add(etcd, "unreachable_since", status_time(a->etcd_down_since));
	json_object_object_add(etcd, "watch", jstr(a->watch_live ? "live" :
						       a->watching ? "connecting" : "down"));
	json_object_object_add(st, "etcd", etcd);
	json_object_object_add(st, "last_sync", status_time(a->last_sync));
	for (int i = 0; i < a->peers.n; i++) {
		const struct peer *p = a->peers.v[i];

		if (peer_usable(p)) {
			json_object_array_add(peers, peer_json(p));
		} else {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "lease", jstr(p->name));
			json_object_object_add(o, "reason", jstr(p->why));
			json_object_array_add(skipped, o);
		}
	}
	json_object_object_add(st, "peers", peers);
	json_object_object_add(st, "skipped", skipped);
	json_object_object_add(counters, "lease_events", json_object_new_int64((int64_t)a->events));
	json_object_object_add(counters, "relists", json_object_new_int64((int64_t)a->relists));
	json_object_object_add(counters, "kernel_replays", json_object_new_int64((int64_t)a->kernel_replays));
	json_object_object_add(counters, "renewals", json_object_new_int64((int64_t)a->renewals));
	json_object_object_add(counters, "kernel_failures", json_object_new_int(a->totals.failed));
	json_object_object_add(st, "counters", counters);
	problem = log_last_problem(&when);
	if (problem[0]) {
		json_object *p = json_object_new_object();

		json_object_object_add(p, "at", status_time(when));
		json_object_object_add(p, "message", jstr(problem));
		json_object_object_add(st, "last_problem", p);
	}
	r = status_publish(a->o->status_file, st);
	json_object_put(st);
	return r;
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
