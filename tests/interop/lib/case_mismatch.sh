# tests/interop/lib/case_mismatch.sh: negotiations that must fail, and
# fail cleanly on both sides (bash, sourced by lib/scenario.sh).
#
#   mismatch    IKEv2 PSK, tunnel, AES-GCM-256, Curve25519 (31): three
#               mismatches one after the other in one VM boot (a boot
#               costs ~40 s under TCG, each sub-case ~30 s)
#
# Only the peer's configuration is wrong; ours stays the one that works:
#   psk       the peer holds another pre-shared key
#   proposal  the peer offers and accepts only AES-CBC-128/HMAC-SHA2-256,
#             MODP-2048 (IKE) and AES-CBC-128/HMAC-SHA2-256 (ESP)
#   ts        the peer protects its subnet towards 10.9.0.0/24, not ours
#             (10.1.0.0/24): the traffic selectors have no overlap
# For each, in the run's role (ours: `ike cmd=activate`; peer: swanctl
# --initiate / whack --initiate), with fresh daemons on both sides and a
# capture of what our gateway sends, a sub-case passes only if:
#  - no ESP state is in either kernel, and no policy of ours;
#  - our `ike cmd=list verbose` lists no phase 2 Active and names the
#    reason (AUTHENTICATION_FAILED, NO_PROPOSAL_CHOSEN, TS_UNACCEPTABLE)
#    for the tunnel that failed; with TS_UNACCEPTABLE phase 1 may stay
#    Active (RFC 7296 s. 1.2: the IKE SA is kept); as responder
#    without a common IKE proposal our daemon keeps no state, lists the
#    refusal, and the wire must hold its N(NO_PROPOSAL_CHOSEN);
#  - the peer's log shows its side of the failure (the notify it sent or
#    received) and its status shows no Child SA;
#  - our daemon sent at most MM_MAX_REQ IKE requests in the window
#    (no retry in a hot loop), and none at all when it is the responder;
#  - both daemons are still alive and serving: our `ike cmd=list`
#    answers, and once the peer's configuration is right again (loaded
#    into the same running peer) the tunnel comes up with the same
#    daemons in the same role and the hosts ping each other through it.

MM_WINDOW=15	# seconds watched after the failure for retries
MM_MAX_REQ=3	# our IKE requests in the whole sub-case (ours: 1-2 needed)

case_mismatch() {
	C_TITLE="IKEv2 mismatches fail cleanly (wrong PSK, no common proposal, traffic selectors that do not fit), then the right configuration comes up; AES-GCM-256, Curve25519 (31)"
	C_FLOW=_mm_flow
}

# _mm_flow: the three sub-cases, then the result of the run.
_mm_flow() {
	local k
	for k in psk proposal ts; do
		_mm_sub $k
	done
}

# _mm_bad KIND: the peer's configuration variables for the mismatch.
_mm_bad() {
	case $1 in
	psk) P_PSK="not the $P_PSK" ;;
	proposal)
		P_IKE_SW=aes128-sha256-modp2048 P_ESP_SW=aes128-sha256
		P_IKE_LS='aes128-sha2_256;modp2048' P_ESP_LS=aes128-sha2_256 ;;
	ts) P_PEER_TS=10.9.0.0/24 ;;
	esac
}

# _mm_reason KIND: the notify our daemon names in its listing; the
# patterns of the peer's log (KIND:ROLE).
_mm_reason() {
	case $1 in
	psk) echo AUTHENTICATION_FAILED ;;
	proposal) echo NO_PROPOSAL_CHOSEN ;;
	ts) echo TS_UNACCEPTABLE ;;
	esac
}

# _mm_peer_conf KIND|good: writes the peer's configuration, bad for
# KIND or the good one, into the directory of instance $PN.
_mm_peer_conf() {
	(
		[ "$1" = good ] || _mm_bad "$1"
		peer_conf_$K "$PN"
	) || fail "the peer's configuration for '$1'"
	# pluto retries a failed negotiation for ever by default (with
	# keyingtries=1 it still starts a few IKE SAs after a refused
	# IKE_AUTH: the peer's, not ours; our requests are what is counted)
	[ $K != ls ] || sed -i 's/^conn gw$/&\n\tkeyingtries=1/' \
	    "$(peer_dir "$PN")/ipsec.conf"
}

