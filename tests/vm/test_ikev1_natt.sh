#!/bin/bash
# Real-kernel test of IKEv1 NAT traversal (RFC 3947, RFC 3948) driven by
# the daemon, as test_ike_natt.sh does for IKEv2: two isakmpd gateways
# (-K linux), left behind the NAT namespace (lib/netns.sh --nat --hosts:
# left 10.0.0.2 reaches right 198.51.100.2 as 198.51.100.1), FQDN
# identities and explicit addresses in the definitions (lib/defs.sh
# defs_v1; the right side knows the left one by its ID and the NAT's
# address, so Main Mode finds the key by address), NAT-T on
# (ENABLE_IPSEC_NAT_TRAVERSAL=YES) with a 2-second keepalive interval on
# both, Main Mode + Quick Mode activated on the left.  Passes only if:
#  - both daemons list the phase-1 and phase-2 tunnels Active, and
#    `ike cmd=list verbose` says IKE Version 1, "NAT: local" on the left
#    and "NAT: remote" on the right;
#  - the hosts behind the gateways ping each other and exchange a TCP
#    message with a random marker each way;
#  - every SA in `ip xfrm state` of both gateways has `encap type
#    espinudp` (4500 on both ends on the left) and moved its byte counter;
#  - on the NAT's public link the tunnel traffic is ESP in UDP port 4500
#    (non-zero SPI), there is no bare ESP, on port 500 only Main Mode
#    messages (the first four: the float to 4500 comes with message 5),
#    and the rest of the IKE traffic on 4500 behind the non-ESP marker;
#    neither marker in plaintext;
#  - keepalives (one-octet UDP datagrams 0xFF to port 4500) from the left
#    are on the wire within the interval, and none from the right (not
#    behind a NAT);
#  - `ike cmd=remove` on the left removes the kernel state on both
#    sides; SIGTERM leaves no SA and no policy, and neither daemon's log
#    holds a sanitizer report.
. "$IKE_VM_DIR/lib/checks.sh"
. "$IKE_VM_DIR/lib/netns.sh"
. "$IKE_VM_DIR/lib/ike.sh"
. "$IKE_VM_DIR/lib/traffic.sh"
. "$IKE_VM_DIR/lib/defs.sh"
vm_require_guest
export ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=1
KEEPALIVE=2

step "kernel $(uname -r): probe"
kernel_ipsec_probe || fail "the VM kernel lacks IPsec support"
netns_pair_up --nat --hosts || fail "netns_pair_up --nat --hosts"

step "definitions and daemons"
defs_v1 "$OUT/natt-left.xml" natt "$LEFT_IP" "$RIGHT_IP" "$LEFT_NET" \
    "$RIGHT_NET" local_id=left.example remote_id=right.example ||
    fail "definitions left"
defs_v1 "$OUT/natt-right.xml" natt "$RIGHT_IP" "$LEFT_PUBLIC_IP" \
    "$RIGHT_NET" "$LEFT_NET" local_id=right.example remote_id=left.example ||
    fail "definitions right"
natt_run ENABLE_IPSEC_NAT_TRAVERSAL

step "what the wire carried"
natt_wire_check 1

step "kernel SAs: ESP in UDP, counters"
natt_sa_check

step "ike cmd=list verbose: NAT detected"
natt_verbose_check
for ns in left right; do
	grep -qx 'IKE Version: 1' "$OUT/$ns-verbose.txt" ||
	    fail "$ns: not listed as IKEv1"
done

step "ike cmd=remove on the left clears both kernels"
ike_in left "$IKE_BIN_DIR/ike" cmd=remove || fail "remove"
for ns in left right; do
	ike_own_gone $ns
done

step "SIGTERM removes the daemons' kernel state"
ike_gws_stop_clean
for ns in left right; do
	! grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error' \
	    "$OUT/isakmpd-$ns.log" || fail "$ns: sanitizer report in its log"
done
pass "IKEv1 through a NAT: Main Mode floats to 4500, ESP in UDP, keepalives, remove"
