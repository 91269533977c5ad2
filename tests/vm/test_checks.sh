#!/bin/bash
# The checks of lib/checks.sh fail when they must (inside the VM:
# tests/vm/vm-run test_checks.sh).  Without SAs a marker crosses the link in
# plaintext: wire_check, wire_leaks and xfrm_esp_check must all fail on it.
# With the SAs but traffic in one direction only, xfrm_esp_check must fail
# because one SA's byte counter did not move; with traffic both ways it
# passes, unless asked for another mode or more SAs.  Each check runs in a subshell
# (fail exits); "refute" wants it to fail, "confirm" to pass.
. "$(dirname "$(readlink -f "$0")")/lib/checks.sh"
. "$IKE_VM_DIR/lib/netns.sh"
vm_require_guest

refute() {
	if ("$@") > "$OUT/refute.txt" 2>&1; then
		cat "$OUT/refute.txt"
		fail "'$*' passed, it must fail"
	fi
	info "fails as it must: $*"
	{ grep -m1 '^FAIL' "$OUT/refute.txt" || head -n1 "$OUT/refute.txt"; } |
	    sed 's/^/        /'
}
confirm() {
	("$@") > "$OUT/confirm.txt" 2>&1 || {
		cat "$OUT/confirm.txt"
		fail "'$*' failed, it must pass"
	}
	info "passes as it must: $*"
}

rnd=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
MARK="IKE-VM-MARKER-$rnd"

step "no SAs: a marker in plaintext"
netns_pair_up || fail "netns_pair_up"
capture_start left eth0 plain -Q out
send_msg left right tcp "$RIGHT_LAN_IP" 5001 "$MARK" ||
    fail "plaintext TCP to $RIGHT_LAN_IP did not arrive"
capture_stop
refute wire_check plain "$MARK"
refute wire_leaks plain "net $LEFT_NET or net $RIGHT_NET"
refute control_seen plain "IKE-VM-NEVER-SENT-$rnd"
confirm control_seen plain "$MARK"
refute xfrm_esp_check left 2

step "SAs, one direction only: the reverse SA does not move"
for side in left right; do
	xfrm_manual_tunnel $side $side "$LEFT_IP" "$RIGHT_IP" \
	    "$LEFT_NET" "$RIGHT_NET" || fail "SAs and policies in $side"
done
refute xfrm_esp_check left 2
# A datagram to a listener: no answer, not even ICMP, comes back.
send_msg left right udp "$RIGHT_LAN_IP" 5009 "$MARK" ||
    fail "UDP left -> $RIGHT_LAN_IP did not arrive"
refute xfrm_esp_check left 2
if ! grep -q 'spi 0x00001001.* [1-9][0-9]* bytes' "$OUT/refute.txt" ||
    ! grep -q 'spi 0x00001002.* 0 bytes' "$OUT/refute.txt"; then
	fail "xfrm_esp_check failed for the wrong reason"
fi
refute xfrm_esp_check right 2

step "SAs, both directions: every SA moved"
send_msg right left udp "$LEFT_LAN_IP" 5010 "$MARK" ||
    fail "UDP right -> $LEFT_LAN_IP did not arrive"
confirm xfrm_esp_check left 2 tunnel
confirm xfrm_esp_check right 2
refute xfrm_esp_check left 2 transport
refute xfrm_esp_check left 3
netns_pair_down
pass "the checks fail on plaintext and on an unused SA"