# _mm_peer_reload: the running peer drops its SAs (sending Deletes) and
# loads the good configuration, written apart and copied in (pluto's NSS
# database is made once only).
_mm_peer_reload() {
	local d g
	d=$(peer_dir "$PN") g=$(peer_dir "$PN-good")
	rm -rf "$g"
	(PN=$PN-good; peer_conf_$K "$PN")
	case $K in
	sw)
		sw "$PN" --terminate --ike gw --timeout 20 > /dev/null 2>&1
		cp "$g/swanctl.conf" "$d/swanctl.conf"
		sw "$PN" --load-all --noprompt --file "$d/swanctl.conf" \
		    > "$OUT/$PN.reload.txt" 2>&1 ||
		    fail "swanctl --load-all: $(cat "$OUT/$PN.reload.txt")" ;;
	ls)
		ls_whack "$PN" --delete --name gw > /dev/null 2>&1
		cp "$g/ipsec.conf" "$g/ipsec.secrets" "$d/"
		ls_whack "$PN" --rereadsecrets > "$OUT/$PN.reload.txt" 2>&1 ||
		    fail "whack --rereadsecrets: $(cat "$OUT/$PN.reload.txt")"
		"$LS_EXEC/addconn" --config "$d/ipsec.conf" \
		    --ctlsocket "$d/run/pluto.ctl" gw >> "$OUT/$PN.reload.txt" 2>&1 ||
		    fail "addconn gw: $(cat "$OUT/$PN.reload.txt")" ;;
	esac
	rm -rf "$g"
}

# _mm_restart KIND: fresh daemons, the peer with the bad configuration;
# the logs of the sub-case before are kept under its name.
_mm_restart() {
	peer_stop $K $PN
	ike_gw_stop left
	[ -z "${MM_PREV:-}" ] || _mm_keep_logs "$MM_PREV"
	rm -f "$OUT/isakmpd-left.log"
	rm -rf "$(peer_dir "$PN")"
	_mm_peer_conf "$1"
	peer_start $K $PN right
	# shellcheck disable=SC2086 # C_OUR_CONF: lines without blanks
	ike_gw_start left ${C_OUR_CONF:-}
	MM_PREV=$1
}

_mm_keep_logs() {
	cp "$OUT/isakmpd-left.log" "$OUT/$ROLE-mm-$1-isakmpd-left.log"
	cp "$OUT/$PN.log" "$OUT/$ROLE-mm-$1-$PN.log"
}

# _mm_initiate: the run's initiator starts (the peer's output is kept;
# its exit status says little: whack returns 0 once the IKE SA is up,
# Child SA or not, and pluto waits for a better answer than an
# unauthenticated NO_PROPOSAL_CHOSEN, so it is not waited for).
_mm_initiate() {
	local f=$OUT/$ROLE-mm-$MM_PREV-initiate.txt
	case $ROLE:$K in
	ours:*)
		ike_in left "$IKE_BIN_DIR/ike" cmd=activate phase=2 namelist=p2 ||
		    { _dump; fail "ike cmd=activate"; } ;;
	peer:sw) sw "$PN" --initiate --child net --timeout 60 > "$f" 2>&1 ;;
	peer:ls) ls_whack "$PN" --name gw --initiate --asynchronous > "$f" 2>&1 ;;
	esac
	return 0
}

# _mm_listed REASON: our verbose listing names REASON.
_mm_listed() {
	ike_in left "$IKE_BIN_DIR/ike" cmd=list verbose |
	    grep -q "^Reason: $1"
}

# _mm_sub KIND: one mismatch in the run's role, then the recovery.
_mm_sub() {
	local k=$1 r w=$ROLE-mm-$1 f
	r=$(_mm_reason "$k")
	step "mismatch '$k', initiator $([ $ROLE = ours ] && echo isakmpd || peer_name $K): expect $r"
	_mm_restart "$k"
	capture_start left eth0 "$w-wire-left" -Q out
	_mm_initiate
	wait_until 40 _mm_listed "$r" ||
	    { _dump; fail "ours: no 'Reason: $r' in ike cmd=list verbose"; }
	info "ours lists the reason $r; watching $MM_WINDOW s for retries"
	sleep $MM_WINDOW
	capture_stop
	f=$OUT/$w-left-verbose.txt
	ike_in left "$IKE_BIN_DIR/ike" cmd=list verbose > "$f" ||
	    fail "ours: ike cmd=list does not answer after the failure"
	cat "$f"
	_mm_check_ours "$k" "$r" "$f"
	[ "$k:$ROLE" != proposal:peer ] || _mm_check_stateless "$w-wire-left"
	_mm_check_kernels
	_mm_check_peer "$k"
	_mm_check_requests "$w-wire-left"
	step "mismatch '$k': the right configuration, same daemons"
	_mm_peer_reload
	_bring_up
	ping_ok left-host "$A_RH" 5 || { _dump; fail "ping after the recovery"; }
	ping_ok right-host "$A_LH" 5 || { _dump; fail "ping after the recovery"; }
	info "mismatch '$k' failed cleanly on both sides; recovered"
}

# _mm_check_stateless NAME: as responder without a common IKE proposal
# our daemon keeps no state (core/exchange/sa_init.c) but lists the
# refusal; what our gateway sent (NAME) holds the IKE_SA_INIT response
# with N(NO_PROPOSAL_CHOSEN): IKE header at udp[8], exchange type at
# udp[26] (34), the notify's type at udp[42:2] (14), behind a header of
# 28 octets and the notify's first 6.
_mm_check_stateless() {
	local n
	n=$(pcap_count "$1" "src host $A_L and udp src port 500 and udp[26] = 34 and udp[27] & 0x20 != 0 and udp[42:2] = 14")
	info "our IKE_SA_INIT responses with N(NO_PROPOSAL_CHOSEN): $n"
	[ "$n" -ge 1 ] || fail "ours: no IKE_SA_INIT response with N(NO_PROPOSAL_CHOSEN) on the wire"
}

