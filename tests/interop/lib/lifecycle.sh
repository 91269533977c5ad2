# tests/interop/lib/lifecycle.sh: what happens to a tunnel after it is
# up, against the peer (bash, sourced by lib/scenario.sh).  The
# scenario's role names the side that acts: "ours" our isakmpd, "peer"
# strongSwan or libreswan (which also brought the tunnel up).
#
#   _life_delete   the acting side deletes the Child SA, then the IKE SA;
#                  the other side lists neither within seconds, and no
#                  ESP state is left in either kernel
#   _life_dpd      the other side is killed (SIGKILL: no Delete); the
#                  acting side's liveness checks / DPD declare it dead
#                  and remove the SAs from its kernel
#   _life_rekey    the acting side rekeys the Child SA and the IKE SA
#                  while a ping runs: new SPIs on both sides, the old
#                  Child SA gone from both kernels, the ping loses at
#                  most one packet per rekey (and the one in flight when
#                  it is stopped), the new Child SA carries ESP (a
#                  marker crosses as ESP only); IKEv1 with the peer
#                  rekeying: _life1_rekey_peer (the old IPsec SA lives
#                  until it expires)
#   _life_restart  the peer is killed (SIGKILL) with its kernel state,
#                  as by a reboot, then started again and initiates
#                  with INITIAL_CONTACT: our daemon replaces the old SAs
#                  by the new ones (one phase 1 and one phase 2 Active,
#                  one ESP pair in our kernel, the peer's SPIs)
#
# The same functions serve IKEv1 (lib/case_life1.sh): the peer's SAs
# are then the ISAKMP SA and the IPsec SA (libreswan's STATE_MAIN_*,
# STATE_AGGR_*, STATE_QUICK_*).
#
# Each fails the run (fail) unless its claim holds.

LIFE_WAIT=20		# seconds a Delete may take to show
LIFE_DPD=5		# liveness interval of the acting side, seconds

# _esp_count NS: the ESP states in NS's kernel.
_esp_count() {
	ip -n "$1" xfrm state | grep -c '^src .*' || true
}

_no_esp() {
	[ "$(_esp_count left)" = 0 ] && [ "$(_esp_count right)" = 0 ]
}

# _ours_has PHASE [NUM]: our listing shows an Active entry of PHASE
# (with tunnel number NUM).
_ours_has() {
	ike_in left "$IKE_BIN_DIR/ike" cmd=list phase="$1" |
	    grep -Eq "^$1 +${2:-[0-9]+} +Active "
}

_not() { ! "$@"; }

# _ls1_states ike|child: libreswan's IKEv1 states of an established
# ISAKMP SA or IPsec SA (an ERE).
_ls1_states() {
	case $1 in
	ike) echo 'STATE_(MAIN_I4|MAIN_R3|AGGR_I2|AGGR_R2)' ;;
	child) echo 'STATE_QUICK_(I2|R2)' ;;
	esac
}

# _peer_has ike|child: peer_has of lib/peers.sh, with libreswan's IKEv1
# states for IKEv1.
_peer_has() {
	[ $K:$C_VERSION = ls:1 ] || { peer_has $K $PN "$1"; return; }
	ls_whack $PN --status | grep -Eq "$(_ls1_states "$1") "
}

# _peer_delete ike|child: peer_delete of lib/peers.sh; for libreswan and
# IKEv1 its newest ISAKMP SA / IPsec SA, by state number.
_peer_delete() {
	local st
	[ $K:$C_VERSION = ls:1 ] || { peer_delete $K $PN "$1"; return; }
	st=$(ls_whack $PN --status |
	    sed -En "s/^000 #([0-9]+): \"gw\".* $(_ls1_states "$1") .*/\1/p" |
	    tail -n 1)
	[ -n "$st" ] || return 1
	ls_whack $PN --deletestate "$st"
}

