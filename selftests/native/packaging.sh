#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Debian packages: built, inspected, dkms-built for 6.1 and 6.12.
exec bash "$(dirname "$0")/../../tools/packaging/test-packages.sh"
