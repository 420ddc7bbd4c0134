// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "etcd.h"
#include "jsonutil.h"
#include "log.h"

/*
 * Bounds of one request: a dead member costs at most this much.  The
 * connect bound covers the TLS handshake too, slow on a slow machine.
 */
#define CONNECT_TIMEOUT_MS	3000
#define REQUEST_TIMEOUT_MS	8000

struct etcd {
	const struct options *o;
	int cur;			/* endpoint that answered last */
	CURL *h;			/* reused: keeps the connection */
	char *token;			/* auth token, when a user is set */
	struct { char *data; size_t len; } body;
	char curl_err[CURL_ERROR_SIZE];
	char err[512];
};

char *etcd_b64(const char *data, size_t len)
{
	char *out = malloc(4 * ((len + 2) / 3) + 1);

	if (out)
		EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)data, (int)len);
	return out;
}

char *etcd_unb64(const char *text, size_t *len)
{
	size_t n = strlen(text), pad = 0;
	char *out;
	int r;

	if (n % 4)
		return NULL;
	out = malloc(n / 4 * 3 + 1);
	if (!out)
		return NULL;
	r = EVP_DecodeBlock((unsigned char *)out, (const unsigned char *)text, (int)n);
	if (r < 0) {
		free(out);
		return NULL;
	}
	/* EVP_DecodeBlock counts the padding as zero bytes. */
	while (pad < 2 && n > pad && text[n - 1 - pad] == '=')
		pad++;
	*len = (size_t)r - pad;
	out[*len] = '\0';
	return out;
}

char *etcd_prefix_end(const char *prefix)
{
	char *end = strdup(prefix);
	size_t n = strlen(end);

	/* The prefixes used here are ASCII, so the last byte never overflows. */
	if (end && n)
		end[n - 1]++;
	return end;
}

struct etcd *etcd_new(const struct options *o)
{
	struct etcd *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->o = o;
	e->h = curl_easy_init();
	if (!e->h) {
		free(e);
		return NULL;
	}
	return e;
}

void etcd_free(struct etcd *e)
{
	if (!e)
		return;
	curl_easy_cleanup(e->h);
	free(e->token);
	free(e->body.data);
	free(e);
}

const char *etcd_error(const struct etcd *e)
{
	return e->err;
}

const char *etcd_endpoint(const struct etcd *e)
{
	return e->o->etcd_endpoints.v[e->cur];
}

void etcd_next_endpoint(struct etcd *e)
{
	e->cur = (e->cur + 1) % e->o->etcd_endpoints.n;
}

static size_t collect(char *p, size_t size, size_t n, void *arg)
{
	struct etcd *e = arg;
	char *grown = realloc(e->body.data, e->body.len + size * n + 1);

	if (!grown)
		return 0;
	e->body.data = grown;
	memcpy(e->body.data + e->body.len, p, size * n);
	e->body.len += size * n;
	e->body.data[e->body.len] = '\0';
	return size * n;
}

int etcd_setup_handle(struct etcd *e, CURL *h, const char *api,
		      struct curl_slist **headers)
{
	char url[512], auth[600];

	snprintf(url, sizeof(url), "%s%s", etcd_endpoint(e), api);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)CONNECT_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPIDLE, 5L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPINTVL, 5L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	if (e->o->etcd_cafile)
		curl_easy_setopt(h, CURLOPT_CAINFO, e->o->etcd_cafile);
	if (e->o->etcd_certfile) {
		curl_easy_setopt(h, CURLOPT_SSLCERT, e->o->etcd_certfile);
		curl_easy_setopt(h, CURLOPT_SSLKEY, e->o->etcd_keyfile);
	}
	*headers = curl_slist_append(NULL, "Content-Type: application/json");
	if (e->token) {
		snprintf(auth, sizeof(auth), "Authorization: %s", e->token);
		*headers = curl_slist_append(*headers, auth);
	}
	if (!*headers)
		return -1;
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, *headers);
	return 0;
}

enum attempt { ANSWERED, NO_ANSWER, AUTH_EXPIRED };

