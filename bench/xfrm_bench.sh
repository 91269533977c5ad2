#!/bin/bash
# bench/xfrm_bench.sh: the cost of installing and removing Child SA pairs
# with their policies through the Linux backend (ike_xfrm_bench), against
# plain `ip xfrm` adds and deletes of the same SAs and policies in the
# same run.  Meant for the VM of tests/vm (its kernel has ESP and GCM):
#
#   IKE_BIN_DIR=$PWD/build-rel/bin tests/vm/vm-run --timeout 900 \
#       --out /tmp/xfrm-bench bench/xfrm_bench.sh [-n PAIRS] [-r ROUNDS] \
#       [-s SINGLE] [-p PEERS]
#
# Each of ROUNDS rounds (default 5) runs, one after the other:
#  1. ike_xfrm_bench -n PAIRS -p PEERS (defaults 2000 and 1) in a network
#     namespace of its own: per pair spi_alloc + sa_update (inbound),
#     sa_add (outbound), policies out/in/fwd; then the removals;
#  2. the same PAIRS through `ip -batch` in a fresh namespace (ip netns):
#     per pair two `xfrm state add` (ESP, rfc4106(gcm(aes)) with a 256-bit
#     key + salt and a 128-bit ICV, ESN, replay window 32, tunnel mode,
#     the same addresses, reqids and lifetimes; fixed SPIs where the
#     backend reserves one) and three `xfrm policy add`, from one
#     generated file, then the three `xfrm policy delete` and two `xfrm
#     state delete` from another.  Both batches are timed around the ip
#     process; the start-up of ip (an empty batch in the same namespace,
#     best of 5) is subtracted.  Between the batches the kernel must hold
#     2 x PAIRS states and PAIRS policies in each direction, and none
#     after.  Before them, a batch of 5 x PAIRS `xfrm state count` gives
#     what ip itself costs per command (it opens and closes a netlink
#     socket for each) with next to no kernel work.
# Then, once, the first SINGLE pairs (default 100, or PAIRS if fewer; 0:
# skipped) with one `ip` process per command, to show what process
# start-up costs.
#
# Prints each round's figures (us per pair) and the ratio backend / ip
# -batch, then the medians, also to $IKE_VM_OUT/xfrm_bench.txt.  Inside
# the VM the times are those of an emulated CPU (QEMU TCG): only the
# ratios mean something.  A benchmark, not a test; exit status 1 if
# anything failed (kernel without ESP: the backend's message).
. "${IKE_VM_DIR:-$(dirname "$(readlink -f "$0")")/../tests/vm}/lib/checks.sh"

PAIRS=2000
ROUNDS=5
SINGLE=
PEERS=1
usage() {
	[ $# = 0 ] || echo "$0: $*" >&2
	echo "usage: $0 [-n PAIRS] [-r ROUNDS] [-s SINGLE] [-p PEERS]" >&2
	exit 2
}
while getopts n:r:s:p: opt; do
	case $opt in
	n) PAIRS=$OPTARG ;;
	r) ROUNDS=$OPTARG ;;
	s) SINGLE=$OPTARG ;;
	p) PEERS=$OPTARG ;;
	*) usage ;;
	esac