# _life_setup: what the run's configuration needs before bring-up
# (called from _role): short lifetimes on our side when we rekey, DPD
# on the side that must detect a death.
_life_setup() {
	# (C_OUR_CONF: what the case function set is kept, and added to)
	C_OUR_CONF=${C_OUR_CONF:-} C_OUR_LIFE_P1="" C_OUR_LIFE_IKE="" C_OUR_LIFE_ESP=""
	C_OUR_LIFE_P2="" C_OUR_PFS="" P_DPD="" C_LIST_PFS=""
	# Rekeying (IKEv2): PFS with Curve25519 in every CREATE_CHILD_SA.
	# The peers ask for it, libreswan by default (pfs=yes: it refuses
	# a CREATE_CHILD_SA without KE with NO_PROPOSAL_CHOSEN), charon by
	# the group in its ESP proposal.  When we rekey, our definition
	# names the group (IPSec_InitiatorDHGroup); when the peer rekeys,
	# our definition is left at its defaults (no group of our own,
	# IPSec_ResponderDHGroup ANY) and must accept the peer's KE.  The
	# Child SA of IKE_AUTH has no PFS (RFC 7296 s. 1.2): our listing
	# shows group 0 for it, the group for the rekeyed one.
	# (IKEv1: no PFS, the rekey's Quick Mode as the first one.)
	if [ "$C_LIFE:$C_VERSION" = rekey:2 ]; then
		P_ESP_SW=aes256gcm16-x25519
		[ $ROLE = peer ] || C_OUR_PFS=' IPSec_InitiatorDHGroup="31"'
	fi
	case $C_LIFE:$ROLE in
	dpd:ours) C_OUR_CONF="$C_OUR_CONF LIVENESS_CHK_INTERVAL=$LIFE_DPD" ;;
	dpd:peer) P_DPD=$LIFE_DPD ;;
	rekey:ours)
		# the Child SA rekeyed after 108 s (90% of two minutes, no
		# overlap given), the IKE SA after two minutes (5 minus an
		# overlap of 3): both well after the first checks, which
		# take up to 45 s on two loaded cores without KVM (with a
		# one-minute Child SA its rekey at 54 s fell into them)
		C_OUR_LIFE_IKE=' IKE_KeyRefreshMinutes="5"'
		C_OUR_LIFE_ESP=' ESP_KeyRefreshMinutes="2"'
		C_OUR_LIFE_P1=' IKE_KeyOverlap="3"'
		C_OUR_LIFE_P2=' IPSec_KeyOverlap="0"' ;;
	rekey:peer)
		# IKEv1: our daemon adopts the peer's shorter lifetimes and
		# rekeys too, as the side that did not propose first at the
		# lifetime minus half the overlap (the overlap capped at
		# four fifths of it): with the default overlap before the
		# peer (at 120 s of 200).  No overlap: ours at 95%, after
		# the peer's (lib/case_life1.sh, _life1_rekey_conf).
		[ $C_VERSION = 2 ] || C_OUR_LIFE_P1=' IKE_KeyOverlap="0"' \
		    C_OUR_LIFE_P2=' IPSec_KeyOverlap="0"' ;;
	esac
	return 0
}

_life_delete() {
	if [ $ROLE = ours ]; then
		ike_in left "$IKE_BIN_DIR/ike" cmd=remove phase=2 all ||
		    fail "ike cmd=remove phase=2 all"
		wait_until $LIFE_WAIT _not _peer_has child ||
		    { _dump; fail "$(peer_name $K) still lists the Child SA"; }
		wait_until $LIFE_WAIT _no_esp ||
		    fail "ESP states left after the Child SA's Delete"
		if [ $K:$C_VERSION = ls:1 ]; then
			_life_delete_ls1_cascade
		else
			_peer_has ike ||
			    fail "$(peer_name $K) lost the IKE SA with the Child SA"
			ike_in left "$IKE_BIN_DIR/ike" cmd=remove phase=1 all ||
			    fail "ike cmd=remove phase=1 all"
			wait_until $LIFE_WAIT _not _peer_has ike ||
			    { _dump; fail "$(peer_name $K) still lists the IKE SA"; }
		fi
		_life_delete_log_$K
	else
		_peer_delete child ||
		    fail "$(peer_name $K) could not delete its Child SA"
		wait_until $LIFE_WAIT _not _ours_has 2 1 ||
		    { _dump; fail "ours: phase 2 still Active"; }
		wait_until $LIFE_WAIT _no_esp ||
		    fail "ESP states left after the Child SA's Delete"
		_ours_has 1 1 || { _dump; fail "ours: phase 1 gone too"; }
		# libreswan brings a connection it initiated up again once
		# its IKE SA is gone ("must remain up per local policy"):
		# the first phase-1 tunnel must go, a new one may come
		_peer_delete ike ||
		    fail "$(peer_name $K) could not delete its IKE SA"
		wait_until $LIFE_WAIT _not _ours_has 1 1 ||
		    { _dump; fail "ours: phase 1 still Active"; }
		# both went because the peer said so
		grep -q 'phase-2 tunnel [0-9]* is down: deleted by peer' \
		    "$OUT/isakmpd-left.log" &&
		    grep -q 'SA [0-9]*: event 3: deleted by peer' \
		    "$OUT/isakmpd-left.log" ||
		    fail "ours: the log does not say the peer deleted both"
	fi
	ike_in left "$IKE_BIN_DIR/ike" cmd=list
	info "Delete of the Child SA and the IKE SA seen on both sides"
}

