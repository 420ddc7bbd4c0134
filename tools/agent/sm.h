/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The subnet manager: where the network config and the leases live.
 * flanneld has two, etcd and the Kubernetes API; ovl-agent builds the
 * etcd one (sm_etcd.c) behind this interface, so that another can be
 * added without touching the agent.  The agent's loop waits on the
 * manager's curl multi handle (both would speak HTTP).
 */
#ifndef OVL_AGENT_SM_H
#define OVL_AGENT_SM_H

#include <stdbool.h>
#include <stdint.h>
#include <curl/curl.h>

#include "config.h"
#include "lease.h"

enum sm_status {
	SM_OK = 0,
	SM_UNAVAILABLE = -1,	/* the store did not answer: try again later */
	SM_NOT_FOUND = -2,	/* no network config yet */
	SM_INVALID = -3,	/* a config flannel would refuse */
	SM_FAILED = -4,		/* the store refused the request */
	SM_NO_SUBNET = -5,	/* every subnet is taken */
	SM_LOST = -6,		/* our lease is gone (expired, or taken): acquire again */
};

/* A lease record as stored: its name and value, not yet judged. */
struct sm_record {
	const char *name;	/* "10.244.3.0-24": the key below <prefix>/subnets/ */
	const char *value;
	size_t value_len;
	int64_t lease_id, create_revision, mod_revision;
	bool deleted;		/* a watch event saying it is gone */
};

/* What the node asks for; acquire fills in the rest of *ours. */
struct sm_request {
	const struct netconfig *cfg;
	struct lease *ours;		/* attributes in; subnet, lease id out */
	const struct ipnet *prior;	/* from the subnet file; NULL if none */
	const struct ipnet *prior6;
};

enum sm_watch {
	SM_WATCH_CONNECTING,	/* asked for, not yet confirmed by the store */
	SM_WATCH_LIVE,
	SM_WATCH_BROKEN,	/* reopen it: it resumes where it stopped */
	SM_WATCH_RELIST,	/* what it missed is gone: list again */
};

struct subnet_manager;

struct sm_ops {
	int (*get_config)(struct subnet_manager *sm, struct netconfig *cfg,
			  char *err, size_t errlen);
	/* Every lease, and where a watch must start to miss nothing. */
	int (*list)(struct subnet_manager *sm,
		    void (*cb)(const struct sm_record *r, void *arg), void *arg);
	int (*acquire)(struct subnet_manager *sm, const struct sm_request *req);
	/* Push *ours again with a fresh TTL (renewal, or changed attributes). */
	int (*renew)(struct subnet_manager *sm, const struct netconfig *cfg,
		     struct lease *ours);
	/* Watch from the last revision seen (by a list or the watch). */
	int (*watch_start)(struct subnet_manager *sm);
	/* After the loop woke: the next change, if any. */
	bool (*watch_next)(struct subnet_manager *sm, struct sm_record *r);
	void (*watch_record_done)(struct subnet_manager *sm, struct sm_record *r);
	enum sm_watch (*watch_state)(struct subnet_manager *sm);
	const char *(*error)(struct subnet_manager *sm);
	const char *(*where)(struct subnet_manager *sm);	/* endpoint in use */
	void (*free)(struct subnet_manager *sm);
};

struct subnet_manager {
	const struct sm_ops *ops;
	CURLM *multi;		/* the loop waits on it */
};

struct options;
struct subnet_manager *sm_etcd_new(const struct options *o);

#endif