done
[ $OPTIND -gt $# ] || usage "unexpected argument ${!OPTIND}"
[[ $PAIRS =~ ^[1-9][0-9]{0,6}$ ]] && [ "$PAIRS" -le 1000000 ] ||
	usage "-n $PAIRS: not a count from 1 to 1000000"
[[ $ROUNDS =~ ^[1-9][0-9]?$ ]] || usage "-r $ROUNDS: not a count from 1 to 99"
[[ $PEERS =~ ^[1-9][0-9]{0,4}$ ]] && [ "$PEERS" -le 65535 ] ||
	usage "-p $PEERS: not a count from 1 to 65535"
[ -n "$SINGLE" ] || SINGLE=$((PAIRS < 100 ? PAIRS : 100))
[[ $SINGLE =~ ^[0-9]{1,7}$ ]] && [ "$SINGLE" -le "$PAIRS" ] ||
	usage "-s $SINGLE: not a count from 0 to PAIRS ($PAIRS)"
[ "$(id -u)" = 0 ] || fail "needs root (network namespaces, XFRM)"
[ -n "${IKE_BIN_DIR:-}" ] || fail "IKE_BIN_DIR is not set: a build's bin/"
BENCH=$IKE_BIN_DIR/ike_xfrm_bench
[ -x "$BENCH" ] || fail "no $BENCH (cmake --build ... --target ike_xfrm_bench)"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/xfrm-bench.XXXXXX") || fail "mktemp"
NS=ike-xfrm-bench-$$
trap 'ip netns del $NS 2> /dev/null; rm -rf "$WORK"' EXIT
KEEP=${IKE_VM_OUT:-$WORK}	# the outputs: vm-run's --out, or nowhere

# now_us: wall clock in microseconds (bash's own, no process).
now_us() { echo "${EPOCHREALTIME/[.,]/}"; }

# gen_batches N: $WORK/add.batch and $WORK/del.batch for pairs 0..N-1,
# the addresses, SPIs, reqids (the backend's kernel reqid 0x49000000 +
# i + 1), peer and lifetimes of ike_xfrm_bench's pair i; $WORK/noop.batch, 5
# `xfrm state count` per pair: ip's own cost per command (parsing, a
# netlink socket opened and closed, one trivial request, a line out).
gen_batches() {
	awk -v n="$1" -v add="$WORK/add.batch" -v del="$WORK/del.batch" \
	    -v noop="$WORK/noop.batch" -v peers="$PEERS" '
	function ip4(a) {
		return sprintf("%d.%d.%d.%d", int(a / 16777216) % 256,
		    int(a / 65536) % 256, int(a / 256) % 256, a % 256)
	}
	BEGIN {
		L = "192.0.2.1"
		key = "0x"
		for (j = 0; j < 36; j++)
			key = key sprintf("%02x", (j * 7 + 1) % 256)
		sa = " proto esp spi %s reqid %d mode tunnel replay-window 32" \
		    " flag esn aead rfc4106(gcm(aes)) " key " 128" \
		    " limit time-soft 25920 limit time-hard 28800\n"
		for (i = 0; i < n; i++) {
			# 192.0.2.2, or 198.18.0.1 + i % peers
			R = peers == 1 ? "192.0.2.2" : ip4(3323068417 + i % peers)
			h = ip4(167772160 + i) "/32"	# 10.0.0.0 + i
			t = ip4(2886729728 + i) "/32"	# 172.16.0.0 + i
			req = 1224736768 + i + 1
			si = sprintf("0x%08x", 536870912 + i)
			so = sprintf("0x%08x", 268435456 + i)
			printf("xfrm state add src %s dst %s" sa, R, L, si, req) > add
			printf("xfrm state add src %s dst %s" sa, L, R, so, req) > add
			tmpl = " tmpl src %s dst %s proto esp reqid %d mode tunnel\n"
			printf("xfrm policy add src %s dst %s dir out" tmpl,
			    h, t, L, R, req) > add
			printf("xfrm policy add src %s dst %s dir in" tmpl,
			    t, h, R, L, req) > add
			printf("xfrm policy add src %s dst %s dir fwd" tmpl,
			    t, h, R, L, req) > add
			printf("xfrm policy delete src %s dst %s dir out\n",
			    h, t) > del
			printf("xfrm policy delete src %s dst %s dir in\n",
			    t, h) > del
			printf("xfrm policy delete src %s dst %s dir fwd\n",
			    t, h) > del
			printf("xfrm state delete src %s dst %s proto esp spi %s\n",
			    L, R, so) > del
			printf("xfrm state delete src %s dst %s proto esp spi %s\n",
			    R, L, si) > del
			for (j = 0; j < 5; j++)
				print "xfrm state count" > noop
		}
	}' || fail "cannot write the ip batches"
}

# counts_are STATES POLICIES: the kernel in $NS holds STATES states and
# POLICIES policies in each of in, out, fwd.
counts_are() {
	local sad spd
	sad=$(ip -n "$NS" xfrm state count | awk '{ print $3 }')
	spd=$(ip -n "$NS" xfrm policy count | awk '{ print $3, $5, $7 }')
	[ "$sad" = "$1" ] && [ "$spd" = "$2 $2 $2" ] || {
		info "kernel holds $sad states and in/out/fwd policies $spd," \
		    "expected $1 and $2 each"
		return 1
	}
}

# ip_startup_us: the best of 5 runs of an empty batch in $NS.
ip_startup_us() {
	local t0 t best=
	: > "$WORK/empty.batch"
	for _ in 1 2 3 4 5; do
		t0=$(now_us)
		ip -n "$NS" -batch "$WORK/empty.batch" || return 1
		t=$(($(now_us) - t0))
		[ -n "$best" ] && [ "$best" -le "$t" ] || best=$t
	done
	echo "$best"
}

# timed_batch FILE: runs FILE with one ip in $NS; prints its microseconds.
timed_batch() {
	local t0 rc
	t0=$(now_us)
	ip -n "$NS" -batch "$1" > "$WORK/ip.err" 2>&1
	rc=$?
	[ $rc = 0 ] || { cat "$WORK/ip.err" >&2; return 1; }
	echo $(($(now_us) - t0))
}

# per_pair US: microseconds per pair, one decimal.
per_pair() { awk -v t="$1" -v n="$PAIRS" 'BEGIN { printf "%.1f", t / n }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# ip_round: sets IP_ADD_US, IP_DEL_US and IP_NOOP_US (per pair, start-up
# subtracted) and IP_START_US.
ip_round() {
	local add del noop
	ip netns add "$NS" || fail "ip netns add $NS"
	IP_START_US=$(ip_startup_us) || fail "ip -batch (empty) in $NS"
	noop=$(timed_batch "$WORK/noop.batch") || fail "ip -batch: counts"
	add=$(timed_batch "$WORK/add.batch") || fail "ip -batch: adds"
	counts_are $((2 * PAIRS)) "$PAIRS" || fail "ip -batch: adds incomplete"
	del=$(timed_batch "$WORK/del.batch") || fail "ip -batch: deletes"
	counts_are 0 0 || fail "ip -batch: deletes left state behind"
	ip netns del "$NS" || fail "ip netns del $NS"
	IP_ADD_US=$(per_pair $((add - IP_START_US)))
	IP_DEL_US=$(per_pair $((del - IP_START_US)))
	IP_NOOP_US=$(per_pair $((noop - IP_START_US)))
}

# bench_round R: sets B_ADD_US and B_DEL_US from ike_xfrm_bench.
bench_round() {
	local out=$KEEP/ike_xfrm_bench.$1.txt res
	"$BENCH" -n "$PAIRS" -p "$PEERS" > "$out" || {
		cat "$out"
		fail "ike_xfrm_bench -n $PAIRS failed (round $1)"
	}
	[ "$1" != 1 ] || sed -n '1,3p' "$out"
	sed -n '4,$p' "$out" | grep -v '^result'
	res=$(grep '^result ' "$out") || fail "ike_xfrm_bench: no result line"
	B_ADD_US=$(echo "$res" | sed -n 's/.* install_us=\([0-9.]*\).*/\1/p')
	B_DEL_US=$(echo "$res" | sed -n 's/.* remove_us=\([0-9.]*\).*/\1/p')
	[ -n "$B_ADD_US" ] && [ -n "$B_DEL_US" ] ||
		fail "ike_xfrm_bench: bad result line: $res"
}

# single_processes N: pairs 0..N-1 with one ip process per command;
# sets SINGLE_ADD_US and SINGLE_DEL_US (per pair).
single_processes() {
	local n=$1 t0 add del line
	ip netns add "$NS" || fail "ip netns add $NS"
	head -n $((5 * n)) "$WORK/add.batch" > "$WORK/add1.batch"
	head -n $((5 * n)) "$WORK/del.batch" > "$WORK/del1.batch"
	t0=$(now_us)
	# shellcheck disable=SC2086 # a batch line is split into arguments
	while read -r line; do
		ip -n "$NS" $line || fail "ip -n $NS $line"
	done < "$WORK/add1.batch"
	add=$(($(now_us) - t0))
	counts_are $((2 * n)) "$n" || fail "single ip: adds incomplete"
	t0=$(now_us)
	# shellcheck disable=SC2086
	while read -r line; do
		ip -n "$NS" $line || fail "ip -n $NS $line"
	done < "$WORK/del1.batch"
	del=$(($(now_us) - t0))
	counts_are 0 0 || fail "single ip: deletes left state behind"
	ip netns del "$NS" || fail "ip netns del $NS"
	SINGLE_ADD_US=$(awk -v t="$add" -v n="$n" 'BEGIN { printf "%.1f", t / n }')
	SINGLE_DEL_US=$(awk -v t="$del" -v n="$n" 'BEGIN { printf "%.1f", t / n }')
}

# row: one line of the table.
row() {
	printf '%-6s %11s %11s %8s %8s %9s %9s %11s %13s\n' "$@"
}
# median: of the numbers on standard input, one a line.
median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2]
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

if [ -n "${IKE_VM_GUEST:-}" ]; then
	WHERE="inside tests/vm's QEMU VM, software emulation (TCG, no KVM), \
$(nproc) vCPU, kernel $(uname -r): the times are EMULATED, many times \
slower than on hardware; only the ratios, taken in the same run, mean \
anything"
else
	WHERE="on this machine's own kernel $(uname -r) (not the VM): native \
times, but still only relative (shared, loaded machine)"
fi

step "xfrm_bench: $PAIRS SA pairs, $PEERS peer(s), $ROUNDS rounds, $WHERE"
kernel_ipsec_probe || fail "this kernel lacks IPsec support"
gen_batches "$PAIRS"
RESULTS=$WORK/results
: > "$RESULTS"
for r in $(seq 1 "$ROUNDS"); do
	step "round $r: ike_xfrm_bench (linux backend)"
	bench_round "$r"
	step "round $r: ip -batch"
	ip_round
	info "ip -batch: install $IP_ADD_US us/pair, remove $IP_DEL_US us/pair," \
	    "5 x state count $IP_NOOP_US us/pair (ip start-up $IP_START_US us" \
	    "subtracted)"
	echo "$r $B_ADD_US $B_DEL_US $IP_ADD_US $IP_DEL_US" \
	    "$(ratio "$B_ADD_US" "$IP_ADD_US") $(ratio "$B_DEL_US" "$IP_DEL_US")" \
	    "$IP_NOOP_US" "$IP_START_US" >> "$RESULTS"
done
if [ "$SINGLE" -gt 0 ]; then
	step "one ip process per command, $SINGLE pairs"
	single_processes "$SINGLE"
fi

{
	echo "ike_xfrm_bench vs ip xfrm: $PAIRS SA pairs (2 ESP states +" \
	    "3 policies each) with $PEERS peer(s), microseconds per pair"
	echo "measured $WHERE."
	echo "ip: one \`ip -n NS -batch FILE\` per phase (add, delete);" \
	    "its start-up (empty batch, best of 5) subtracted."
	row round backend-add backend-del ip-add ip-del ratio-add ratio-del \
	    ip-5-counts ip-startup-us
	while read -r line; do
		row $line
	done < "$RESULTS"
	med=()
	for c in 2 3 4 5 6 7 8 9; do
		med+=("$(awk -v c=$c '{ print $c }' "$RESULTS" | median)")
	done
	row median "${med[@]}"
	if [ "$SINGLE" -gt 0 ]; then
		echo "one ip process per command ($SINGLE pairs, 5 processes" \
		    "per pair and phase): add $SINGLE_ADD_US us/pair," \
		    "delete $SINGLE_DEL_US us/pair"
	fi
	echo "ratio = backend / ip -batch (above 1: the backend is slower);" \
	    "ip-5-counts: 5 \`xfrm state count\` per pair, ip's cost per" \
	    "command without the kernel's SA and policy work"
} | tee "$KEEP/xfrm_bench.txt"
pass "xfrm_bench: $PAIRS pairs x $ROUNDS rounds"