# libreswan 4.10, IKEv1 responder: the Delete of a connection's last
# IPsec SA takes its ISAKMP SA down as well, with a Delete for it (its
# log: "deleting state (STATE_MAIN_R3) ... and sending notification"):
# our phase 1 must go as deleted by the peer.  Our Delete of the
# ISAKMP SA is then not exercised against libreswan: our daemon holds
# no ISAKMP SA without an IPsec SA (`ike cmd=activate phase=1` starts
# the phase 2 with it; `ike cmd=remove phase=1` with an IPsec SA under
# it only retires the ISAKMP SA until the IPsec SA's lifetime ends), so
# the run says so (NOTE) instead of claiming it.
_life_delete_ls1_cascade() {
	wait_until $LIFE_WAIT _not _ours_has 1 1 ||
	    { _dump; fail "ours: phase 1 still Active, libreswan deleted it"; }
	grep -Eq '"gw" #[0-9]+: deleting state \(STATE_MAIN_R3\) .* and sending notification' \
	    "$OUT/$PN.log" &&
	    grep -q 'SA [0-9]*: event 3: deleted by peer' "$OUT/isakmpd-left.log" ||
	    fail "libreswan did not delete its ISAKMP SA, or we did not hear it"
	info "NOTE: libreswan 4.10 (IKEv1) deleted its ISAKMP SA with its" \
	    "last IPsec SA: our Delete of the ISAKMP SA is not exercised" \
	    "against it"
}

# The peer's log shows our two Deletes arriving (so its SAs did not go
# for another reason).
_life_delete_log_sw() {
	grep -q 'received DELETE for ESP CHILD_SA with SPI' "$OUT/$PN.log" &&
	    grep -q 'received DELETE for IKE_SA gw' "$OUT/$PN.log" ||
	    fail "strongSwan's log: our Deletes were not received"
}

_life_delete_log_ls() {
	[ $C_VERSION = 1 ] && { _life_delete_log_ls1; return; }
	grep -q '"gw" #[0-9]*: ESP traffic information:' "$OUT/$PN.log" &&
	    grep -q 'deleting state (STATE_V2_ESTABLISHED_IKE_SA) .* NOT sending notification' \
	    "$OUT/$PN.log" ||
	    fail "libreswan's log: our Deletes were not received"
}

# IKEv1: pluto deletes the IPsec SA our Delete names (the ISAKMP SA
# goes with it: _life_delete_ls1_cascade).
_life_delete_log_ls1() {
	grep -Eq '"gw" #[0-9]+: received Delete SA\(0x[0-9a-f]+\) payload: deleting IPsec State #' \
	    "$OUT/$PN.log" ||
	    fail "libreswan's log: our Delete of the IPsec SA was not received"
}

_life_dpd() {
	if [ $ROLE = ours ]; then
		peer_kill $K $PN || fail "kill $(peer_name $K)"
		wait_until 90 _not _ours_has 1 ||
		    { _dump; fail "ours: phase 1 still Active, peer dead"; }
		_ours_has 2 && { _dump; fail "ours: phase 2 Active, peer dead"; }
		wait_until 10 sh -c "[ \$(ip -n left xfrm state | grep -c '^src') = 0 ]" ||
		    fail "ours: ESP states left after the peer died"
		ike_in left "$IKE_BIN_DIR/ike" cmd=list verbose |
		    tee "$OUT/$ROLE-left-dead.txt"
		[ "$(grep -c '^Reason: peer not responding$' \
		    "$OUT/$ROLE-left-dead.txt")" = 2 ] ||
		    fail "ours: phase 1 and 2 not listed 'peer not responding'"
	else
		ike_gw_stop left KILL
		wait_until 90 _not _peer_has ike ||
		    { _dump; fail "$(peer_name $K) still lists the IKE SA"; }
		wait_until 10 sh -c "[ \$(ip -n right xfrm state | grep -c '^src') = 0 ]" ||
		    fail "$(peer_name $K): ESP states left after we died"
		_life_dpd_log_$K
	fi
	info "the dead side was declared dead"
}

# The peer's log says why the SA went: a liveness check unanswered.
# IKEv1: charon sends R-U-THERE (N(DPD)) and, without an R-U-THERE-ACK,
# times the check out (no retransmits: "giving up" is IKEv2's).
_life_dpd_log_sw() {
	if [ $C_VERSION = 1 ]; then
		grep -Eq 'generating INFORMATIONAL_V1 request [0-9]+ \[ HASH N\(DPD\) \]' \
		    "$OUT/$PN.log" &&
		    grep -q 'DPD check timed out, enforcing DPD action' \
		    "$OUT/$PN.log" ||
		    fail "strongSwan's log: no R-U-THERE timed out (DPD)"
		grep -c 'N(DPD_ACK)' "$OUT/$PN.log" |
		    sed 's/^/   R-U-THERE-ACKs of ours before the kill: /'
		return
	fi
	grep -q 'giving up after [0-9]* retransmits' "$OUT/$PN.log" ||
	    fail "strongSwan's log: no 'giving up after N retransmits'"
}

