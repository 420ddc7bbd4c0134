# SPDX-License-Identifier: GPL-2.0
# Sourced, not run.  A private apt configuration under $OVL_CACHE/apt that
# adds bookworm-backports (for the 6.12 kernel) without editing /etc/apt:
# its own source list, package lists and archive cache.  dpkg's database is
# the system's, so what it installs is installed for real.

OVL_CACHE=${OVL_CACHE:-$HOME/.cache/ovl}
OVL_APT=$OVL_CACHE/apt

ovl_apt_setup() {
	mkdir -p "$OVL_APT/sources.list.d" "$OVL_APT/lists/partial" \
		"$OVL_APT/cache/archives/partial" "$OVL_APT/debs" || return 1
	# Only Debian's archive is reachable here; list it explicitly rather
	# than inheriting /etc/apt, which may name other (unreachable) hosts.
	cat > "$OVL_APT/sources.list.d/debian.sources" <<-SRC
	Types: deb
	URIs: http://deb.debian.org/debian
	Suites: bookworm bookworm-updates bookworm-backports
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

	Types: deb
	URIs: http://deb.debian.org/debian-security
	Suites: bookworm-security
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	SRC
}

# apt-get/apt-cache with the private configuration.  The dpkg lock may be
# held by another apt run on this machine: wait for it instead of failing.
ovl_apt_opts() {
	echo "-o Dir::Etc::SourceList=/dev/null" \
		"-o Dir::Etc::SourceParts=$OVL_APT/sources.list.d" \
		"-o Dir::State::Lists=$OVL_APT/lists" \
		"-o Dir::Cache=$OVL_APT/cache" \
		"-o DPkg::Lock::Timeout=600" \
		"-o APT::Get::Assume-Yes=true" "-o APT::Sandbox::User=root" \
		"-o Dpkg::Options::=--force-confold"
}

ovl_apt_get() {
	# shellcheck disable=SC2046
	DEBIAN_FRONTEND=noninteractive apt-get $(ovl_apt_opts) "$@"
}

ovl_apt_cache() {
	# shellcheck disable=SC2046
	apt-cache $(ovl_apt_opts) "$@"
}

# Refresh the private lists at most once per run of the caller.
ovl_apt_update() {
	[ -n "${OVL_APT_UPDATED:-}" ] && return 0
	ovl_apt_setup || return 1
	echo "deps: apt-get update (private lists in $OVL_APT)" >&2
	ovl_apt_get -q update >&2 || return 1
	OVL_APT_UPDATED=1
}

# Have the private lists ever been fetched?
ovl_apt_have_lists() {
	ls "$OVL_APT/lists/"*_InRelease >/dev/null 2>&1
}
