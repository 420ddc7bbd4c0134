#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Traffic for delivery.sh.

  delivery.py nested DST VNI MAC INNER_SRC INNER_DST DEPTH
      Send one UDP datagram to DST:4789 holding DEPTH VXLAN frames, each
      inside the previous one: VXLAN (VNI) + Ethernet (to MAC) + IPv4
      (INNER_SRC -> INNER_DST) + UDP to 4789, and in the innermost an
      IPv4/UDP datagram to INNER_DST:9999 saying b"deep".
  delivery.py recv ADDR PORT COUNT TIMEOUT [gro]
      Print "ready", then receive until COUNT datagrams have come or
      TIMEOUT seconds have passed; with "gro", ask for UDP_GRO and count
      the datagrams each read carried.  Prints "datagrams N reads N
      most_per_read N" and exits 0 if COUNT came.
  delivery.py burst DST PORT COUNT SIZE
      Send COUNT datagrams of SIZE bytes to DST:PORT, one flow.
"""
import socket
import struct
import sys
import time

UDP_GRO = 104		# linux/udp.h; Python 3.11 has no constant for it
SOL_UDP = 17


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4_udp(src, dst, sport, dport, payload):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000,
                      64, socket.IPPROTO_UDP, 0, socket.inet_aton(src),
                      socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:]
    return hdr + udp


def nested(dst, vni, mac, isrc, idst, depth):
    vxlan = struct.pack("!II", 0x08000000, int(vni) << 8)
    eth = bytes.fromhex(mac.replace(":", "")) + \
        bytes.fromhex("020000000001") + struct.pack("!H", 0x0800)
    frame = eth + ipv4_udp(isrc, idst, 40000, 9999, b"deep")
    for i in range(int(depth) - 1):
        frame = eth + ipv4_udp(isrc, idst, 40001 + i, 4789, vxlan + frame)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(vxlan + frame, (dst, 4789))
    print("sent %d bytes, %s frames deep" % (len(vxlan + frame), depth))
    return 0


def recv(addr, port, count, timeout, gro=False):
    count, end = int(count), time.monotonic() + float(timeout)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if gro:
        s.setsockopt(SOL_UDP, UDP_GRO, 1)
    s.bind((addr, int(port)))
    print("ready", flush=True)
    got = reads = most = 0
    while got < count:
        left = end - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            data, anc, _, _ = s.recvmsg(65535, socket.CMSG_SPACE(4))
        except socket.timeout:
            break
        n = 1
        for level, kind, val in anc:
            if level == SOL_UDP and kind == UDP_GRO:
                size = struct.unpack("i", val[:4])[0]
                n = (len(data) + size - 1) // size
        got, reads, most = got + n, reads + 1, max(most, n)
    print("datagrams %d reads %d most_per_read %d" % (got, reads, most))
    return 0 if got >= count else 1


def burst(dst, port, count, size):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for _ in range(int(count)):
        s.sendto(b"x" * int(size), (dst, int(port)))
    return 0


def main(argv):
    cmds = {"nested": (nested, 6), "recv": (recv, 4), "burst": (burst, 4)}
    if len(argv) < 2 or argv[1] not in cmds:
        print(__doc__, file=sys.stderr)
        return 2
    fn, nargs = cmds[argv[1]]
    args = argv[2:]
    if argv[1] == "recv" and args[4:] == ["gro"]:
        return recv(*args[:4], gro=True)
    if len(args) != nargs:
        print(__doc__, file=sys.stderr)
        return 2
    return fn(*args)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
