#!/usr/bin/env bash
# The main job: sets everything up and runs it.  Installs the Debian
# packages, builds, and brings up a real IKEv2 tunnel: two gateways, each
# an isakmpd -K linux in its own network namespace with a host behind
# it, definitions loaded with ikedb, `ike cmd=activate`, ping and TCP
# between the hosts with a capture of the link showing only ESP, then
# `ike cmd=list verbose`, the kernel's SAs and `ike cmd=remove all`
# (ci/demo-tunnel.sh).
#
# Where this machine's kernel can do ESP the demo runs here; where it
# cannot (no CONFIG_INET_ESP, as on the build machines this project is
# developed on), it runs inside a QEMU VM that boots Debian's stock
# kernel over this machine's root filesystem (tests/vm/vm-run, which
# installs qemu and downloads the kernel package the first time).  It
# says which.  Logs, captures and databases go to IKE_DEMO_DIR (default
# /tmp/ike-demo); /var/lib/ike and /etc are left alone.  Run as root.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

bash ci/install-deps.sh
mkdir -p build
echo "demo: building (log in build/demo.log)"
if ! bash ci/build.sh build/demo -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DBUILD_TESTING=OFF > build/demo.log 2>&1; then
	tail -40 build/demo.log
	exit 1
fi
export IKE_BIN_DIR=$top/build/demo/bin
demo=${IKE_DEMO_DIR:-/tmp/ike-demo}
rm -rf "$demo"
mkdir -p "$demo"

. tests/vm/lib/checks.sh
if probe=$(kernel_ipsec_probe 2>&1); then
	echo "demo: $probe"
	echo "demo: this kernel ($(uname -r)) has ESP: the tunnel runs here"
	IKE_VM_OUT=$demo exec bash ci/demo-tunnel.sh
fi
echo "demo: this kernel ($(uname -r)) cannot carry the tunnel:"
echo "$probe" | sed 's/^/demo:   /'
echo "demo: running it inside a VM with Debian's stock kernel (tests/vm/vm-run)"
tests/vm/vm-run --prepare
exec tests/vm/vm-run --timeout 600 --out "$demo" ci/demo-tunnel.sh
