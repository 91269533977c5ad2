#!/bin/bash
# Real-kernel test 3: rekeying under load.  Two isakmpd (-K linux)
# gateways with hosts behind them; the definitions give the Child SA a
# lifetime of one minute (ESP_KeyRefreshMinutes=1; IPSec_KeyOverlap=5 is
# cut to four fifths of it, so the proposer rekeys after 12 s) and the
# IKE SA five minutes with IKE_KeyOverlap=4 (rekeyed after one minute).
# A ping every 0.2 s runs between the hosts for 75 s.  Passes only if:
#  - the daemons' logs show at least three Child SA rekeys and one IKE
#    SA rekey, and the kernel's outbound SPI changed at least three times;
#  - the ping lost at most one packet per rekey;
#  - the tunnel is still Active on both sides with one SA pair each (the
#    replaced SAs are gone) and, after SIGTERM, nothing is left.
. "$IKE_VM_DIR/lib/checks.sh"
. "$IKE_VM_DIR/lib/netns.sh"
. "$IKE_VM_DIR/lib/ike.sh"
. "$IKE_VM_DIR/lib/defs.sh"
vm_require_guest
export ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=1
SECS=75

kernel_ipsec_probe || fail "the VM kernel lacks IPsec support"
netns_pair_up --hosts || fail "netns_pair_up --hosts"
defs_gateway "$OUT/rk.xml" rk "$LEFT_IP" "$RIGHT_IP" "$LEFT_NET" \
    "$RIGHT_NET" esp_min=1 ike_min=5 ike_overlap=4 p2_overlap=5 ||
    fail "definitions"
ike_load left "$OUT/rk.xml" || fail "ikedb -p in left"
ike_load right "$OUT/rk.xml" -s || fail "ikedb -ps in right"
ike_gw_start left
ike_gw_start right
ike_up phase=2 numlist=1

step "ping every 0.2 s for $SECS s while the SAs are rekeyed"
out_spi() {
	ip -n left xfrm state list src "$LEFT_IP" dst "$RIGHT_IP" |
	    awk '$1 == "proto" { print $4 }' | sort | tr '\n' ' '
}
ip netns exec left-host busybox ping -i 0.2 -w $SECS -W 1 "$RIGHT_HOST_IP" \
    > "$OUT/ping.txt" 2>&1 &
PING=$!
: > "$OUT/spis.txt"
end=$(($(date +%s) + SECS))
while [ "$(date +%s)" -lt "$end" ]; do
	out_spi >> "$OUT/spis.txt"
	echo >> "$OUT/spis.txt"
	sleep 1
done
wait $PING
tail -3 "$OUT/ping.txt"

step "what happened"
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$OUT/ping.txt")
got=$(sed -n 's/.* \([0-9]*\) packets received.*/\1/p' "$OUT/ping.txt")
[ -n "$sent" ] && [ -n "$got" ] || fail "no ping summary: $(cat "$OUT/ping.txt")"
child=$(cat "$OUT/isakmpd-left.log" "$OUT/isakmpd-right.log" |
    grep -c 'phase-2 tunnel [0-9]* rekeyed')
ike=$(cat "$OUT/isakmpd-left.log" "$OUT/isakmpd-right.log" |
    grep -c 'IKE SA rekeyed')
spis=$(tr ' ' '\n' < "$OUT/spis.txt" | grep -c . )
distinct=$(tr ' ' '\n' < "$OUT/spis.txt" | grep . | sort -u | wc -l)
info "ping: $sent sent, $got received; rekeys logged by both sides:" \
    "Child SA $child, IKE SA $ike; outbound SPIs seen: $distinct"
# each rekey is logged by both daemons
child=$((child / 2)) ike=$((ike / 2))
[ "$child" -ge 3 ] || fail "fewer than three Child SA rekeys"
[ "$ike" -ge 1 ] || fail "no IKE SA rekey"
[ "$distinct" -ge 4 ] || fail "the outbound SPI changed fewer than three times"
lost=$((sent - got))
allowed=$((child + ike))
[ "$lost" -le "$allowed" ] ||
    fail "$lost packets lost across $child Child SA and $ike IKE SA rekeys"
info "$lost packets lost (at most $allowed allowed)"

step "afterwards: one SA pair each side, still Active"
for ns in left right; do
	ike_wait $ns 2 Active 5 || { ike_dump left right; fail "$ns: not Active"; }
	ike_wait $ns 1 Active 5 || { ike_dump left right; fail "$ns: phase 1 not Active"; }
done
# a replaced Child SA is deleted right after its successor is installed
wait_until 15 sh -c "[ \$(ip -n left xfrm state | grep -c '^src') = 2 ]" ||
    { ip -n left xfrm state; fail "left: replaced SAs left behind"; }
wait_until 15 sh -c "[ \$(ip -n right xfrm state | grep -c '^src') = 2 ]" ||
    { ip -n right xfrm state; fail "right: replaced SAs left behind"; }
ike_gw_stop left
ike_gw_stop right
for ns in left right; do
	[ "$(own_state $ns)" = 0 ] || fail "$ns: kernel state left behind"
done
pass "rekeys under load: $child Child SA, $ike IKE SA, $lost packets lost"
