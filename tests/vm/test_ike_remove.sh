#!/bin/bash
# Real-kernel test 5: `ike cmd=remove` in each form removes exactly the
# daemon's kernel state; after `kill -9` a restarted daemon removes what
# the dead one left and the tunnel comes back.  Two IKEv2 gateway pairs
# between the same namespaces (a: 192.0.2.1-2, b: 192.0.2.11-12), each a
# phase 1 with one phase 2, and an SA and a policy that the administrator
# added by hand in the left kernel (reqid 7), which must survive
# everything.  Passes only if each step leaves exactly the expected SAs
# and policies (counted by isakmpd's reqid range) in both kernels:
#  remove phase=2 numlist=N   that phase 2's 2 SAs and 3 policies go;
#  remove phase=1 numlist=N   the phase 1 stops refreshing, its phase 2
#                             stays in the kernel (docs/ike.md);
#  remove all                 nothing of the daemon is left, both sides;
#  kill -9, restart           the dead daemon's state is gone as soon as
#                             the new one listens; activation brings the
#                             tunnel back and traffic crosses it.
. "$IKE_VM_DIR/lib/checks.sh"
. "$IKE_VM_DIR/lib/netns.sh"
. "$IKE_VM_DIR/lib/ike.sh"
. "$IKE_VM_DIR/lib/defs.sh"
vm_require_guest
export ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=1
KEY=0x4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c01020304

kernel_ipsec_probe || fail "the VM kernel lacks IPsec support"
netns_pair_up || fail "netns_pair_up"
ip -n left addr add 192.0.2.11/24 dev eth0
ip -n right addr add 192.0.2.12/24 dev eth0
defs_gateway "$OUT/a.xml" a "$LEFT_IP" "$RIGHT_IP" 10.1.0.0/24 10.2.0.0/24 &&
    defs_gateway "$OUT/b.xml" b 192.0.2.11 192.0.2.12 10.1.1.0/24 10.2.1.0/24 ||
    fail "definitions"
for f in a b; do
	ike_load left "$OUT/$f.xml" || fail "ikedb -p $f in left"
	ike_load right "$OUT/$f.xml" -s || fail "ikedb -ps $f in right"
done

step "the administrator's own SA and policy in the left kernel"
ip -n left xfrm state add src "$LEFT_IP" dst 192.0.2.99 proto esp \
    spi 0x777 reqid 7 mode tunnel aead 'rfc4106(gcm(aes))' $KEY 128 ||
    fail "manual SA"
ip -n left xfrm policy add src 10.9.0.0/24 dst 10.8.0.0/24 dir out \
    tmpl src "$LEFT_IP" dst 192.0.2.99 proto esp reqid 7 mode tunnel ||
    fail "manual policy"
foreign() {
	ip -n left xfrm state list spi 0x777 | grep -q 'reqid 7 ' &&
	    ip -n left xfrm policy list src 10.9.0.0/24 dst 10.8.0.0/24 |
	    grep -q 'reqid 7 '
}
foreign || fail "the manual state is not there"

# expect NS COUNT WHAT: NS's kernel has COUNT SAs + policies of the daemon
# (within 10 s).
own_is() { [ "$(own_state "$1")" = "$2" ]; }
expect() {
	wait_until 10 own_is "$1" "$2" || {
		ip -n "$1" xfrm state; ip -n "$1" xfrm policy
		ike_dump left right
		fail "$1: $(own_state "$1") SAs and policies of isakmpd, want $2: $3"
	}
	foreign || fail "the administrator's SA or policy is gone: $3"
	info "$1: $2 SAs and policies of isakmpd ($3)"
}
# num NS PHASE PATTERN: the active tunnel number of the listing line
# matching PATTERN.
num() {
	ike_in "$1" "$IKE_BIN_DIR/ike" cmd=list phase="$2" |
	    awk -v p="$3" '$1 == "'"$2"'" && $0 ~ p { print $2; exit }'
}
n_active() {
	[ "$(ike_in "$1" "$IKE_BIN_DIR/ike" cmd=list phase=2 |
	    grep -c '^2 .* Active ')" = "$2" ]
}
both_active() {
	local ns
	for ns in left right; do
		wait_until 30 n_active $ns "$1" ||
		    { ike_dump left right; fail "$ns: not $1 phase-2 tunnels Active"; }
	done
}

step "daemons; activate every definition"
ike_gw_start left
ike_gw_start right
foreign || fail "the daemon's start removed the administrator's state"
ike_in left "$IKE_BIN_DIR/ike" cmd=activate || fail "activate"
both_active 2
expect left 10 "two tunnels up"
expect right 10 "two tunnels up"

step "remove phase=2 numlist=(a's)"
n=$(num left 2 10.1.0.0-) && [ -n "$n" ] || fail "no phase-2 line for a"
ike_in left "$IKE_BIN_DIR/ike" cmd=remove phase=2 numlist="$n" || fail "remove phase 2"
expect left 5 "b only"
expect right 5 "b only"
[ -z "$(ip -n left xfrm state list src "$LEFT_IP" dst "$RIGHT_IP")" ] ||
    fail "a's SAs are still there"
[ -n "$(ip -n left xfrm state list src 192.0.2.11 dst 192.0.2.12)" ] ||
    fail "b's SAs went too"

step "remove phase=1 numlist=(b's): its phase 2 stays until it expires"
n=$(num left 1 192.0.2.11) && [ -n "$n" ] || fail "no phase-1 line for b"
ike_in left "$IKE_BIN_DIR/ike" cmd=remove phase=1 numlist="$n" || fail "remove phase 1"
sleep 2
expect left 5 "b's phase 2 kept"
expect right 5 "b's phase 2 kept"
ike_in left "$IKE_BIN_DIR/ike" cmd=list phase=2 | grep -q '^2 .* Active ' ||
    fail "b's phase 2 is no longer listed Active"

step "remove all"
ike_in left "$IKE_BIN_DIR/ike" cmd=remove all || fail "remove all"
expect left 0 "after remove all"
expect right 0 "after remove all"

step "kill -9 with a tunnel up, then a new daemon"
ike_in left "$IKE_BIN_DIR/ike" cmd=activate phase=2 namelist=a-p2 || fail "activate a"
both_active 1
expect left 5 "a up"
ike_gw_stop left KILL
expect left 5 "what the killed daemon left"
ike_gw_start left
expect left 0 "the new daemon cleaned up at start"
ike_in left "$IKE_BIN_DIR/ike" cmd=activate phase=2 namelist=a-p2 || fail "activate a again"
both_active 1
wait_until 20 ping_ok left 10.2.0.1 1 || { ike_dump left right; fail "no traffic after the restart"; }
expect left 5 "a up again"
expect right 5 "a up again, the old SAs replaced"
# the new SAs carried the ping both ways (the administrator's SA did not)
sa_bytes() {
	ip -n left -s xfrm state list src "$1" dst "$2" proto esp |
	    awk '/lifetime current:/ { getline; print $1 + 0; exit }'
}
[ "$(sa_bytes "$LEFT_IP" "$RIGHT_IP")" -gt 0 ] &&
    [ "$(sa_bytes "$RIGHT_IP" "$LEFT_IP")" -gt 0 ] ||
    fail "left: the new SAs carried no traffic"

step "SIGTERM"
ike_gw_stop left
ike_gw_stop right
expect left 0 "after SIGTERM"
expect right 0 "after SIGTERM"
pass "remove in each form and kill -9 leave exactly the expected kernel state"
