# SPDX-License-Identifier: GPL-2.0
# Sourced, not run.  Private apt configurations under $OVL_CACHE/apt, one
# per Debian release ovl needs packages from, that never edit /etc/apt:
# each has its own source list, package lists and archive cache.
#
#   $OVL_APT/host      the host's release (bookworm) with -updates,
#                      -security and -backports: tools are installed
#                      from it (dpkg's database is the system's, so what
#                      it installs is installed for real) and the bookworm
#                      kernels are downloaded from it
#   $OVL_APT/RELEASE   another release (bullseye, sid): only ever used to
#                      download packages (apt-get download), never to
#                      install anything on the host
#
# The archive's address is the system's own: the mirror its apt sources
# name for its release (and for RELEASE-security, the security archive),
# whatever the user set there; OVL_DEBIAN_MIRROR and OVL_SECURITY_MIRROR
# override them.  No host name is written here.

OVL_CACHE=${OVL_CACHE:-$HOME/.cache/ovl}
OVL_APT=$OVL_CACHE/apt

# The host's Debian release (bookworm).
ovl_host_release() {
	(. /etc/os-release && echo "${VERSION_CODENAME:-}")
}

# The suites a release's private configuration lists.  A stable release
# has its point-release updates and security suites; bookworm also
# backports (the 6.12 kernel); sid is one suite.
ovl_release_suites() {
	case $1 in
	sid|unstable) echo "$1" ;;
	bookworm) echo "$1 $1-updates $1-security $1-backports" ;;
	*) echo "$1 $1-updates $1-security" ;;
	esac
}

# The system's apt sources, one "URI SUITE SIGNED-BY" line per enabled
# deb entry and suite (SIGNED-BY is "-" when unset): one-line entries of
# sources.list and *.list, deb822 paragraphs of *.sources.
ovl_system_sources() {
	eval "$(apt-config shell ovl_sl_ Dir::Etc::sourcelist/f ovl_sp_ Dir::Etc::sourceparts/d)"
	for f in "${ovl_sl_:-/etc/apt/sources.list}" "${ovl_sp_:-/etc/apt/sources.list.d/}"*.list; do
		[ -f "$f" ] || continue
		sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '
			$1 == "deb" && NF >= 3 { print $2, $3, "-" }'
	done
	for f in "${ovl_sp_:-/etc/apt/sources.list.d/}"*.sources; do
		[ -f "$f" ] || continue
		awk '
		function flush() {
			if (deb && enabled)
				for (u in uris) for (s in suites)
					print uris[u], suites[s], (key == "" ? "-" : key)
			deb = 0; enabled = 1; key = ""; split("", uris); split("", suites); field = ""
		}
		BEGIN { flush() }
		/^[[:space:]]*#/ { next }
		/^[[:space:]]*$/ { flush(); next }
		/^[^[:space:]]/ {
			field = tolower($1); sub(/:.*/, "", field)
			line = $0; sub(/^[^:]*:[[:space:]]*/, "", line)
		}
		/^[[:space:]]/ { line = $0 }
		{
			n = split(line, w, /[[:space:]]+/)
			for (i = 1; i <= n; i++) {
				if (w[i] == "") continue
				if (field == "types" && w[i] == "deb") deb = 1
				else if (field == "uris") uris[w[i]] = w[i]
				else if (field == "suites") suites[w[i]] = w[i]
				else if (field == "enabled" && tolower(w[i]) == "no") enabled = 0
				else if (field == "signed-by" && w[i] ~ /^\//) key = w[i]
			}
		}
		END { flush() }' "$f"
	done
}

# ovl_mirror debian|security: the URI (and signing keyring, or "-") the
# system uses for its release's archive (resp. its security archive).
ovl_mirror() {
	oa_rel=$(ovl_host_release)
	case $1 in
	debian) oa_want=$oa_rel oa_over=${OVL_DEBIAN_MIRROR:-} ;;
	security) oa_want=$oa_rel-security oa_over=${OVL_SECURITY_MIRROR:-} ;;
	esac
	if [ -n "$oa_over" ]; then
		echo "$oa_over -"
		return 0
	fi
	ovl_system_sources | awk -v s="$oa_want" '$2 == s { print $1, $3; exit }'
}

