#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A container runtime's side of CNI, for the tests: run a network
configuration list the way libcni does (CNI spec, "Network configuration
lists"): each plugin in order, its config being the plugin's object with
the list's name and cniVersion added and, after the first, the previous
plugin's result as prevResult; DEL in reverse order.  The plugins are
Debian's (/usr/lib/cni); nothing here stands in for one.

  cni_runtime.py ADD|DEL CONFLIST CONTAINER_ID NETNS_PATH IFNAME

Prints the last plugin's result (ADD) and exits with the failing plugin's
status, its error on stderr.
"""
import json
import os
import subprocess
import sys

CNI_PATH = os.environ.get("CNI_PATH", "/usr/lib/cni")


def run(cmd, conf, plugin, container, netns, ifname):
    env = dict(os.environ, CNI_COMMAND=cmd, CNI_CONTAINERID=container,
               CNI_NETNS=netns, CNI_IFNAME=ifname, CNI_PATH=CNI_PATH)
    p = subprocess.run([os.path.join(CNI_PATH, plugin["type"])],
                       input=json.dumps(conf).encode(), env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       check=False)
    if p.returncode != 0:
        sys.stderr.write("%s %s failed (%d): %s %s\n" % (
            plugin["type"], cmd, p.returncode, p.stdout.decode(),
            p.stderr.decode()))
        sys.exit(p.returncode or 1)
    return json.loads(p.stdout) if p.stdout.strip() else None


def main():
    if len(sys.argv) != 6 or sys.argv[1] not in ("ADD", "DEL"):
        sys.exit(__doc__)
    cmd, path, container, netns, ifname = sys.argv[1:]
    with open(path) as f:
        conflist = json.load(f)
    plugins = conflist["plugins"]
    if cmd == "DEL":
        plugins = list(reversed(plugins))
    prev = None
    for plugin in plugins:
        conf = dict(plugin, name=conflist["name"],
                    cniVersion=conflist["cniVersion"])
        if prev is not None and cmd == "ADD":
            conf["prevResult"] = prev
        result = run(cmd, conf, plugin, container, netns, ifname)
        if cmd == "ADD":
            prev = result
    if cmd == "ADD":
        print(json.dumps(prev))


if __name__ == "__main__":
    main()