_life_dpd_log_ls() {
	if [ $C_VERSION = 1 ]; then
		grep -Eq '"gw" #[0-9]+: (DPD action - |DPD: No response from peer - declaring peer dead)' \
		    "$OUT/$PN.log" ||
		    fail "libreswan's log: no DPD action on the ISAKMP SA"
		return
	fi
	grep -q '"gw" #1: liveness action - ' "$OUT/$PN.log" ||
	    fail "libreswan's log: no liveness action on the IKE SA"
}

# _out_spi: our outbound ESP SPI(s) in the left kernel.
_out_spi() {
	ip -n left xfrm state list src "$A_L" dst "$A_R" |
	    awk '$1 == "proto" { print $4 }' | sort | tr '\n' ' '
}

# _ours_kv KEY: a value of our verbose listing (first Active entry with
# it: an IKEv1 ISAKMP SA replaced by a rekey stays listed a while).
_ours_kv() {
	ike_in left "$IKE_BIN_DIR/ike" cmd=list verbose |
	    awk -v k="$1: " 'BEGIN { RS = ""; FS = "\n" }
	    /(^|\n)Status: Active(\n|$)/ { for (i = 1; i <= NF; i++)
		if (index($i, k) == 1) { print substr($i, length(k) + 1); exit } }'
}

# _rk_child, _rk_ike: the Child SA and IKE SA rekeys our log shows.
_rk_child() { grep -c 'phase-2 tunnel [0-9]* rekeyed' "$OUT/isakmpd-left.log"; }
_rk_ike() { grep -Ec '(IKE|ISAKMP) SA rekeyed' "$OUT/isakmpd-left.log"; }
_rekeyed_child() { [ "$(_rk_child)" -ge 1 ]; }
_rekeyed() { _rekeyed_child && [ "$(_rk_ike)" -ge 1 ]; }

# _one_pair: one ESP pair in each kernel (the old Child SAs deleted).
_one_pair() {
	[ "$(_esp_count left)" = 2 ] && [ "$(_esp_count right)" = 2 ]
}

# _life_rekey: the ping runs until both rekeys are in our log (ours:
# our lifetimes expire after about two minutes; peer: its commands, each
# waited for) and the old Child SA has left both kernels, then a few
# seconds more; the checks of the new Child SA follow at once.
_life_rekey() {
	local spi0 ike0 pid sent got lost rk ike_rk
	# IKEv1, the peer rekeying: _life1_rekey_peer (below)
	[ $ROLE:$C_VERSION != peer:1 ] || { _life1_rekey_peer; return; }
	spi0=$(_out_spi) ike0=$(_ours_kv "SPI Initiator")
	ip netns exec left-host busybox ping -i 0.2 -w 200 -W 1 "$A_RH" \
	    > "$OUT/$ROLE-ping.txt" 2>&1 &
	pid=$!
	if [ $ROLE = peer ]; then
		sleep 3
		peer_rekey $K $PN child || fail "$(peer_name $K): Child SA rekey"
		wait_until 30 _rekeyed_child && wait_until 20 _one_pair ||
		    { _dump; fail "ours: the peer's Child SA rekey not done," \
		    "or the old pair still installed"; }
		sleep 3
		peer_rekey $K $PN ike || fail "$(peer_name $K): IKE SA rekey"
	fi
	wait_until 150 _rekeyed && wait_until 20 _one_pair ||
	    { kill $pid; _dump; fail "ours: the rekeys are not done/logged"; }
	sleep 3
	kill -INT $pid
	wait $pid
	tail -3 "$OUT/$ROLE-ping.txt"
	sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$OUT/$ROLE-ping.txt")
	got=$(sed -n 's/.* \([0-9]*\) packets received.*/\1/p' "$OUT/$ROLE-ping.txt")
	[ -n "$sent" ] && [ -n "$got" ] || fail "no ping summary"
	rk=$(_rk_child) ike_rk=$(_rk_ike)
	info "ping $got of $sent; our log: $rk Child SA, $ike_rk IKE SA rekeys"
	# (one more: the echo in flight when the ping was stopped)
	lost=$((sent - got))
	[ $lost -le $((rk + ike_rk + 1)) ] ||
	    fail "$lost pings lost across $rk + $ike_rk rekeys"
	[ "$(_out_spi)" != "$spi0" ] || fail "our outbound SPI did not change"
	[ "$(_ours_kv "SPI Initiator")" != "$ike0" ] ||
	    fail "our IKE SA's SPIs did not change"
	[ $C_VERSION = 1 ] || [ "$(_ours_kv "PFS DH Group")" = 31 ] ||
	    { _dump; fail "ours: the rekeyed Child SA not listed with PFS group 31"; }
	_peer_has ike && _peer_has child ||
	    { _dump; fail "$(peer_name $K): no IKE SA or Child SA after rekey"; }
	_life_rekey_spis
	step "traffic over the new Child SA"
	_rekeyed_checks
}

