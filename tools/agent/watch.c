// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "jsonutil.h"
#include "log.h"
#include "watch.h"

/* Messages parsed but not yet handed out. */
#define QUEUE_MAX	4096

struct watch {
	struct etcd *e;
	CURLM *multi;
	CURL *h;			/* NULL when no stream is open */
	struct curl_slist *headers;
	char *prefix, *prefix_end;
	char *request;			/* the create request's text */
	json_tokener *tok;
	enum watch_state state;
	bool created;
	bool broken;			/* the reply could not be parsed */
	int64_t next_rev;
	/* Events parsed from the stream, in order. */
	struct watch_event *q;
	size_t q_head, q_len, q_cap;
	char err[512];
};

struct watch *watch_new(struct etcd *e, CURLM *multi, const char *prefix)
{
	struct watch *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->e = e;
	w->multi = multi;
	w->prefix = strdup(prefix);
	w->prefix_end = etcd_prefix_end(prefix);
	w->tok = json_tokener_new();
	if (!w->prefix || !w->prefix_end || !w->tok) {
		watch_free(w);
		return NULL;
	}
	return w;
}

static void queue_clear(struct watch *w)
{
	for (size_t i = w->q_head; i < w->q_len; i++)
		etcd_kv_free(&w->q[i].kv);
	w->q_head = w->q_len = 0;
}

void watch_stop(struct watch *w)
{
	if (w->h) {
		curl_multi_remove_handle(w->multi, w->h);
		curl_easy_cleanup(w->h);
		w->h = NULL;
	}
	curl_slist_free_all(w->headers);
	w->headers = NULL;
	free(w->request);
	w->request = NULL;
	json_tokener_reset(w->tok);
	w->state = WATCH_IDLE;
	w->created = false;
}

void watch_free(struct watch *w)
{
	if (!w)
		return;
	watch_stop(w);
	queue_clear(w);
	free(w->q);
	free(w->prefix);
	free(w->prefix_end);
	if (w->tok)
		json_tokener_free(w->tok);
	free(w);
}

static bool queue_push(struct watch *w, bool deleted, struct etcd_kv *kv)
{
	if (w->q_head == w->q_len)
		w->q_head = w->q_len = 0;
	if (w->q_len == w->q_cap) {
		size_t cap = w->q_cap ? 2 * w->q_cap : 64;
		struct watch_event *q = realloc(w->q, cap * sizeof(*q));

		if (!q)
			return false;
		w->q = q;
		w->q_cap = cap;
	}
	w->q[w->q_len].deleted = deleted;
	w->q[w->q_len].kv = *kv;
	w->q_len++;
	return true;
}

/* One message of the stream: {"result": WatchResponse} or {"error": ...}. */
static void handle_message(struct watch *w, json_object *msg)
{
	json_object *res = json_get(msg, "result"), *events;
	const char *text = NULL;
	int64_t compact = 0;
	bool canceled = false;

	if (!res) {
		json_object *e = json_get(msg, "error");

		if (e)
			json_get_str(e, "message", &text);
		snprintf(w->err, sizeof(w->err), "watch: %s", text ? text : "unexpected message");
		w->broken = true;
		return;
	}
	if (json_int64_field(res, "compact_revision", &compact) && compact > 0) {
		snprintf(w->err, sizeof(w->err),
			 "watch: revision %lld was compacted (oldest kept: %lld)",
			 (long long)w->next_rev, (long long)compact);
		w->state = WATCH_COMPACTED;
		return;
	}
	json_get_bool(res, "canceled", &canceled);
	if (canceled) {
		json_get_str(res, "cancel_reason", &text);
		snprintf(w->err, sizeof(w->err), "watch canceled: %s", text ? text : "no reason given");
		w->broken = true;
		return;
	}
	if (json_get_bool(res, "created", &w->created) > 0 && w->created)
		log_debug(1, "etcd: watching %s from revision %lld on %s", w->prefix,
			  (long long)w->next_rev, etcd_endpoint(w->e));
	events = json_get(res, "events");
	for (size_t i = 0; events && i < json_object_array_length(events); i++) {
		json_object *ev = json_object_array_get_idx(events, i);
		const char *type = NULL;
		struct etcd_kv kv;

		if (!etcd_kv_decode(json_get(ev, "kv"), &kv)) {
			log_warn("etcd: watch event with a key that cannot be decoded: skipped");
			continue;
		}
		json_get_str(ev, "type", &type);
		if (kv.mod_revision >= w->next_rev)
			w->next_rev = kv.mod_revision + 1;
		/* proto3 JSON leaves out the zero enum value: no type is PUT. */
		if (!queue_push(w, type && !strcmp(type, "DELETE"), &kv)) {
			etcd_kv_free(&kv);
			w->broken = true;
			snprintf(w->err, sizeof(w->err), "watch: out of memory");
			return;
		}
	}
	/*
	 * next_rev moves with events only: the header of the "created" reply
	 * carries the store's revision, not the last one delivered.
	 */
}