/*
 * One POST to the current endpoint.  ANSWERED with *resp set on success;
 * ANSWERED with e->err set if etcd refused the request; NO_ANSWER if the
 * endpoint could not be reached or is not serving (gRPC Unavailable).
 */
static enum attempt post(struct etcd *e, const char *api, const char *text,
			 json_object **resp)
{
	struct curl_slist *headers = NULL;
	const char *why, *msg = NULL;
	json_object *o;
	long status = 0;
	int64_t code = 0;
	CURLcode rc;

	curl_easy_reset(e->h);
	free(e->body.data);
	e->body.data = NULL;
	e->body.len = 0;
	if (etcd_setup_handle(e, e->h, api, &headers)) {
		snprintf(e->err, sizeof(e->err), "out of memory");
		return ANSWERED;
	}
	curl_easy_setopt(e->h, CURLOPT_TIMEOUT_MS, (long)REQUEST_TIMEOUT_MS);
	curl_easy_setopt(e->h, CURLOPT_POSTFIELDS, text);
	curl_easy_setopt(e->h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(e->h, CURLOPT_WRITEDATA, e);
	curl_easy_setopt(e->h, CURLOPT_ERRORBUFFER, e->curl_err);
	e->curl_err[0] = '\0';
	rc = curl_easy_perform(e->h);
	curl_slist_free_all(headers);
	if (rc != CURLE_OK) {
		snprintf(e->err, sizeof(e->err), "%s: %s", etcd_endpoint(e),
			 e->curl_err[0] ? e->curl_err : curl_easy_strerror(rc));
		return NO_ANSWER;
	}
	curl_easy_getinfo(e->h, CURLINFO_RESPONSE_CODE, &status);
	o = json_parse_text(e->body.data ? e->body.data : "", e->body.len, &why);
	if (status == 200 && o && json_object_is_type(o, json_type_object)) {
		*resp = o;
		return ANSWERED;
	}
	if (o && json_object_is_type(o, json_type_object)) {
		json_get_str(o, "message", &msg);
		json_get_int(o, "code", &code);
	}
	if (!msg && !o && e->body.data)
		/* Not the gateway's JSON: etcd's own plain-text refusal, say. */
		e->body.data[strcspn(e->body.data, "\r\n")] = '\0';
	snprintf(e->err, sizeof(e->err), "%s: HTTP %ld: %.200s", etcd_endpoint(e), status,
		 msg ? msg : o ? "unexpected reply" :
		 e->body.data && e->body.data[0] ? e->body.data : "reply is not JSON");
	json_object_put(o);
	/* gRPC codes: 14 Unavailable (no leader, stopping), 16 Unauthenticated. */
	if (code == 14 || status == 503 || status == 502)
		return NO_ANSWER;
	if (code == 16 && e->o->etcd_username)
		return AUTH_EXPIRED;
	return ANSWERED;
}

/* Get a token for --etcd-username/--etcd-password from the current endpoint. */
static enum attempt authenticate(struct etcd *e)
{
	json_object *req = json_object_new_object(), *resp = NULL;
	const char *token = NULL;
	enum attempt r;

	free(e->token);
	e->token = NULL;
	json_object_object_add(req, "name", json_object_new_string(e->o->etcd_username));
	json_object_object_add(req, "password",
			       json_object_new_string(e->o->etcd_password ? e->o->etcd_password : ""));
	r = post(e, "/v3/auth/authenticate", json_compact(req), &resp);
	json_object_put(req);
	if (r == ANSWERED && resp) {
		if (json_get_str(resp, "token", &token) > 0)
			e->token = strdup(token);
		else
			snprintf(e->err, sizeof(e->err), "%s: authentication gave no token",
				 etcd_endpoint(e));
	}
	json_object_put(resp);
	return r == ANSWERED && !e->token ? AUTH_EXPIRED : r;
}

int etcd_call(struct etcd *e, const char *api, json_object *req, json_object **resp)
{
	const char *text = json_compact(req);
	int n = e->o->etcd_endpoints.n;

	*resp = NULL;
	for (int tried = 0; tried < n; tried++) {
		enum attempt r = NO_ANSWER;

		if (e->o->etcd_username && !e->token)
			r = authenticate(e);
		if (!e->o->etcd_username || e->token)
			r = post(e, api, text, resp);
		if (r == AUTH_EXPIRED && authenticate(e) == ANSWERED && e->token)
			r = post(e, api, text, resp);
		if (r == ANSWERED)
			return *resp ? ETCD_OK : ETCD_FAILED;
		if (r == AUTH_EXPIRED)
			return ETCD_FAILED;
		log_debug(1, "etcd: %s", e->err);
		free(e->token);
		e->token = NULL;	/* tokens are per member in etcd 3.4 */
		etcd_next_endpoint(e);
	}
	return ETCD_UNAVAILABLE;
}

void etcd_kv_free(struct etcd_kv *kv)
{
	free(kv->key);
	free(kv->value);
	memset(kv, 0, sizeof(*kv));
}

bool etcd_kv_decode(json_object *o, struct etcd_kv *kv)
{
	const char *k = NULL, *v = NULL;

	memset(kv, 0, sizeof(*kv));
	if (json_get_str(o, "key", &k) <= 0)
		return false;
	kv->key = etcd_unb64(k, &kv->key_len);
	if (json_get_str(o, "value", &v) < 0)
		v = NULL;
	kv->value = etcd_unb64(v ? v : "", &kv->value_len);
	json_int64_field(o, "create_revision", &kv->create_revision);
	json_int64_field(o, "mod_revision", &kv->mod_revision);
	json_int64_field(o, "version", &kv->version);
	json_int64_field(o, "lease", &kv->lease);
	if (!kv->key || !kv->value) {
		etcd_kv_free(kv);
		return false;
	}
	return true;
}

static void add_b64(json_object *o, const char *field, const char *s)
{
	char *b = etcd_b64(s, strlen(s));

	json_object_object_add(o, field, json_object_new_string(b ? b : ""));
	free(b);
}

static void add_int64(json_object *o, const char *field, int64_t v)
{
	char s[24];

	snprintf(s, sizeof(s), "%lld", (long long)v);
	json_object_object_add(o, field, json_object_new_string(s));
}

static int range(struct etcd *e, const char *key, const char *end,
		 void (*cb)(const struct etcd_kv *kv, void *arg), void *arg,
		 int64_t *rev)
{
	json_object *req = json_object_new_object(), *resp, *kvs, *hdr;
	int r;

	add_b64(req, "key", key);
	if (end)
		add_b64(req, "range_end", end);
	r = etcd_call(e, "/v3/kv/range", req, &resp);
	json_object_put(req);
	if (r)
		return r;
	if (rev && (!json_object_object_get_ex(resp, "header", &hdr) ||
		    !json_int64_field(hdr, "revision", rev))) {
		snprintf(e->err, sizeof(e->err), "%s: range reply without a revision",
			 etcd_endpoint(e));
		json_object_put(resp);
		return ETCD_FAILED;
	}
	if (json_object_object_get_ex(resp, "kvs", &kvs) &&
	    json_object_is_type(kvs, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(kvs); i++) {
			struct etcd_kv kv;

			if (!etcd_kv_decode(json_object_array_get_idx(kvs, i), &kv)) {
				log_warn("etcd: a key in the reply could not be decoded: skipped");
				continue;
			}
			cb(&kv, arg);
			etcd_kv_free(&kv);
		}
	}
	json_object_put(resp);
	return ETCD_OK;
}

struct get_ctx {
	struct etcd_kv *kv;
	bool *found;
};

static void take_one(const struct etcd_kv *kv, void *arg)
{
	struct get_ctx *g = arg;

	if (*g->found)
		return;
	*g->found = true;
	*g->kv = *kv;
	g->kv->key = strdup(kv->key);
	g->kv->value = malloc(kv->value_len + 1);
	if (g->kv->value) {
		memcpy(g->kv->value, kv->value, kv->value_len + 1);
	}
	if (!g->kv->key || !g->kv->value) {
		etcd_kv_free(g->kv);
		*g->found = false;
	}
}

int etcd_get(struct etcd *e, const char *key, struct etcd_kv *kv, bool *found)
{
	struct get_ctx g = { kv, found };

	*found = false;
	memset(kv, 0, sizeof(*kv));
	return range(e, key, NULL, take_one, &g, NULL);
}

int etcd_list(struct etcd *e, const char *prefix,
	      void (*cb)(const struct etcd_kv *kv, void *arg), void *arg,
	      int64_t *rev)
{
	char *end = etcd_prefix_end(prefix);
	int r;

	if (!end)
		return ETCD_FAILED;
	r = range(e, prefix, end, cb, arg, rev);
	free(end);
	return r;
}

int etcd_lease_grant(struct etcd *e, int64_t ttl, int64_t *id)
{
	json_object *req = json_object_new_object(), *resp;
	int r;

	add_int64(req, "TTL", ttl);
	r = etcd_call(e, "/v3/lease/grant", req, &resp);
	json_object_put(req);
	if (r)
		return r;
	if (!json_int64_field(resp, "ID", id) || !*id) {
		const char *msg = NULL;

		json_get_str(resp, "error", &msg);
		snprintf(e->err, sizeof(e->err), "%s: lease grant: %s", etcd_endpoint(e),
			 msg ? msg : "no lease ID in the reply");
		r = ETCD_FAILED;
	}
	json_object_put(resp);
	return r;
}

int etcd_lease_ttl(struct etcd *e, int64_t id, int64_t *ttl)
{
	json_object *req = json_object_new_object(), *resp;
	int r;

	add_int64(req, "ID", id);
	r = etcd_call(e, "/v3/lease/timetolive", req, &resp);
	json_object_put(req);
	if (r)
		return r;
	if (!json_int64_field(resp, "TTL", ttl))
		*ttl = -1;
	json_object_put(resp);
	return ETCD_OK;
}

void etcd_lease_revoke(struct etcd *e, int64_t id)
{
	json_object *req = json_object_new_object(), *resp;

	add_int64(req, "ID", id);
	if (etcd_call(e, "/v3/lease/revoke", req, &resp))
		log_debug(1, "etcd: revoking lease %llx: %s", (unsigned long long)id, e->err);
	json_object_put(req);
	json_object_put(resp);
}

static json_object *put_request(const char *key, const char *value, int64_t lease)
{
	json_object *p = json_object_new_object();

	add_b64(p, "key", key);
	add_b64(p, "value", value);
	if (lease)
		add_int64(p, "lease", lease);
	return p;
}

int etcd_put_if(struct etcd *e, const char *key, const char *value,
		int64_t lease, const char *target, int64_t v, bool *done)
{
	json_object *req = json_object_new_object(), *cmp = json_object_new_object();
	json_object *cmps = json_object_new_array(), *ops = json_object_new_array();
	json_object *op = json_object_new_object(), *resp;
	bool ok = false;
	int r;

	add_b64(cmp, "key", key);
	json_object_object_add(cmp, "result", json_object_new_string("EQUAL"));
	json_object_object_add(cmp, "target", json_object_new_string(target));
	add_int64(cmp, !strcmp(target, "LEASE") ? "lease" : "version", v);
	json_object_array_add(cmps, cmp);
	json_object_object_add(op, "request_put", put_request(key, value, lease));
	json_object_array_add(ops, op);
	json_object_object_add(req, "compare", cmps);
	json_object_object_add(req, "success", ops);
	r = etcd_call(e, "/v3/kv/txn", req, &resp);
	json_object_put(req);
	if (r)
		return r;
	/* proto3 JSON leaves false out: no "succeeded" means it failed. */
	json_get_bool(resp, "succeeded", &ok);
	*done = ok;
	json_object_put(resp);
	return ETCD_OK;
}

int etcd_delete(struct etcd *e, const char *key)
{
	json_object *req = json_object_new_object(), *resp;
	int r;

	add_b64(req, "key", key);
	r = etcd_call(e, "/v3/kv/deleterange", req, &resp);
	json_object_put(req);
	json_object_put(resp);
	return r;
}
