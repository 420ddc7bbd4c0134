/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The etcd watch stream on a key prefix: POST /v3/watch with a create
 * request, then a never-ending reply of JSON messages, one per batch of
 * events.  It runs on a curl multi handle, so that the agent's one loop
 * waits for it, for netlink and for signals at once.  Messages are queued
 * by curl's write callback and handed out by watch_poll() afterwards:
 * nothing is done to etcd from inside a curl callback.
 */
#ifndef OVL_AGENT_WATCH_H
#define OVL_AGENT_WATCH_H

#include <stdbool.h>
#include <stdint.h>
#include <curl/curl.h>

#include "etcd.h"

enum watch_state {
	WATCH_IDLE,		/* not started, or stopped */
	WATCH_RUNNING,
	WATCH_ENDED,		/* stream broke: restart from next_rev */
	WATCH_COMPACTED,	/* next_rev was compacted away: re-list */
};

struct watch_event {
	bool deleted;		/* DELETE; else PUT */
	struct etcd_kv kv;	/* a DELETE has no value */
};

struct watch;

struct watch *watch_new(struct etcd *e, CURLM *multi, const char *prefix);
void watch_free(struct watch *w);
/* Open the stream on the current endpoint, from revision rev on. */
int watch_start(struct watch *w, int64_t rev);
void watch_stop(struct watch *w);
/*
 * After curl_multi_perform(): the next event received, if any (true; free
 * it with etcd_kv_free), and the stream's state.  next_rev is the first
 * revision not yet seen.
 */
bool watch_next_event(struct watch *w, struct watch_event *ev);
enum watch_state watch_state(struct watch *w);
int64_t watch_next_rev(const struct watch *w);
/* Has the stream delivered its "created" message (it is live)? */
bool watch_created(const struct watch *w);
const char *watch_error(const struct watch *w);

#endif
