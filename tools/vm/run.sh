#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run a command as root inside a throw-away VM booted on a Debian kernel:
#   tools/vm/run.sh [-k SERIES] [--mem MB] [--smp N] [--timeout S] -- CMD ARGS...
# SERIES: a kernel of kernels.sh (5.10, 6.1, 6.1-rt, 6.12, 7.2; default
# 6.1), fetched by make deps.
# The VM sees the host's / read-only with a RAM overlay on top (writes are
# lost at exit), starts CMD in the caller's working directory, streams its
# output (stdout and stderr together, in order) live, and exits with CMD's
# exit status.  Timeout or a VM that dies first: exit 124/125 with a message.
# Passed into the VM: OVL_KERNEL, OVL_MODROOT, and the variables named in
# OVL_VM_ENV (e.g. OVL_VM_ENV="OVL_KO FOO").  OVL_VM_CPU: QEMU's -cpu
# model (default max).  OVL_VM_ICOUNT: QEMU's -icount options (make bench
# --icount: the guest clock counts instructions; single-threaded TCG).
# QEMU runs under TCG: /dev/kvm
# on this machine cannot boot a stock kernel.
# --debug (= -k debug) boots the KASAN/lockdep/kmemleak kernel built by
# tools/vm/debug-kernel.sh instead, -k kcsan its KCSAN kernel; both with
# 2048 MB unless --mem says otherwise.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/kernels.sh"
usage() {
	echo "usage: $0 [-k SERIES|debug|kcsan] [--debug] [--mem MB] [--smp N] [--timeout S] -- CMD [ARGS...]" >&2
	exit 2
}
kernel=6.1 mem='' smp=2 limit=1800
while [ $# -gt 0 ]; do
	case $1 in
	-k|--kernel) [ $# -ge 2 ] || usage; kernel=$2; shift 2 ;;
	--debug) kernel=debug; shift ;;
	--mem) [ $# -ge 2 ] || usage; mem=$2; shift 2 ;;
	--smp) [ $# -ge 2 ] || usage; smp=$2; shift 2 ;;
	--timeout) [ $# -ge 2 ] || usage; limit=$2; shift 2 ;;
	--) shift; break ;;
	*) usage ;;
	esac
done
[ $# -ge 1 ] || usage
ovl_kernel_check --debug "$kernel" || exit 2
# KASAN's shadow, kmemleak's and lockdep's tables need room (KCSAN's
# watchpoints do not, but its kernel is as large).
[ -n "$mem" ] || if ovl_kernel_checker "$kernel"; then mem=2048; else mem=1024; fi
for n in "$mem" "$smp" "$limit"; do
	case $n in ''|*[!0-9]*|0) echo "$0: not a positive number: '$n'" >&2; exit 2 ;; esac
done

abi=$(sh "$here/kernel-abi.sh" "$kernel")
modroot=$(sh "$here/modroot.sh" "$kernel")
initrd=$(sh "$here/initramfs.sh" "$kernel")
vmlinuz=$modroot/boot/vmlinuz-$abi

cache=${OVL_CACHE:-$HOME/.cache/ovl}
mkdir -p "$cache/run"
job=$(mktemp "$cache/run/job.XXXXXX")
state=$(mktemp -d "$cache/run/state.XXXXXX")
trap 'rm -rf "$job" "$state"' EXIT
# Interrupted (Ctrl-C, or a caller's timeout): stop this run's QEMU too; it
# is in its own process group (timeout's), out of reach of the caller's.
stop_vm() {
	[ -s "$state/qemu.pid" ] && kill "$(cat "$state/qemu.pid")" 2>/dev/null
	exit 130
}
trap stop_vm INT TERM

# Single-quote $1 for sh.
q() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# The job the VM's init runs (in the chroot, stdin /dev/null).
{
	echo "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	echo "export HOME=/tmp LANG=C.UTF-8 TERM=dumb"
	echo "export OVL_KERNEL=$(q "$kernel") OVL_MODROOT=$(q "$modroot")"
	for v in ${OVL_VM_ENV:-}; do
		case $v in
		*[!A-Za-z0-9_]*|[0-9]*) echo "$0: bad name in OVL_VM_ENV: $v" >&2; exit 2 ;;
		esac
		eval "set_=\${$v+x}"
		[ -n "$set_" ] || continue
		val='' && eval "val=\$$v"
		echo "export $v=$(q "$val")"
	done
	echo "cd $(q "$(pwd)") || exit 125"
	printf 'exec'
	for a in "$@"; do printf ' %s' "$(q "$a")"; done
	echo
} > "$job"

