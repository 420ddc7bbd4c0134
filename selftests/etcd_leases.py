#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read flannel leases from `etcdctl get --prefix -w json` on stdin and
print one line per lease the way flanneld would use it:

  SUBNET PUBLICIP VTEPMAC [SUBNET6 PUBLICIPV6 VTEPMAC6]

(SUBNET as "10.244.3.0/24").  A lease whose value is not flannel's JSON
is printed as "SKIP KEY".  Used by the tests' flanneld-programmed node
and by their assertions.
"""
import base64
import json
import sys


def main():
    data = sys.stdin.read().strip()
    kvs = json.loads(data).get("kvs", []) if data else []
    for kv in kvs:
        key = base64.b64decode(kv["key"]).decode()
        name = key.rsplit("/", 1)[-1]
        try:
            attrs = json.loads(base64.b64decode(kv.get("value", "")))
            nets = name.split("&")
            v4 = nets[0].replace("-", "/")
            line = [v4, attrs["PublicIP"], attrs["BackendData"]["VtepMAC"]]
            if len(nets) > 1 and attrs.get("BackendV6Data"):
                line += [nets[1].replace("-", "/"), attrs["PublicIPv6"],
                         attrs["BackendV6Data"]["VtepMAC"]]
            print(" ".join(line))
        except (ValueError, KeyError, TypeError, AttributeError):
            print("SKIP " + key)


if __name__ == "__main__":
    main()
