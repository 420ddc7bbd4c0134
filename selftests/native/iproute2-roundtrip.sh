#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The plugin's create/change/show round trip without the ovl module:
# selftests/iproute2.sh with KIND=vxlan, i.e. the plugin's code built as
# kind "vxlan" against the host's in-kernel vxlan driver (IFLA_OVL_* ==
# IFLA_VXLAN_*), including a comparison with ip's own vxlan printer.
# Its [PASS]/[FAIL]/[SKIP] lines and exit code are this script's.

KIND=vxlan exec bash "$(dirname "$0")/../iproute2.sh"
