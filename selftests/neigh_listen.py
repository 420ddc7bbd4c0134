#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print every RTM_*NEIGH message of RTNLGRP_NEIGH in this netns, one line
each, without what differs between two devices (ifindex, cache times):
for comparing what ovl and vxlan notify.  Prints "listening" first."""
import socket
import struct
import sys

RTNLGRP_NEIGH = 3
NDA_CACHEINFO = 3
NDA_IFINDEX = 8

s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
s.bind((0, 1 << (RTNLGRP_NEIGH - 1)))
print("listening", flush=True)
while True:
    data = s.recv(65536)
    off = 0
    while off + 16 <= len(data):
        length, mtype = struct.unpack_from("=IH", data, off)
        if length < 16:
            break
        body = data[off + 16:off + length]
        if mtype in (28, 29, 30) and len(body) >= 12:
            fam, _, _, _, state, flags, ntype = struct.unpack_from("=BBHiHBB", body)
            attrs = []
            a = 12
            while a + 4 <= len(body):
                alen, atype = struct.unpack_from("=HH", body, a)
                if alen < 4:
                    break
                if atype not in (NDA_CACHEINFO, NDA_IFINDEX):
                    attrs.append("%d:%s" % (atype, body[a + 4:a + alen].hex()))
                a += (alen + 3) & ~3
            print("type=%d family=%d state=0x%x flags=0x%x ndm_type=%d %s" %
                  (mtype, fam, state, flags, ntype, " ".join(sorted(attrs))),
                  flush=True)
        off += (length + 3) & ~3