# _mm_check_ours KIND REASON FILE: no phase 2 Active; the failed entry
# is Expired with the reason; phase 1 only Active for TS_UNACCEPTABLE.
_mm_check_ours() {
	local f=$3
	! ike_in left "$IKE_BIN_DIR/ike" cmd=list phase=2 | grep -q '^2 .* Active ' ||
	    fail "ours: a phase-2 tunnel is Active after '$1'"
	grep -q "^Reason: $2" "$f" || fail "ours: no 'Reason: $2'"
	if [ "$1" != ts ]; then
		! ike_in left "$IKE_BIN_DIR/ike" cmd=list phase=1 | grep -q '^1 .* Active ' ||
		    fail "ours: a phase-1 tunnel is Active after '$1'"
	fi
}

# _mm_check_kernels: neither kernel holds an ESP state; ours holds no
# policy of the tunnel (the per-socket bypass policies aside).
_mm_check_kernels() {
	local ns
	for ns in left right; do
		! ip -n $ns xfrm state | grep -q 'proto esp' || {
			ip -n $ns xfrm state
			fail "$ns: ESP state in the kernel after the failure"
		}
	done
	! ip -n left xfrm policy | grep -q '^src 10\.' || {
		ip -n left xfrm policy
		fail "left: a policy of the tunnel is in the kernel"
	}
}

# _mm_check_peer KIND: the peer's log shows its side of the failure
# (the notify it sent or received), its status shows no Child SA.
_mm_check_peer() {
	local log=$OUT/$PN.log p s=$OUT/$ROLE-mm-$1-peer-status.txt
	p=$(_mm_peer_pattern "$1")
	grep -Eq "$p" "$log" || {
		tail -30 "$log"
		fail "$(peer_name $K)'s log: nothing matches '$p'"
	}
	info "$(peer_name $K)'s log: $(grep -E "$p" "$log" | tail -1)"
	peer_status $K $PN "$s" ||
	    fail "$(peer_name $K): its status does not answer"
	! peer_has $K $PN child ||
	    { cat "$s"; fail "$(peer_name $K) lists a Child SA after '$1'"; }
}

# _mm_peer_pattern KIND: what the peer logs (charon: the notify in the
# message it generated as responder or parsed as initiator; pluto: the
# lines it writes for each, as seen with libreswan 4.10).
_mm_peer_pattern() {
	local dir=generating
	[ $ROLE = peer ] && dir=parsed
	case $K:$1 in
	sw:psk) echo "$dir IKE_AUTH response 1 \[ N\(AUTH_FAILED\) \]" ;;
	sw:proposal) echo "$dir IKE_SA_INIT response 0 \[ N\(NO_PROP\) \]" ;;
	sw:ts) echo "$dir IKE_AUTH response 1 \[ .*N\(TS_UNACCEPT\)" ;;
	esac
	# pluto: its own words, as responder (ours) or initiator (peer);
	# as initiator it ignores our unauthenticated NO_PROPOSAL_CHOSEN
	# (RFC 7296 s. 2.21.1 lets it) and retransmits until it gives up
	case $K:$1:$ROLE in
	ls:psk:ours) echo "responding to IKE_AUTH message .* with encrypted notification AUTHENTICATION_FAILED" ;;
	ls:psk:peer) echo "IKE SA authentication request rejected by peer: AUTHENTICATION_FAILED" ;;
	ls:proposal:ours) echo "responding to IKE_SA_INIT message .* with unencrypted notification NO_PROPOSAL_CHOSEN" ;;
	ls:proposal:peer) echo "dropping unexpected IKE_SA_INIT message containing NO_PROPOSAL_CHOSEN notification" ;;
	ls:ts:ours) echo "No IKEv2 connection found with compatible Traffic Selectors" ;;
	ls:ts:peer) echo "IKE_AUTH response rejected Child SA with TS_UNACCEPTABLE" ;;
	esac
}

# _mm_check_requests NAME: the IKE requests our gateway sent (no NAT:
# all on port 500; IKEv2 header at udp[8], its flags at udp[27], 0x20
# response): at most
# MM_MAX_REQ as initiator, none as responder.
_mm_check_requests() {
	local n max=$MM_MAX_REQ
	[ $ROLE = ours ] || max=0
	n=$(pcap_count "$1" "src host $A_L and udp port 500 and udp[4:2] > 36 and udp[27] & 0x20 = 0")
	info "our IKE requests in the sub-case: $n (at most $max)"
	[ "$n" -le "$max" ] || fail "ours: $n IKE requests sent, at most $max expected"
	[ $ROLE = peer ] || [ "$n" -ge 1 ] || fail "ours: no IKE request captured"
}