static size_t receive(char *p, size_t size, size_t n, void *arg)
{
	struct watch *w = arg;
	size_t len = size * n, off = 0;

	while (off < len && !w->broken && w->state == WATCH_RUNNING) {
		json_object *msg;
		enum json_tokener_error jerr;
		size_t used;

		/* Messages are separated by new lines; the tokener skips them. */
		msg = json_tokener_parse_ex(w->tok, p + off, (int)(len - off));
		jerr = json_tokener_get_error(w->tok);
		used = json_tokener_get_parse_end(w->tok);
		if (jerr == json_tokener_continue)
			break;		/* the rest comes in the next chunk */
		if (jerr != json_tokener_success || !msg) {
			snprintf(w->err, sizeof(w->err), "watch: reply is not JSON: %s",
				 json_tokener_error_desc(jerr));
			w->broken = true;
			json_object_put(msg);
			break;
		}
		handle_message(w, msg);
		json_object_put(msg);
		json_tokener_reset(w->tok);
		off += used ? used : len - off;
	}
	/* Anything left is white space; a broken stream is ended here. */
	return w->broken ? 0 : len;
}

int watch_start(struct watch *w, int64_t rev)
{
	json_object *req = json_object_new_object(), *cr = json_object_new_object();
	char *k = etcd_b64(w->prefix, strlen(w->prefix));
	char *end = etcd_b64(w->prefix_end, strlen(w->prefix_end));
	char revs[24];

	watch_stop(w);
	queue_clear(w);
	w->next_rev = rev;
	w->broken = false;
	w->err[0] = '\0';
	snprintf(revs, sizeof(revs), "%lld", (long long)rev);
	json_object_object_add(cr, "key", json_object_new_string(k ? k : ""));
	json_object_object_add(cr, "range_end", json_object_new_string(end ? end : ""));
	json_object_object_add(cr, "start_revision", json_object_new_string(revs));
	json_object_object_add(req, "create_request", cr);
	w->request = strdup(json_compact(req));
	json_object_put(req);
	free(k);
	free(end);

	w->h = curl_easy_init();
	if (!w->h || !w->request || etcd_setup_handle(w->e, w->h, "/v3/watch", &w->headers))
		goto fail;
	/*
	 * clientv3's WithRequireLeader, through the gateway: a member cut off
	 * from its cluster ends the stream instead of keeping it silent.
	 */
	w->headers = curl_slist_append(w->headers, "Grpc-Metadata-hasleader: true");
	if (!w->headers)
		goto fail;
	curl_easy_setopt(w->h, CURLOPT_HTTPHEADER, w->headers);
	curl_easy_setopt(w->h, CURLOPT_POSTFIELDS, w->request);
	curl_easy_setopt(w->h, CURLOPT_WRITEFUNCTION, receive);
	curl_easy_setopt(w->h, CURLOPT_WRITEDATA, w);
	if (curl_multi_add_handle(w->multi, w->h) != CURLM_OK)
		goto fail;
	w->state = WATCH_RUNNING;
	return 0;
fail:
	snprintf(w->err, sizeof(w->err), "watch: out of memory");
	watch_stop(w);
	return -1;
}

bool watch_next_event(struct watch *w, struct watch_event *ev)
{
	if (w->q_head == w->q_len)
		return false;
	*ev = w->q[w->q_head++];
	return true;
}

enum watch_state watch_state(struct watch *w)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(w->multi, &left))) {
		long status = 0;

		if (m->msg != CURLMSG_DONE || m->easy_handle != w->h)
			continue;
		curl_easy_getinfo(w->h, CURLINFO_RESPONSE_CODE, &status);
		if (w->state == WATCH_RUNNING) {
			if (!w->err[0])
				snprintf(w->err, sizeof(w->err), "watch on %s ended: %s (HTTP %ld)",
					 etcd_endpoint(w->e),
					 curl_easy_strerror(m->data.result), status);
			w->state = WATCH_ENDED;
		}
	}
	if (w->state == WATCH_RUNNING && w->broken)
		w->state = WATCH_ENDED;
	return w->state;
}

int64_t watch_next_rev(const struct watch *w)
{
	return w->next_rev;
}

bool watch_created(const struct watch *w)
{
	return w->created;
}

const char *watch_error(const struct watch *w)
{
	return w->err;
}
