/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An etcd v3 client over etcd's gRPC-JSON gateway (/v3/...), with libcurl
 * and json-c: keys and values travel base64-encoded, int64 fields as
 * decimal strings.  Requests go to the endpoint that answered last and
 * fail over to the next when one does not answer.  Calls block, bounded
 * by short timeouts; the watch stream lives in watch.c.
 */
#ifndef OVL_AGENT_ETCD_H
#define OVL_AGENT_ETCD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <curl/curl.h>
#include <json-c/json.h>

#include "flags.h"

enum {
	ETCD_OK = 0,
	ETCD_UNAVAILABLE = -1,	/* no endpoint answered */
	ETCD_FAILED = -2,	/* an endpoint answered with an error */
};

struct etcd_kv {
	char *key, *value;	/* NUL-terminated copies */
	size_t key_len, value_len;
	int64_t create_revision, mod_revision, version, lease;
};

struct etcd;

struct etcd *etcd_new(const struct options *o);
void etcd_free(struct etcd *e);
/* The reason of the last failure, and the endpoint in use. */
const char *etcd_error(const struct etcd *e);
const char *etcd_endpoint(const struct etcd *e);
/* Prepare an easy handle for a request to the current endpoint (watch.c). */
int etcd_setup_handle(struct etcd *e, CURL *h, const char *api,
		      struct curl_slist **headers);
/* After a watch stream to the current endpoint failed: try the next one. */
void etcd_next_endpoint(struct etcd *e);

/* One request: POST api with req; *resp is the parsed reply (put it). */
int etcd_call(struct etcd *e, const char *api, json_object *req, json_object **resp);

int etcd_get(struct etcd *e, const char *key, struct etcd_kv *kv, bool *found);
/* Every key under prefix; cb sees each; *rev is the store's revision. */
int etcd_list(struct etcd *e, const char *prefix,
	      void (*cb)(const struct etcd_kv *kv, void *arg), void *arg,
	      int64_t *rev);
int etcd_lease_grant(struct etcd *e, int64_t ttl, int64_t *id);
/* Seconds the lease has left; -1 if it has expired or never existed. */
int etcd_lease_ttl(struct etcd *e, int64_t id, int64_t *ttl);
/* Best effort: keys bound to it are deleted with it. */
void etcd_lease_revoke(struct etcd *e, int64_t id);
/*
 * Put key (bound to lease; 0: none) only if its target ("VERSION" or
 * "LEASE") equals v; *done says whether it was written.  flannel creates
 * leases with VERSION 0 (the key does not exist); a renewal asks for the
 * key to be still bound to the lease it had, so that a lease that
 * expired meanwhile, and was taken by another node, is not overwritten.
 */
int etcd_put_if(struct etcd *e, const char *key, const char *value,
		int64_t lease, const char *target, int64_t v, bool *done);
int etcd_delete(struct etcd *e, const char *key);
void etcd_kv_free(struct etcd_kv *kv);
/* Decode one key-value of a range or watch reply into kv. */
bool etcd_kv_decode(json_object *o, struct etcd_kv *kv);

/* base64 as the gateway speaks it; the results are malloc'd. */
char *etcd_b64(const char *data, size_t len);
char *etcd_unb64(const char *text, size_t *len);
/* The end of the range of keys starting with prefix: the prefix plus one. */
char *etcd_prefix_end(const char *prefix);

#endif
