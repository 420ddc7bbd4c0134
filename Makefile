# SPDX-License-Identifier: GPL-2.0
#
# make            build ovl.ko (against KDIR) and the tools
# make check      install what is missing, run the whole test suite in VMs
# make check-debug  the same on a debug (KASAN, lockdep, kmemleak) kernel
# make demo       the Flannel-style overlay scenario, in a VM (HOST=1: here)
# make bench      ovl vs vxlan vs veth, in a VM
# make install    install the tools (PREFIX, DESTDIR)
# make deb        Debian packages: ovl-dkms, ovl-tools, ovl-modules-ABI

# The running kernel's headers; where it has none (a build machine, a
# container), the newest installed ones.
KDIR	?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		$(lastword $(sort $(wildcard /lib/modules/*/build))))
PWD	:= $(shell pwd)
PREFIX	?= /usr
DESTDIR	?=

# Kernels the suite runs on: Debian bookworm 6.1 and bookworm-backports 6.12.
KERNELS	?= 6.1 6.12

all: module tools

module: compat-generated.h
	$(MAKE) -C $(KDIR) M=$(PWD) modules

# Kernel-API differences are probed from the headers of KDIR, never by
# version number: Debian backports APIs into its stable kernels.
compat-generated.h: drivers/net/ovl/compat-probe.sh FORCE
	@sh drivers/net/ovl/compat-probe.sh $(KDIR) > $@.tmp || { rm -f $@.tmp; exit 1; }
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

tools:
	$(MAKE) -C tools/ovlctl
	$(MAKE) -C tools/iproute2
	$(MAKE) -C tools/agent
	$(MAKE) -C tools/fuzz

deps:
	sh tools/deps.sh

check: deps
	sh tools/vm/check.sh $(KERNELS)

# The suite on a KASAN/lockdep/kmemleak 6.1 kernel (built once, cached).
# OVL_SELFTESTS="two-hosts fdb ..." runs only those scripts.
check-debug: deps
	sh tools/vm/check.sh --debug

check-native: tools
	sh selftests/native/run.sh

demo: deps
	sh tools/demo.sh $(if $(HOST),--host)

bench: deps
	sh tools/bench/bench.sh $(BENCH_ARGS)

sparse: compat-generated.h
	$(MAKE) -C $(KDIR) M=$(PWD) C=2 CF="-D__CHECK_ENDIAN__" modules

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

.PHONY: all module tools deps deb check check-debug check-native check-packages demo bench sparse checkpatch install clean FORCE