# _rekeyed_checks: traffic over the new Child SA, its wire and kernel
# checks.  With role ours, our two-minute Child SA is rekeyed again
# every 108 s (90% of its lifetime) and the next rekey may fall between
# the traffic and the kernel check: the new pair has then carried
# nothing yet (and for a moment both pairs are there).  Only then, when
# our log shows that rekey, traffic and kernel checks run once more.
_rekeyed_checks() {
	local n0 try f=$OUT/$ROLE-rekeyed-kernel.txt
	for try in 1 2; do
		n0=$(_rk_child)
		ROLE=$ROLE-rekeyed _traffic
		ROLE=$ROLE-rekeyed _wire_checks
		(_kernel_checks) > "$f" 2>&1 && { cat "$f"; return 0; }
		[ "$(_rk_child)" != "$n0" ] && [ $try = 1 ] ||
		    { cat "$f"; exit 1; }
		info "our daemon rekeyed the Child SA again during the checks" \
		    "($n0 -> $(_rk_child) rekeys): checks repeated"
		wait_until 20 _one_pair || fail "old Child SAs left in a kernel"
	done
}

# The SPIs our listing shows are the ones in the peer's kernel, and
# (with strongSwan) the peer's IKE SA has our IKE SPIs.  Polled: our
# two-minute Child SA is rekeyed again every 108 s, so a rekey may fall
# between reading the listing and the kernel.
_life_rekey_spis() {
	wait_until 20 _rekey_spis_match ||
	    fail "the peer's kernel / IKE SA lack the SPIs we list"
}

_rekey_spis_match() {
	local in out i r
	in=$(_ours_kv "SPI In") out=$(_ours_kv "SPI Out")
	i=$(_ours_kv "SPI Initiator") r=$(_ours_kv "SPI Responder")
	ip -n right xfrm state | grep -q "spi 0x$in " &&
	    ip -n right xfrm state | grep -q "spi 0x$out " || return 1
	[ $K = sw ] || return 0
	sw $PN --list-sas | grep -Eq "^gw: #[0-9]+, ESTABLISHED, IKEv$C_VERSION, ${i}_i\\*? ${r}_r"
}

# _life_restart: the peer dies without a word and loses its kernel
# state (a crash and reboot); our daemon, without liveness checks,
# keeps its SAs.  The peer starts again and initiates: its IKE_AUTH
# (IKEv1: an informational after phase 1) carries INITIAL_CONTACT, and
# our daemon must drop the old SAs for the new ones.
_life_restart() {
	local f=$OUT/$ROLE-left-restarted.txt n0
	n0=$(_contacts)
	peer_kill $K $PN || fail "kill $(peer_name $K)"
	ip -n right xfrm state flush && ip -n right xfrm policy flush
	_peer_stale $K $PN
	_ours_has 1 && _ours_has 2 || { _dump; fail "ours: SAs gone early"; }
	step "$(peer_name $K) restarted, initiates"
	peer_start $K $PN right
	peer_initiate $K $PN > "$OUT/$ROLE-reinitiate.txt" 2>&1 ||
	    { cat "$OUT/$ROLE-reinitiate.txt"; _dump
	    fail "$(peer_name $K) could not initiate after its restart"; }
	wait_until 30 peer_established $K $PN ||
	    { _dump; fail "$(peer_name $K): not up after its restart"; }
	wait_until 20 _replaced ||
	    { _dump; fail "ours: not one phase 1, one phase 2 Active, one ESP pair"; }
	[ "$(_contacts)" -gt "$n0" ] ||
	    { _dump; fail "ours: the log shows no INITIAL_CONTACT handling"; }
	grep "the peer of SA [0-9]* restarted" "$OUT/isakmpd-left.log"
	ike_in left "$IKE_BIN_DIR/ike" cmd=list verbose > "$f"
	# the old entries stay listed, ended for this reason
	[ "$(grep -c '^Reason: replaced: the peer restarted$' "$f")" = 2 ] ||
	    { cat "$f"; fail "ours: old phase 1 and 2 not 'replaced: the peer restarted'"; }
	[ $K != sw ] || _peer_sent_contact_sw
	wait_until 10 _peer_spis_match ||
	    fail "our SPIs are not those of the peer's new SA"
	step "traffic over the new SAs"
	ROLE=$ROLE-restarted _traffic
	ROLE=$ROLE-restarted _wire_checks
	_kernel_checks
	info "the restarted peer's SAs replaced the old ones"
}

