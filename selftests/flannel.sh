#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Flannel-style overlay (Documentation/scenarios.rst): three hosts whose
# underlay carries only host addresses, two containers per host on cni0,
# one VTEP per host (VNI 1, UDP 8472, learning off) programmed with plain
# ip and bridge commands the way flanneld does.  Every container pair
# across hosts (ping, and TCP for each unordered pair), hosts to remote
# containers, the encapsulation on the wire, the MTU end to end, a host
# leaving and coming back, and a host moving to a new underlay address.
# flannel-ovlctl.sh runs the same scenario configured with ovlctl on 4789.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=containers.bash
. "$SELFTESTS_DIR/containers.bash"
# shellcheck source=capture.bash
. "$SELFTESTS_DIR/capture.bash"
# shellcheck source=flannel-topo.bash
. "$SELFTESTS_DIR/flannel-topo.bash"

need_ovl_args
for t in python3 tcpdump socat; do
	command -v $t >/dev/null || skip_all "$t is not installed"
done

FT_TOOL=ip FT_PORT=8472
ft_setup

ft_check_config
ft_check_pings
ft_check_host_pings
# shellcheck disable=SC2046
ft_check_tcp $(ft_cross_pairs)
ft_check_wire
ft_check_mtu
ft_check_cut
ft_check_move 10.0.0.33

finish
