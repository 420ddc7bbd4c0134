#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send one AF_BRIDGE RTM_NEWNEIGH whose NUD state is NUD_NOARP alone.

bridge(8) always adds NUD_PERMANENT or NUD_REACHABLE, so it can not send
the invalid state that fdb.sh needs to see refused.  Usage (in the netns):
    fdb_state.py DEV MAC IPV4
Prints the kernel's error and exits 1 when the request is refused.
"""
import os
import socket
import struct
import sys

RTM_NEWNEIGH = 28
NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE = 0x1, 0x4, 0x200, 0x400
NLMSG_ERROR = 2
AF_BRIDGE = 7
NUD_NOARP = 0x40
NTF_SELF = 0x02
NDA_DST, NDA_LLADDR = 1, 2


def rtattr(kind, data):
    attr = struct.pack("=HH", 4 + len(data), kind) + data
    return attr + b"\0" * (-len(attr) % 4)


def main():
    dev, mac, dst = sys.argv[1:4]
    ndm = struct.pack("=BBHiHBB", AF_BRIDGE, 0, 0, socket.if_nametoindex(dev),
                      NUD_NOARP, NTF_SELF, 0)
    body = ndm + rtattr(NDA_LLADDR, bytes.fromhex(mac.replace(":", ""))) \
        + rtattr(NDA_DST, socket.inet_aton(dst))
    flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL
    msg = struct.pack("=IHHII", 16 + len(body), RTM_NEWNEIGH, flags, 1, 0) + body
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE) as s:
        s.send(msg)
        reply = s.recv(65536)
    _, kind = struct.unpack_from("=IH", reply)
    err = struct.unpack_from("=i", reply, 16)[0] if kind == NLMSG_ERROR else 0
    if err:
        print("Error: %s" % os.strerror(-err), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