# _contacts: the INITIAL_CONTACT clean-ups our log shows.
_contacts() {
	grep -Ec 'the peer of SA [0-9]+ restarted \((INITIAL_CONTACT|INITIAL-CONTACT)\)' \
	    "$OUT/isakmpd-left.log"
}

# _replaced: one phase 1 and one phase 2 Active in our listing, one ESP
# pair in our kernel.
_replaced() {
	local l
	l=$(ike_in left "$IKE_BIN_DIR/ike" cmd=list)
	[ "$(echo "$l" | grep -Ec '^1 +[0-9]+ +Active ')" = 1 ] &&
	    [ "$(echo "$l" | grep -Ec '^2 +[0-9]+ +Active ')" = 1 ] &&
	    [ "$(_esp_count left)" = 2 ]
}

# _peer_stale KIND NAME: what a crashed daemon leaves behind and its
# start script would clean (pid file, control socket), and its first
# log kept (both write their log anew).
_peer_stale() {
	local d
	d=$(peer_dir "$2")
	cp "$OUT/$2.log" "$OUT/$ROLE-$2-before-restart.log"
	rm -f "$d/run/pluto.pid" "$d/run/pluto.ctl" "$d/run/charon.pid" \
	    "$d/run/charon.vici" "$d/run/charon.ctl"
}

# strongSwan's log shows INITIAL_CONTACT sent (IKEv2: in IKE_AUTH;
# IKEv1: in the last Main Mode message or an informational).  libreswan
# does not list what it sends as initiator: our log's clean-up, which
# only the notification starts, is the proof there.
_peer_sent_contact_sw() {
	grep -Eq 'generating (IKE_AUTH|ID_PROT|INFORMATIONAL_V1) request [0-9]+ \[.*N\(INIT_CONTACT\)' \
	    "$OUT/$PN.log" ||
	    fail "strongSwan's log: no INITIAL_CONTACT sent"
}

# _peer_spis_match: the SPIs of our listing's Active phase-2 entry
# are the ones in both kernels and in the peer's own status.
_peer_spis_match() {
	local in out s
	in=$(_ours_kv "SPI In") out=$(_ours_kv "SPI Out")
	[ -n "$in" ] && [ -n "$out" ] || return 1
	ip -n left xfrm state | grep -q "spi 0x$in " &&
	    ip -n left xfrm state | grep -q "spi 0x$out " &&
	    ip -n right xfrm state | grep -q "spi 0x$in " &&
	    ip -n right xfrm state | grep -q "spi 0x$out " || return 1
	s=$(mktemp "$INTEROP_WORK/status.XXXXXX")
	peer_status $K $PN "$s"
	# (pluto prints SPIs without leading zeros: esp.99a4fb5)
	grep -qi "${in#"${in%%[!0]*}"}" "$s" &&
	    grep -qi "${out#"${out%%[!0]*}"}" "$s"
	local rc=$?
	rm -f "$s"
	return $rc
}

# ---------------------------------------------- IKEv1: the peer rekeys
#
# IKEv1 has no rekey exchange (RFC 2409): a new Quick Mode makes a new
# IPsec SA, and the old one lives until it is deleted or expires.  Both
# peers keep it until it expires (strongSwan 5.9.8: charon.delete_rekeyed
# is no for IKEv1; libreswan 4.10 likewise), so there are two ESP pairs
# in each kernel for a while and "one pair left" cannot be the check.
# libreswan 4.10 also refuses to rekey IKEv1 on demand (whack: "cannot
# force rekey of IKEv1 connection").  So both peers rekey the IPsec SA
# by their own short lifetimes (C_PRE_START _life1_rekey_conf of
# lib/case_life1.sh: rekey at 120 s, hard lifetime 200 s, no fuzz),
# the ISAKMP SA strongSwan on demand, libreswan by its lifetime (rekey
# at 140 s).  With a ping running, the run passes only if:
#  1. our log shows the phase-2 tunnel rekeyed to new SPIs, our listing
#     shows it Active with them, and they are in the peer's kernel and
#     status; our log shows the ISAKMP SA rekeyed by the peer;
#  2. the ping lost at most one packet per rekey (and the one in flight
#     when it was stopped);
#  3. pings both ways after the rekeys move the byte counters of the
#     new pair in both kernels and none of the old pair's (so each side
#     sends over the new outbound SA); markers cross over it as ESP
#     only (the wire checks);
#  4. when the old IPsec SA's lifetime ends (200 s: the peer proposed
#     it, our daemon adopted it), it leaves the peer's kernel and ours
#     within a few seconds of each other, and the tunnel stays up on
#     the new pair (our listing, both kernels, a ping).