# ovl_apt_setup SET: write SET's source list (SET: host or a release).
ovl_apt_setup() {
	oa_set=$1 oa_dir=$OVL_APT/$1
	oa_rel=$1
	[ "$oa_set" = host ] && oa_rel=$(ovl_host_release)
	[ -n "$oa_rel" ] || { echo "apt-env: cannot tell this system's Debian release (/etc/os-release)" >&2; return 1; }
	mkdir -p "$oa_dir/sources.list.d" "$oa_dir/lists/partial" \
		"$oa_dir/cache/archives/partial" "$oa_dir/debs" || return 1
	oa_main=$(ovl_mirror debian)
	oa_sec=$(ovl_mirror security)
	if [ -z "$oa_main" ]; then
		echo "apt-env: no Debian mirror for $(ovl_host_release) in this system's apt sources; set OVL_DEBIAN_MIRROR=URI" >&2
		return 1
	fi
	for oa_s in $(ovl_release_suites "$oa_rel"); do
		case $oa_s in
		*-security)
			if [ -z "$oa_sec" ]; then
				echo "apt-env: no security mirror in this system's apt sources: $oa_s left out (OVL_SECURITY_MIRROR=URI adds it)" >&2
				continue
			fi
			oa_m=$oa_sec ;;
		*) oa_m=$oa_main ;;
		esac
		# shellcheck disable=SC2086 # URI and keyring
		set -- $oa_m
		oa_key=$2
		[ "$oa_key" = - ] && oa_key=/usr/share/keyrings/debian-archive-keyring.gpg
		printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n\n' \
			"$1" "$oa_s" "$oa_key"
	done > "$oa_dir/sources.list.d/ovl.sources.tmp" || return 1
	mv "$oa_dir/sources.list.d/ovl.sources.tmp" "$oa_dir/sources.list.d/ovl.sources"
}

# apt-get/apt-cache with SET's configuration.  The dpkg lock may be
# held by another apt run on this machine: wait for it instead of failing.
ovl_apt_opts() {
	oa_dir=$OVL_APT/$1
	echo "-o Dir::Etc::SourceList=/dev/null" \
		"-o Dir::Etc::SourceParts=$oa_dir/sources.list.d" \
		"-o Dir::State::Lists=$oa_dir/lists" \
		"-o Dir::Cache=$oa_dir/cache" \
		"-o DPkg::Lock::Timeout=600" \
		"-o APT::Get::Assume-Yes=true" "-o APT::Sandbox::User=root" \
		"-o Dpkg::Options::=--force-confold"
}

# ovl_apt_get SET ARGS...
ovl_apt_get() {
	s_=$1
	shift
	# shellcheck disable=SC2046
	DEBIAN_FRONTEND=noninteractive apt-get $(ovl_apt_opts "$s_") "$@"
}

# ovl_apt_cache SET ARGS...
ovl_apt_cache() {
	s_=$1
	shift
	# shellcheck disable=SC2046
	apt-cache $(ovl_apt_opts "$s_") "$@"
}

# ovl_apt_update SET: refresh SET's lists, at most once per run of the
# caller and its children (OVL_APT_UPDATED lists the sets done).
ovl_apt_update() {
	case " ${OVL_APT_UPDATED:-} " in *" $1 "*) return 0 ;; esac
	ovl_apt_setup "$1" || return 1
	echo "deps: apt-get update for $1 (private lists in $OVL_APT/$1)" >&2
	ovl_apt_get "$1" -q update >&2 || return 1
	OVL_APT_UPDATED="${OVL_APT_UPDATED:-} $1"
	export OVL_APT_UPDATED
}

# ovl_apt_download SET DIR PKG...: download PKGs (no dependency) into DIR.
ovl_apt_download() {
	s_=$1 d_=$2
	shift 2
	(cd "$d_" && ovl_apt_get "$s_" -q download "$@" >&2)
}

# ovl_install PKG...: install on this host those of the (tool) PKGs it
# lacks.  Says first what apt will install, dependencies included, and
# refuses when that would be a kernel (image, headers, modules): those
# belong under $OVL_CACHE, never on the host.  OVL_DEPS_DRY_RUN=1: say it
# and install nothing.
ovl_install() {
	oi_missing=
	for oi_p in "$@"; do
		case " $oi_missing " in *" $oi_p "*) continue ;; esac
		[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$oi_p" 2>/dev/null)" = "ii " ] ||
			oi_missing="$oi_missing $oi_p"
	done
	[ -n "$oi_missing" ] || return 0
	ovl_apt_update host || return 1
	# shellcheck disable=SC2086 # package names
	oi_plan=$(ovl_apt_get host -s install --no-install-recommends $oi_missing |
		sed -n 's/^Inst \([^ ]*\) .*/\1/p') || return 1
	echo "deps: to install on this host:" $oi_plan >&2
	oi_bad=$(echo "$oi_plan" | grep -E '^linux-(image|headers|modules|binary|base-[0-9])' || true)
	if [ -n "$oi_bad" ]; then
		echo "deps: refusing: that would install kernel packages on this host:" $oi_bad >&2
		return 1
	fi
	[ "${OVL_DEPS_DRY_RUN:-0}" = 1 ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing:$oi_missing (run as root)" >&2
		return 1
	fi
	# shellcheck disable=SC2086
	ovl_apt_get host -q install --no-install-recommends $oi_missing >&2
}
