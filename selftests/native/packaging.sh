#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Debian packages: built, inspected, dkms-built for each kernel of the
# suite (OVL_PKG_KERNELS, set by make check).
exec bash "$(dirname "$0")/../../tools/packaging/test-packages.sh"