LIFE1_WAIT_RK=130	# seconds from the checks to the peer's first rekey

_life1_rekey_peer() {
	local pid o_in o_out n_in n_out
	o_in=$(_ours_kv "SPI In") o_out=$(_ours_kv "SPI Out")
	[ -n "$o_in" ] && [ -n "$o_out" ] || fail "ours: no SPIs listed"
	info "old pair: in 0x$o_in out 0x$o_out; waiting for the peer's rekeys"
	ip netns exec left-host busybox ping -i 0.2 -w 200 -W 1 "$A_RH" \
	    > "$OUT/$ROLE-ping.txt" 2>&1 &
	pid=$!
	wait_until $LIFE1_WAIT_RK _rekeyed_child ||
	    { kill $pid; _dump; fail "ours: no Quick Mode rekey by the peer logged"; }
	! grep -q 'Quick Mode [0-9a-f]* started (rekey)' "$OUT/isakmpd-left.log" ||
	    { kill $pid; _dump; fail "ours: our daemon rekeyed, not the peer"; }
	_life1_new_spis "$o_in" "$o_out" ||
	    { kill $pid; _dump; fail "ours: the rekeyed tunnel's SPIs are wrong"; }
	[ $K = ls ] || peer_rekey $K $PN ike ||
	    { kill $pid; fail "$(peer_name $K): ISAKMP SA rekey"; }
	wait_until 60 _life1_ike_rekeyed ||
	    { kill $pid; _dump; fail "ours: no ISAKMP SA rekey by the peer logged"; }
	sleep 3
	kill -INT $pid
	wait $pid
	_life1_ping_loss
	# (again: a peer may make a new Quick Mode with its new ISAKMP SA)
	_life1_new_spis "$o_in" "$o_out" ||
	    { _dump; fail "ours: the tunnel's SPIs are wrong after the ISAKMP SA rekey"; }
	n_in=$(_ours_kv "SPI In") n_out=$(_ours_kv "SPI Out")
	_ours_has 1 && _ours_has 2 1 && _peer_has ike && _peer_has child ||
	    { _dump; fail "an ISAKMP SA or IPsec SA missing after the rekeys"; }
	step "traffic over the new IPsec SA, none over the old one"
	_life1_new_pair_used "$o_in" "$o_out" "$n_in" "$n_out"
	step "the old IPsec SA expires"
	_life1_old_gone "$o_in" "$o_out" "$n_in" "$n_out"
}

# _life1_new_spis OLD_IN OLD_OUT: our log's rekey names the SPIs our
# listing shows for the Active phase-2 tunnel, not the old ones, and the
# peer's kernel and status hold them.
_life1_new_spis() {
	local in out s l
	in=$(_ours_kv "SPI In") out=$(_ours_kv "SPI Out")
	info "our listing after the rekey: in 0x$in out 0x$out"
	[ -n "$in" ] && [ "$in" != "$1" ] && [ "$out" != "$2" ] ||
	    { echo "the listed SPIs did not change"; return 1; }
	l=$(grep 'phase-2 tunnel [0-9]* rekeyed' "$OUT/isakmpd-left.log" | tail -1)
	echo "$l"
	echo "$l" | grep -qi "SPIs now in 0x$in out 0x$out\$" ||
	    { echo "the log names other SPIs"; return 1; }
	ip -n right xfrm state | grep -q "spi 0x$in " &&
	    ip -n right xfrm state | grep -q "spi 0x$out " ||
	    { echo "the peer's kernel lacks them"; return 1; }
	# (libreswan's status writes them without leading zeros)
	s=$OUT/$ROLE-peer-status-rekeyed.txt
	peer_status $K $PN "$s"
	grep -qi "${in#"${in%%[!0]*}"}" "$s" &&
	    grep -qi "${out#"${out%%[!0]*}"}" "$s" ||
	    { echo "the peer's status lacks them"; return 1; }
}

_life1_ike_rekeyed() {
	grep -q 'ISAKMP SA rekeyed (by the peer)' "$OUT/isakmpd-left.log"
}

# _life1_ping_loss: at most one lost echo per rekey our log shows (and
# the one in flight when the ping was stopped).
_life1_ping_loss() {
	local sent got rk ike_rk
	tail -3 "$OUT/$ROLE-ping.txt"
	sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$OUT/$ROLE-ping.txt")
	got=$(sed -n 's/.* \([0-9]*\) packets received.*/\1/p' "$OUT/$ROLE-ping.txt")
	[ -n "$sent" ] && [ -n "$got" ] || fail "no ping summary"
	rk=$(_rk_child) ike_rk=$(_rk_ike)
	info "ping $got of $sent; our log: $rk IPsec SA, $ike_rk ISAKMP SA rekeys"
	[ $((sent - got)) -le $((rk + ike_rk + 1)) ] ||
	    fail "$((sent - got)) pings lost across $rk + $ike_rk rekeys"
}

