# SPDX-License-Identifier: GPL-2.0
# Sourced, not run.  The kernels ovl supports, each a Debian kernel series
# that the suite boots and builds for:
#
#   SERIES  RELEASE   ABI (of linux-headers-ABI, an extended regex)
#   5.10    bullseye  5.10.0-N-amd64           bullseye's gcc-10
#   6.1     bookworm  6.1.0-N-amd64            gcc-12 (the host's)
#   6.1-rt  bookworm  6.1.0-N-rt-amd64         PREEMPT_RT
#   6.12    bookworm  6.12.N+deb12-amd64       bookworm-backports, gcc-12
#   7.2     sid       7.2.N+deb14-amd64        sid's gcc-16
#
# The ABI is never written down: fetch-kernels.sh picks the newest the
# archive has (Debian keeps only the current one of a stable release).
# A kernel of the host's release is built for on the host; one of another
# release in a minimal chroot of that release (chroot.sh), with the
# compiler its headers were built with.  Adding a kernel: a line here
# (Documentation/kernels.rst).

OVL_KERNELS_ALL="5.10 6.1 6.1-rt 6.12 7.2"

ovl_kernel_table() {
	cat <<-'EOF'
	5.10	bullseye	5\.10\.0-[0-9]+-amd64
	6.1	bookworm	6\.1\.0-[0-9]+-amd64
	6.1-rt	bookworm	6\.1\.0-[0-9]+-rt-amd64
	6.12	bookworm	6\.12\.[0-9]+\+deb12-amd64
	7.2	sid	7\.2\.[0-9]+\+deb14-amd64
	EOF
}

# ovl_kernel_field SERIES 2|3: its release, or its ABI regex.
ovl_kernel_field() {
	ovl_kernel_table | awk -F '\t' -v s="$1" -v f="$2" '$1 == s { print $f }'
}

# ovl_kernel_checker NAME: NAME is a checker kernel built here by
# debug-kernel.sh (debug: KASAN, lockdep, kmemleak; kcsan: KCSAN).
ovl_kernel_checker() {
	case $1 in debug|kcsan) return 0 ;; *) return 1 ;; esac
}

# ovl_kernel_check [--debug] SERIES...: each is a known series (or, with
# --debug, a checker kernel of debug-kernel.sh: "debug" or "kcsan"); else
# one line on stderr and status 2.
ovl_kernel_check() {
	ok_debug=0
	[ "${1:-}" = --debug ] && { ok_debug=1; shift; }
	for ks_ in "$@"; do
		[ "$ok_debug" = 1 ] && ovl_kernel_checker "$ks_" && continue
		case " $OVL_KERNELS_ALL " in
		*" $ks_ "*) ;;
		*)
			ks_all=$(echo "$OVL_KERNELS_ALL" | sed 's/ /, /g')
			[ "$ok_debug" = 1 ] && ks_all="$ks_all, debug or kcsan"
			echo "${0##*/}: unknown kernel '$ks_' (known: $ks_all)" >&2
			return 2 ;;
		esac
	done
}