nonce=$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
append="console=ttyS0 quiet loglevel=3 panic=-1 mitigations=off"
append="$append ovl.job=$job ovl.modroot=$modroot ovl.nonce=$nonce"
# Debug kernel: a WARN (and KASAN) panics so that no bug goes by unseen,
# and warnings (level 4, shown from loglevel=5) reach the console so the
# panic's cause is shown;
# acpi=noirq: QEMU's ACPI IRQ routing stalls this kernel's boot;
# no_timer_check: on a loaded host TCG fails the IO-APIC timer check.
# la57=off: with 5-level paging KASAN's address checks read the LA57
# feature bit, which identify_cpu() clears while it re-reads CPUID at
# boot; an interrupt in that window was reported as a wild-memory-access
# in handle_edge_irq (3 boots of ~10 here panicked so, before any module).
# KCSAN kernel: the same without panic_on_warn, which KCSAN honours for
# each data-race report (kernel/kcsan/report.c): one in the core kernel
# would end the run, and vm-selftests.sh judges the reports instead; a
# log buffer that holds them all.
cpu=max
case $kernel in
debug)
	append="$append panic_on_warn=1 loglevel=5 acpi=noirq no_timer_check"
	cpu=max,la57=off
	;;
kcsan)
	append="$append loglevel=5 acpi=noirq no_timer_check log_buf_len=16M"
	;;
esac
# OVL_VM_CPU: another -cpu model (make bench: max,erms=off,fsrm=off).
cpu=${OVL_VM_CPU:-$cpu}
# OVL_VM_ICOUNT: the guest's clock advances by the instructions it runs
# (-icount), which needs single-threaded TCG: the vCPUs take turns.
accel="-accel tcg,thread=multi"
if [ -n "${OVL_VM_ICOUNT:-}" ]; then
	case $OVL_VM_ICOUNT in
	*[!a-z0-9=,]*) echo "$0: bad OVL_VM_ICOUNT: $OVL_VM_ICOUNT" >&2; exit 2 ;;
	esac
	accel="-accel tcg,thread=single -icount $OVL_VM_ICOUNT"
fi

# qboot (qemu-system-data) boots the kernel directly: measured ~25% faster
# to the shell than the default SeaBIOS under TCG.
bios=
[ -f /usr/share/qemu/qboot.rom ] && bios="-bios /usr/share/qemu/qboot.rom"

# boot: one QEMU run; its results go to $state (qemu: QEMU's status, ready:
# the job started, rc: the job's status, panic: a panic line).
boot() {
	start=$(date +%s.%N)
	rm -f "$state/qemu" "$state/ready" "$state/rc" "$state/panic"
	# The filter prints CMD's output as it comes, hides the markers, and records
	# the exit status; QEMU's own status tells a timeout (124) from the rest.
	{
		set +e
		# shellcheck disable=SC2086 # $accel and $bios are words
		timeout -k 10 "$limit" qemu-system-x86_64 \
			$accel -cpu "$cpu" -smp "$smp" -m "$mem" \
			$bios -nodefaults -display none -serial stdio -no-reboot \
			-kernel "$vmlinuz" -initrd "$initrd" -append "$append" \
			-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
			-pidfile "$state/qemu.pid" < /dev/null 2>&1
		echo $? 2>/dev/null > "$state/qemu"
	} | awk -W interactive -v nonce="$nonce" -v start="$start" -v state="$state" \
		-v label="$kernel ($abi)" '
		{ sub(/\r$/, "") }
		$0 == "@@OVL-VM-READY " nonce "@@" {
			"date +%s.%N" | getline now
			printf "vm: %s up in %.1f s\n", label, now - start > "/dev/stderr"
			fflush("/dev/stderr")
			print "" > (state "/ready")
			next
		}
		index($0, "@@OVL-VM-EXIT " nonce " ") == 1 {
			rc = $3; sub(/@@$/, "", rc)
			print rc > (state "/rc")
			done = 1
			next
		}
		done { next # what follows the marker is the kernel powering off
		}
		/Kernel panic/ { print > (state "/panic") }
		{ print; fflush() }
	' &
	# In the background so that a signal runs the trap now, not when QEMU ends.
	wait $! || true
}

# A kernel that panics before the job starts ran nothing of ours (the
# debug kernel's early KASAN report did so before la57=off, above).  Boot
# once more then, and say so; a panic once the job has started is the
# test's, never retried.
boot
if [ -s "$state/panic" ] && [ ! -e "$state/ready" ]; then
	echo "vm: $kernel ($abi): panic during boot, before the job started: $(head -n 1 "$state/panic"); booting again" >&2
	boot
fi

qrc=$(cat "$state/qemu" 2>/dev/null || echo "?")
if [ -s "$state/rc" ]; then
	exit "$(cat "$state/rc")"
elif [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "vm: $kernel ($abi): TIMEOUT after $limit s" >&2
	exit 124
elif [ -s "$state/panic" ]; then
	echo "vm: $kernel ($abi): KERNEL PANIC: $(head -n 1 "$state/panic")" >&2
	exit 125
else
	echo "vm: $kernel ($abi): VM stopped without an exit status (qemu exit $qrc)" >&2
	exit 125
fi
