// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <json-c/json.h>

#include "files.h"

static int mkdirs(const char *path)
{
	char dir[PATH_MAX];
	char *slash;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

int write_atomic(const char *path, const char *text, size_t len)
{
	char tmp[PATH_MAX];
	ssize_t n;
	int fd, r;

	r = mkdirs(path);
	if (r)
		return r;
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	if (n != (ssize_t)len || fchmod(fd, 0644) || fsync(fd)) {
		r = n >= 0 && n != (ssize_t)len ? -EIO : -errno;
		close(fd);
		unlink(tmp);
		return r;
	}
	if (close(fd) || rename(tmp, path)) {
		r = -errno;
		unlink(tmp);
		return r;
	}
	return 0;
}

/* The first usable address of a subnet: its network address plus one. */
static const char *gateway_cidr(const struct ipnet *sn, char *buf)
{
	struct ipnet g = *sn;
	char a[ADDR_STRLEN];

	net_host(sn, 1, &g.ip);
	snprintf(buf, NET_STRLEN, "%s/%d", addr_fmt(&g.ip, a), g.plen);
	return buf;
}

int subnet_env_write(const char *path, const struct node_facts *f)
{
	char text[1024], a[NET_STRLEN], b[NET_STRLEN];
	size_t n = 0;

	/* flannel's WriteSubnetFile, key for key and in its order. */
	if (f->subnet) {
		n += snprintf(text + n, sizeof(text) - n, "FLANNEL_NETWORK=%s\n",
			      net_fmt(&f->cfg->v4.network, a));
		n += snprintf(text + n, sizeof(text) - n, "FLANNEL_SUBNET=%s\n",
			      gateway_cidr(f->subnet, b));
	}
	if (f->subnet6) {
		n += snprintf(text + n, sizeof(text) - n, "FLANNEL_IPV6_NETWORK=%s\n",
			      net_fmt(&f->cfg->v6.network, a));
		n += snprintf(text + n, sizeof(text) - n, "FLANNEL_IPV6_SUBNET=%s\n",
			      gateway_cidr(f->subnet6, b));
	}
	n += snprintf(text + n, sizeof(text) - n, "FLANNEL_MTU=%u\n", f->mtu);
	n += snprintf(text + n, sizeof(text) - n, "FLANNEL_IPMASQ=%s\n",
		      f->ip_masq ? "true" : "false");
	return write_atomic(path, text, n);
}

void subnet_env_read(const char *path, struct ipnet *sn, bool *have,
		     struct ipnet *sn6, bool *have6)
{
	FILE *fp = fopen(path, "r");
	char line[512];

	*have = *have6 = false;
	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp)) {
		char *v = strchr(line, '=');

		if (!v)
			continue;
		*v++ = '\0';
		v[strcspn(v, "\r\n")] = '\0';
		/* godotenv, which flannel reads it with, allows quotes. */
		if ((v[0] == '"' || v[0] == '\'') && strlen(v) >= 2 && v[strlen(v) - 1] == v[0]) {
			v[strlen(v) - 1] = '\0';
			v++;
		}
		if (!strcmp(line, "FLANNEL_SUBNET"))
			*have = net_parse(v, sn) && sn->ip.family == AF_INET;
		else if (!strcmp(line, "FLANNEL_IPV6_SUBNET"))
			*have6 = net_parse(v, sn6) && sn6->ip.family == AF_INET6;
	}
	fclose(fp);
}

static json_object *range_of(const struct ipnet *sn)
{
	json_object *set = json_object_new_array(), *r = json_object_new_object();
	char a[NET_STRLEN];

	json_object_object_add(r, "subnet", json_object_new_string(net_fmt(sn, a)));
	json_object_array_add(set, r);
	return set;
}

static json_object *route_to(const struct ipnet *net)
{
	json_object *r = json_object_new_object();
	char a[NET_STRLEN];

	json_object_object_add(r, "dst", json_object_new_string(net_fmt(net, a)));
	return r;
}

int cni_conf_write(const char *path, const struct node_facts *f)
{
	json_object *conf = json_object_new_object(), *plugins = json_object_new_array();
	json_object *bridge = json_object_new_object(), *ipam = json_object_new_object();
	json_object *ranges = json_object_new_array(), *routes = json_object_new_array();
	json_object *portmap = json_object_new_object(), *caps = json_object_new_object();
	const char *text;
	int r;

	/*
	 * What flannel's CNI plugin hands its delegate, from subnet.env, under
	 * flannel's network name: host-local keeps its leases per network
	 * name, so pods of a node moved from flanneld keep their addresses.
	 */
	json_object_object_add(conf, "name", json_object_new_string("cbr0"));
	json_object_object_add(conf, "cniVersion", json_object_new_string("0.3.1"));
	json_object_object_add(bridge, "type", json_object_new_string("bridge"));
	json_object_object_add(bridge, "bridge", json_object_new_string("cni0"));
	json_object_object_add(bridge, "isGateway", json_object_new_boolean(1));
	json_object_object_add(bridge, "isDefaultGateway", json_object_new_boolean(1));
	json_object_object_add(bridge, "hairpinMode", json_object_new_boolean(1));
	json_object_object_add(bridge, "ipMasq", json_object_new_boolean(!f->ip_masq));
	json_object_object_add(bridge, "mtu", json_object_new_int((int)f->mtu));
	json_object_object_add(ipam, "type", json_object_new_string("host-local"));
	if (f->subnet) {
		json_object_array_add(ranges, range_of(f->subnet));
		json_object_array_add(routes, route_to(&f->cfg->v4.network));
	}
	if (f->subnet6) {
		json_object_array_add(ranges, range_of(f->subnet6));
		json_object_array_add(routes, route_to(&f->cfg->v6.network));
	}
	json_object_object_add(ipam, "ranges", ranges);
	json_object_object_add(ipam, "routes", routes);
	json_object_object_add(bridge, "ipam", ipam);
	json_object_array_add(plugins, bridge);
	json_object_object_add(portmap, "type", json_object_new_string("portmap"));
	json_object_object_add(caps, "portMappings", json_object_new_boolean(1));
	json_object_object_add(portmap, "capabilities", caps);
	json_object_array_add(plugins, portmap);
	json_object_object_add(conf, "plugins", plugins);

	text = json_object_to_json_string_ext(conf, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	r = write_atomic(path, text, strlen(text));
	json_object_put(conf);
	return r;
}
