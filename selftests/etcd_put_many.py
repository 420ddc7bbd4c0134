#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write (or delete) many flannel leases of simulated peers through
etcd's JSON gateway, in transactions of 100 puts, each key bound to one
24 h etcd lease, the values in flannel's exact format:

  etcd_put_many.py put|del ENDPOINT PREFIX FIRST COUNT

Peer k (FIRST <= k < FIRST+COUNT) holds the k-th /24 from 100.65.0.0
(in 100.64.0.0/10; the real nodes lease below 100.65.0.0), PublicIP
192.168.(k/256).(k%256), VtepMAC
02:00:00:00:hi:lo.  Prints the time the last transaction was sent
(milliseconds since the epoch): the latest a change can start from.
"""
import base64
import json
import sys
import time
import urllib.request


def b64(s):
    return base64.b64encode(s.encode()).decode()


def post(endpoint, api, body):
    req = urllib.request.Request(endpoint + api, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)


def lease(k):
    net = 0x64410000 + 256 * k
    sn = "%d.%d.%d.0" % (net >> 24, (net >> 16) & 255, (net >> 8) & 255)
    value = ('{"PublicIP":"192.168.%d.%d","PublicIPv6":null,"BackendType":"vxlan",'
             '"BackendData":{"VNI":1,"VtepMAC":"02:00:00:00:%02x:%02x"}}'
             % (k // 256, k % 256, k // 256, k % 256))
    return sn + "-24", value


def main():
    cmd, endpoint, prefix, first, count = sys.argv[1:]
    first, count = int(first), int(count)
    lid = None
    if cmd == "put":
        lid = post(endpoint, "/v3/lease/grant", {"TTL": "86400"})["ID"]
    ks = list(range(first, first + count))
    sent = 0
    for i in range(0, len(ks), 100):
        ops = []
        for k in ks[i:i + 100]:
            name, value = lease(k)
            key = b64("%s/subnets/%s" % (prefix, name))
            if cmd == "put":
                ops.append({"request_put": {"key": key, "value": b64(value), "lease": lid}})
            else:
                ops.append({"request_delete_range": {"key": key}})
        sent = time.time()
        post(endpoint, "/v3/kv/txn", {"success": ops})
    print(int(sent * 1000))


if __name__ == "__main__":
    main()
