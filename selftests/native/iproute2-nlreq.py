#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Show the link requests an ip(8) command sends to the kernel.

    iproute2-nlreq.py ip [-n NS] link add|set ...

runs the command under strace, which hex-dumps every buffer it sendmsg()s,
and prints one line per RTM_NEWLINK request:

    REQ kind=ovl data=1:2a000000 15:12b5
    REQ kind=ovl data=-            (IFLA_LINKINFO without IFLA_INFO_DATA)

data lists the IFLA_INFO_DATA attributes as TYPE:PAYLOAD-HEX in the order
they were sent.  ip's own output passes through; the exit status is ip's.
The dump is decoded here, not by strace's netlink printer, so the result
does not depend on which attributes the installed strace knows.
"""
import os
import re
import struct
import subprocess
import sys
import tempfile

RTM_NEWLINK = 16
IFLA_LINKINFO = 18
IFLA_INFO_KIND = 1
IFLA_INFO_DATA = 2
NLA_TYPE_MASK = 0x3FFF


def attrs(buf):
    """(type, payload) of each netlink attribute in buf."""
    off = 0
    while off + 4 <= len(buf):
        length, typ = struct.unpack_from("<HH", buf, off)
        if length < 4 or off + length > len(buf):
            break
        yield typ & NLA_TYPE_MASK, buf[off + 4:off + length]
        off += (length + 3) & ~3


def requests(buf):
    """Describe each RTM_NEWLINK message of one sent buffer."""
    off = 0
    while off + 16 <= len(buf):
        length, typ = struct.unpack_from("<IH", buf, off)
        if length < 16 or off + length > len(buf):
            break
        if typ == RTM_NEWLINK:
            kind, data = "-", None
            # nlmsghdr (16) + ifinfomsg (16), then the attributes
            for t, payload in attrs(buf[off + 32:off + length]):
                if t != IFLA_LINKINFO:
                    continue
                for it, ipayload in attrs(payload):
                    if it == IFLA_INFO_KIND:
                        kind = ipayload.rstrip(b"\0").decode()
                    elif it == IFLA_INFO_DATA:
                        data = [f"{a}:{p.hex()}" for a, p in attrs(ipayload)]
            yield "REQ kind=%s data=%s" % (kind, " ".join(data) if data is not None else "-")
        off += (length + 3) & ~3


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    with tempfile.NamedTemporaryFile(prefix="nlreq-", suffix=".strace") as log:
        rc = subprocess.call(["strace", "-qq", "-f", "-o", log.name,
                              "-e", "trace=sendmsg", "-e", "write=all"]
                             + argv[1:])
        sys.stdout.flush()
        # One sendmsg line, then its buffers as " | 00000  xx xx ...  text |"
        # lines (the hex column is 49 characters wide).
        bufs = []
        dump = re.compile(r"\| [0-9a-f]{5}  (.{49})")
        for line in open(log.name, errors="replace"):
            m = dump.search(line)
            if m:
                if not bufs:
                    bufs.append(bytearray())
                bufs[-1] += bytes.fromhex("".join(re.findall(r"[0-9a-f]{2}", m.group(1))))
            elif "sendmsg(" in line:
                bufs.append(bytearray())
        for b in bufs:
            for r in requests(bytes(b)):
                print(r)
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))
