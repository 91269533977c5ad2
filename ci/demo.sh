#!/usr/bin/env bash
# The main job: sets everything up and runs it.  Installs the Debian
# packages, builds, and brings up an IKEv2 tunnel between two gateways,
# each an isakmpd in its own network namespace joined by a veth pair:
# definitions loaded with ikedb (the right side imports the left side's
# file with `ikedb -ps`), `ike cmd=activate` on the left, both sides'
# `ike cmd=list`, the left's `verbose` listing, then `ike cmd=remove all`.
#
# The daemons run on the in-memory platform backend (-K mem): IKE is
# negotiated for real over UDP between the namespaces, and the SAs the
# daemons would install are kept in memory.  Installing them in the
# kernel (-K linux) and sending traffic through them is the next step.
# Everything lives in IKE_DEMO_DIR (default /tmp/ike-demo) and in two
# namespaces removed at the end; /var/lib/ike and /etc are left alone.
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
bin=$top/build/demo/bin

demo=${IKE_DEMO_DIR:-/tmp/ike-demo}
tag=ikedemo$$
rm -rf "$demo"
mkdir -p "$demo"

say() { printf '\n\033[1m%s$ %s\033[0m\n' "$1" "$2"; }
# side NAME CMD...: runs CMD in that gateway's namespace with its paths.
side() {
	local s=$1
	shift
	ip netns exec "$tag-$s" env IKE_DB="$demo/$s/db" \
	    IKE_SOCKET="$demo/$s/isakmpd.sock" IKE_CONF="$demo/$s/isakmpd.conf" "$@"
}
run() { say "$1" "${*:2}"; side "$@"; }

pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	ip netns del "$tag-left" 2>/dev/null || true
	ip netns del "$tag-right" 2>/dev/null || true
}
trap cleanup EXIT

ip netns add "$tag-left"
ip netns add "$tag-right"
ip link add "$tag-l" netns "$tag-left" type veth peer name "$tag-r" netns "$tag-right"
ip -n "$tag-left" addr add 192.0.2.1/24 dev "$tag-l"
ip -n "$tag-right" addr add 192.0.2.2/24 dev "$tag-r"
for s in left right; do
	ip -n "$tag-$s" link set lo up
	mkdir -p "$demo/$s"
	printf 'log_level=events\n' > "$demo/$s/isakmpd.conf"
done
ip -n "$tag-left" link set "$tag-l" up
ip -n "$tag-right" link set "$tag-r" up

run left "$bin/ikedb" -p examples/demo/gateway-left.xml
run right "$bin/ikedb" -ps examples/demo/gateway-left.xml
run left "$bin/ike" cmd=list db
run right "$bin/ike" cmd=list db

for s in left right; do
	say "$s" "isakmpd -d -K mem &"
	side "$s" "$bin/isakmpd" -d -K mem 2> "$demo/$s/isakmpd.log" &
	pids+=($!)
done
for s in left right; do
	for _ in $(seq 50); do [ -S "$demo/$s/isakmpd.sock" ] && break; sleep 0.1; done
done

run left "$bin/ike" cmd=activate phase=2 numlist=1
up=no
for _ in $(seq 50); do
	if side left "$bin/ike" cmd=list phase=2 | grep -q '^2 .*Active'; then
		up=yes
		break
	fi
	sleep 0.2
done
run left "$bin/ike" cmd=list
run right "$bin/ike" cmd=list
run left "$bin/ike" cmd=list verbose
if [ "$up" != yes ]; then
	echo "demo: the tunnel did not come up; the daemons' logs:" >&2
	cat "$demo/left/isakmpd.log" "$demo/right/isakmpd.log" >&2
	exit 1
fi
run left "$bin/ike" cmd=remove all
sleep 1
run left "$bin/ike" cmd=list
run right "$bin/ike" cmd=list
echo
echo "demo: the tunnel came up and went down again; databases and logs are in $demo"