# _spi_bytes NS SPI: the byte counter of NS's ESP state SPI (hex, no
# 0x), "none" without it.
_spi_bytes() {
	ip -n "$1" -s xfrm state | awk -v s="0x$2" '
	/^src / { m = 0 }
	/proto esp/ { for (i = 1; i < NF; i++) if ($i == "spi") {
		split($(i + 1), v, "(")	# -s: "0x1234abcd(305441741)"
		m = (v[1] == s) } }
	/lifetime current:/ { lc = 1; next }
	lc { if (m) { print $1 + 0; f = 1 } lc = 0 }
	END { if (!f) print "none" }'
}

# _life1_counters OLD_IN OLD_OUT NEW_IN NEW_OUT: "ns:spi=bytes" for
# the four states in both kernels.
_life1_counters() {
	local ns spi
	for ns in left right; do
		for spi in "$@"; do
			printf '%s:%s=%s ' $ns "$spi" "$(_spi_bytes $ns "$spi")"
		done
	done
}

# _life1_new_pair_used OLD_IN OLD_OUT NEW_IN NEW_OUT: between two
# snapshots around pings both ways only the new pair's counters grew,
# in both kernels (pings: quick, well before the old pair's end), the
# old pair's stayed (or the state is gone); then
# the rekeyed traffic checks (markers, wire) on the new pair.
_life1_new_pair_used() {
	local a b w n0 n1
	a=$(_life1_counters "$@")
	ping_ok left-host "$A_RH" 5 && ping_ok right-host "$A_LH" 5 ||
	    { _dump; fail "no ping over the new IPsec SA"; }
	b=$(_life1_counters "$@")
	info "counters before: $a"
	info "counters after:  $b"
	for w in $b; do
		n1=${w#*=} n0=$(echo "$a" | tr ' ' '\n' | grep "^${w%=*}=")
		n0=${n0#*=}
		case ${w%=*} in
		*:"$1" | *:"$2")
			# an old state may be gone already: charon removes
			# its old outbound SA as soon as the new one is in
			# and keeps only the inbound one until it expires
			[ "$n1" = none ] || [ "$n1" = "$n0" ] ||
			    fail "${w%=*}: the old IPsec SA still carries traffic" ;;
		*)
			[ "$n1" != none ] && [ "$n0" != none ] ||
			    fail "${w%=*}: the new state is missing from the kernel"
			[ "$n1" -gt "$n0" ] ||
			    fail "${w%=*}: the new IPsec SA carries no traffic" ;;
		esac
	done
	info "the new pair carries the traffic, the old pair is idle"
	ROLE=$ROLE-rekeyed _traffic
	ROLE=$ROLE-rekeyed _wire_checks
}

# _life1_old_gone OLD_IN OLD_OUT NEW_IN NEW_OUT: the old pair leaves
# the peer's kernel at the end of its lifetime (200 s after it was made,
# 80 s after the rekey: up to about a minute from here) and ours within
# a few seconds; the new pair stays, the tunnel up.
_life1_old_gone() {
	local ns spi
	wait_until 90 _life1_gone right "$1" "$2" ||
	    { _dump; fail "$(peer_name $K) still holds the old IPsec SA"; }
	info "$(peer_name $K) removed the old IPsec SA"
	wait_until 8 _life1_gone left "$1" "$2" ||
	    { _dump; fail "ours: the old IPsec SA still in our kernel"; }
	info "our kernel no longer holds the old IPsec SA"
	grep -E 'xchg_event: SA [0-9]+: event [0-9]+: (lifetime expired|deleted by peer)' \
	    "$OUT/isakmpd-left.log" | tail -2
	for ns in left right; do
		for spi in "$3" "$4"; do
			[ "$(_spi_bytes $ns "$spi")" != none ] ||
			    fail "$ns: the new IPsec SA 0x$spi went with the old one"
		done
	done
	! grep -q 'phase-2 tunnel [0-9]* is down' "$OUT/isakmpd-left.log" ||
	    fail "ours: the old IPsec SA's end took the tunnel down"
	_ours_has 2 1 || { _dump; fail "ours: phase 2 not Active"; }
	ping_ok left-host "$A_RH" 3 ||
	    { _dump; fail "no ping over the new IPsec SA after the old one went"; }
}

# _life1_gone NS OLD_IN OLD_OUT: neither old state in NS's kernel.
_life1_gone() {
	! ip -n "$1" xfrm state | grep -Eq "spi 0x($2|$3) "
}
