// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink layer of ovlctl: one rtnetlink socket, requests that wait
 * for their ack, dumps, and the kernel's extended ack message on error.
 * libmnl does the framing; this file only adds what every command needs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "ovlctl.h"

static struct mnl_socket *nl;
static unsigned int nl_portid;
/* Big enough for one link dump message with stats and xstats. */
static char sendbuf[8192];
static char recvbuf[65536];
/* The extack message of the last NLMSG_ERROR, empty if none was sent. */
static char ext_msg[256];

int nl_setns(const char *name)
{
	char path[256];
	int fd;

	if (strchr(name, '/') || snprintf(path, sizeof(path), "/var/run/netns/%s", name) >= (int)sizeof(path)) {
		err_msg("bad netns name \"%s\"", name);
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err_msg("netns %s: %s", name, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		err_msg("netns %s: setns: %s", name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int nl_open(void)
{
	int one = 1;

	if (nl)
		return 0;
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl) {
		err_msg("netlink socket: %s", strerror(errno));
		exit(EXIT_KERNEL);
	}
	/* Ask for the kernel's reason on errors, without our request echoed. */
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err_msg("netlink bind: %s", strerror(errno));
		exit(EXIT_KERNEL);
	}
	nl_portid = mnl_socket_get_portid(nl);
	return 0;
}

struct nlmsghdr *nl_msg(uint16_t type, uint16_t flags, size_t hdrlen)
{
	struct nlmsghdr *nlh;

	memset(sendbuf, 0, sizeof(sendbuf));
	nlh = mnl_nlmsg_put_header(sendbuf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = (uint32_t)time(NULL);
	mnl_nlmsg_put_extra_header(nlh, hdrlen);
	return nlh;
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	size_t off = sizeof(*e);

	(void)data;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (e->error == 0)
		return MNL_CB_STOP;	/* the ack */

	ext_msg[0] = '\0';
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		/* Without NLM_F_CAPPED the request follows the header. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		mnl_attr_for_each(attr, nlh, off) {
			if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
			    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
				snprintf(ext_msg, sizeof(ext_msg), "%s",
					 mnl_attr_get_str(attr));
		}
	}
	errno = -e->error;
	return MNL_CB_ERROR;
}

static int noop_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_STOP;
}

/* libmnl skips types whose slot is NULL, so every slot is filled. */
static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_NOOP] = noop_cb,
	[NLMSG_ERROR] = error_cb,
	[NLMSG_DONE] = done_cb,
	[NLMSG_OVERRUN] = noop_cb,
};

/* Run the exchange; return 0, or -errno with ext_msg set. */
static int nl_exchange(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	ssize_t n;
	int ret;

	nl_open();
	ext_msg[0] = '\0';
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl, recvbuf, sizeof(recvbuf));
		if (n < 0)
			return -errno;
		ret = mnl_cb_run2(recvbuf, n, nlh->nlmsg_seq, nl_portid,
				  cb, data, ctl_cbs, MNL_ARRAY_SIZE(ctl_cbs));
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		return errno ? -errno : -EIO;
	return 0;
}

static void report(const char *what, int err)
{
	if (ext_msg[0])
		err_msg("%s: %s (%s)", what, ext_msg, strerror(-err));
	else
		err_msg("%s: %s", what, strerror(-err));
}

int nl_request(struct nlmsghdr *nlh, const char *what)
{
	int err;

	nlh->nlmsg_flags |= NLM_F_ACK;
	err = nl_exchange(nlh, NULL, NULL);
	if (err)
		report(what, err);
	return err;
}

/*
 * A dump ends with NLMSG_DONE; a plain get gets NLM_F_ACK so that its
 * reply is followed by an ack that ends the exchange.
 */
int nl_dump(struct nlmsghdr *nlh, mnl_cb_t cb, void *data, const char *what)
{
	int err;

	if (!(nlh->nlmsg_flags & NLM_F_DUMP))
		nlh->nlmsg_flags |= NLM_F_ACK;
	err = nl_exchange(nlh, cb, data);

	/* A callback that already printed its own error returns ECANCELED. */
	if (err && err != -ECANCELED)
		report(what, err);
	return err;
}

/* For callers that want to word a specific errno themselves. */
int nl_get_quiet(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	if (!(nlh->nlmsg_flags & NLM_F_DUMP))
		nlh->nlmsg_flags |= NLM_F_ACK;
	return nl_exchange(nlh, cb, data);
}

const char *nl_ext_msg(void)
{
	return ext_msg;
}
