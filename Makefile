# SPDX-License-Identifier: GPL-2.0
#
# make            build ovl.ko (against KDIR, see below) and the tools
# make check      install what is missing, run the whole test suite in VMs
#                 on each of KERNELS
# make check-debug  the same on a debug (KASAN, lockdep, kmemleak) kernel
# make check-kcsan  the same on a KCSAN (data-race detector) kernel
# make demo       a Flannel network run by ovl-agent, in a VM (HOST=1: here;
#                 DEMO=manual: programmed by hand)
# make bench      ovl vs vxlan vs veth, in a VM
# make soak       DURATION seconds (default 600) of concurrent churn on the
#                 debug kernel (KERNEL=kcsan: the KCSAN one), in a VM
# make install    install the tools (PREFIX, DESTDIR)
# make deb        Debian packages: ovl-dkms, ovl-tools, ovl-modules-ABI

# Which kernel to build ovl.ko for.  KDIR=DIR: those headers, used as they
# are.  KERNEL=SERIES (5.10, 6.1, 6.1-rt, 6.12, 7.2): that kernel's headers
# in ~/.cache/ovl (make deps KERNELS=SERIES fetches them), built where its
# compiler is (tools/vm/kbuild.sh: a chroot for another Debian release).
# Neither: the running kernel's headers if this machine has them, else
# the cached 6.1 kernel's.  `make module` says which, in one line.
ifneq ($(KERNEL),)
KDIR	:= $(shell sh tools/vm/kernel-kdir.sh $(KERNEL) 2>/dev/null)
KBUILD_RUN := sh tools/vm/kbuild.sh -b $(CURDIR) $(KERNEL)
KDIR_WHY := kernel $(KERNEL) from ~/.cache/ovl, $(shell sh tools/vm/kbuild.sh --describe $(KERNEL) 2>/dev/null)
else ifeq ($(origin KDIR),undefined)
KDIR	:= $(wildcard /lib/modules/$(shell uname -r)/build)
KDIR_WHY := the running kernel's headers
ifeq ($(KDIR),)
KDIR	:= $(shell sh tools/vm/kernel-kdir.sh 6.1 2>/dev/null)
KDIR_WHY := no headers for the running kernel $(shell uname -r) here: the 6.1 kernel of ~/.cache/ovl (KERNEL=SERIES or KDIR=DIR for another)
endif
else
KDIR_WHY := KDIR
endif
PWD	:= $(shell pwd)
PREFIX	?= /usr
DESTDIR	?=

# Kernels the suite runs on (tools/vm/kernels.sh).  KERNELS="6.1 7.2"
# narrows make deps, make check, make sparse to those.
KERNELS	?= 5.10 6.1 6.1-rt 6.12 7.2
# The one kernel make demo boots.
DEMO_KERNEL ?= 6.1

all: module tools

module: kdir compat-generated.h
	$(KBUILD_RUN) $(MAKE) -C $(KDIR) M=$(PWD) modules

# One line on what the module is built against; none at all is an error
# that says how to get some.
kdir:
	@if [ -n "$(KERNEL)" ] && [ -z "$(KDIR)" ]; then \
		sh tools/vm/kernel-kdir.sh $(KERNEL); \
		exit 1; \
	elif [ -z "$(KDIR)" ] || [ ! -f "$(KDIR)/Makefile" ]; then \
		echo "ovl: no kernel headers to build against: this machine has none for the running kernel $$(uname -r)."; \
		echo "ovl: 'make deps KERNELS=6.1' fetches Debian's 6.1 kernel and headers into ~/.cache/ovl (nothing is installed), then 'make' builds for it;"; \
		echo "ovl: or KDIR=/path/to/headers, or KERNEL=SERIES ($(KERNELS))."; \
		exit 1; \
	fi >&2
	@echo "ovl: building ovl.ko against $(KDIR) ($(KDIR_WHY))"
	@[ -e /proc/modules ] || echo "ovl: this machine cannot load modules (no /proc/modules): ovl.ko is for a VM (tools/vm/run.sh)"

# Kernel-API differences are probed from the headers of KDIR, never by
# version number: Debian backports APIs into its stable kernels.
compat-generated.h: drivers/net/ovl/compat-probe.sh kdir FORCE
	@sh drivers/net/ovl/compat-probe.sh $(KDIR) > $@.tmp || { rm -f $@.tmp; exit 1; }
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

tools:
	$(MAKE) -C tools/ovlctl
	$(MAKE) -C tools/iproute2
	$(MAKE) -C tools/agent
	$(MAKE) -C tools/fuzz

deps:
	sh tools/deps.sh $(KERNELS)

# The host is recorded before make deps: check.sh's last case compares it.
check:
	@st=$$(mktemp) && sh tools/vm/host-state.sh save $$st && \
	sh tools/deps.sh $(KERNELS) && \
	OVL_HOST_STATE=$$st sh tools/vm/check.sh $(KERNELS); \
	rc=$$?; rm -f $$st; exit $$rc

# The suite on a KASAN/lockdep/kmemleak 6.1 kernel (built once, cached).
# OVL_SELFTESTS="two-hosts fdb ..." runs only those scripts.
check-debug:
	sh tools/deps.sh --no-kernels
	sh tools/vm/check.sh --debug

# The suite on a KCSAN 6.1 kernel (built once, cached), in one 2-vCPU VM.
check-kcsan:
	sh tools/deps.sh --no-kernels
	sh tools/vm/check.sh --kcsan

check-native: tools
	sh selftests/native/run.sh

# Only the kernel the demo boots is fetched.
demo:
	sh tools/deps.sh $(DEMO_KERNEL)
	OVL_DEMO_KERNEL=$(DEMO_KERNEL) OVL_DEMO=$(or $(DEMO),agent) sh tools/demo.sh $(if $(HOST),--host)

bench:
	sh tools/deps.sh $(or $(KERNEL),6.1)
	sh tools/bench/bench.sh $(BENCH_ARGS)

# selftests/soak.sh for DURATION seconds on a checker kernel (built once,
# cached); its log in ~/.cache/ovl/logs/soak-KERNEL.log.
soak:
	sh tools/deps.sh --no-kernels
	sh tools/vm/soak.sh $(or $(DURATION),600) $(or $(KERNEL),debug)

# Without KDIR or KERNEL: for each of KERNELS, in ~/.cache/ovl/build.
ifneq ($(filter command line environment,$(origin KDIR))$(KERNEL),)
sparse: kdir compat-generated.h
	$(KBUILD_RUN) $(MAKE) -C $(KDIR) M=$(PWD) C=2 CF="-D__CHECK_ENDIAN__" modules
else
sparse:
	sh tools/sparse.sh $(KERNELS)
endif

checkpatch:
	sh tools/checkpatch.sh

# ovl-dkms, ovl-tools (+ ovl-modules-ABI per DEB_KERNELS) .debs
deb:
	sh tools/packaging/build-debs.sh $(addprefix -k ,$(DEB_KERNELS)) $(DEBDIR)

check-packages: deps
	bash tools/packaging/test-packages.sh

install: tools
	$(MAKE) -C tools/ovlctl install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	$(MAKE) -C tools/iproute2 install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	$(MAKE) -C tools/agent install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean 2>/dev/null || true
	rm -f compat-generated.h
	$(MAKE) -C tools/ovlctl clean
	$(MAKE) -C tools/iproute2 clean
	$(MAKE) -C tools/agent clean
	$(MAKE) -C tools/fuzz clean

.PHONY: all kdir module tools deps deb check check-debug check-kcsan check-native check-packages demo bench soak sparse checkpatch install clean FORCE
