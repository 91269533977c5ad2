# tests/interop/lib/case_life1.sh: the lifecycle cases beyond the IKEv2
# ones of lib/scenario.sh (sourced by it; what they do and prove is in
# lib/lifecycle.sh):
#
#   life1_delete   IKEv1: Delete of the IPsec SA, then of the ISAKMP SA
#   life1_dpd      IKEv1: the other side killed, declared dead by DPD
#                  (RFC 3706)
#   life1_rekey    IKEv1: IPsec SA (Quick Mode) and ISAKMP SA rekeyed,
#                  ping running
#   life_restart   IKEv2: the peer restarted, initiating with
#                  INITIAL_CONTACT, replaces the old SAs (the IKEv1
#                  variant, INITIAL-CONTACT of RFC 2407, is not run
#                  against the peers yet)
#
# The IKEv1 cases are Main Mode PSK, AES-CBC-256/HMAC-SHA2-256,
# MODP-2048 (14), no PFS: the algorithms of the v1main case.

_life1() {
	C_VERSION=1 C_IKE_GCM=0 C_ESP_GCM=0 C_DH=14 C_LIFE=$1
	C_TITLE="IKEv1 lifecycle: $2; Main Mode PSK, AES-CBC-256/HMAC-SHA2-256, MODP-2048 (14)"
}

case_life1_delete() {
	_life1 delete "Delete of the IPsec SA, then of the ISAKMP SA, by the side named"
}

case_life1_dpd() {
	_life1 dpd "the other side killed, declared dead by the DPD (RFC 3706) of the side named"
}

case_life1_rekey() {
	_life1 rekey "IPsec SA (Quick Mode) and ISAKMP SA rekeyed by the side named, ping running"
	C_PRE_START=_life1_rekey_conf
}

# _life1_rekey_conf: when the peer rekeys (IKEv1: _life1_rekey_peer of
# lib/lifecycle.sh), short lifetimes of its own, without random fuzz:
# the IPsec SA rekeyed at 120 s and expired at 200 s (both peers put
# the 200 s in their Quick Mode proposal, and our daemon adopts it); the
# ISAKMP SA rekeyed by libreswan at 140 s (strongSwan's on demand).
# 120 s: after the first checks (up to 90 s on two loaded cores
# without KVM); 80 s more to the old IPsec SA's end: the rekeyed
# checks fall before it (up to 60 s), and the new IPsec SA's own rekey
# (at 240 s) after it.
_life1_rekey_conf() {
	[ $ROLE = peer ] || return 0
	local d
	d=$(peer_dir $PN)
	case $K in
	sw)
		sed -i 's/^\(\t*\)esp_proposals = .*/&\n\1rekey_time = 120s\n\1life_time = 200s\n\1rand_time = 0s/' \
		    "$d/swanctl.conf"
		grep -q 'life_time = 200s' "$d/swanctl.conf" ||
		    fail "strongSwan: lifetimes not in swanctl.conf"
		;;
	ls)
		printf '\t%s\n' salifetime=200s ikelifetime=220s \
		    rekeymargin=80s rekeyfuzz=0% >> "$d/ipsec.conf" ;;
	esac
}

case_life_restart() {
	C_LIFE=restart C_PRE_START=_life_contact_conf
	C_TITLE="IKEv2 lifecycle: the peer killed and restarted initiates with INITIAL_CONTACT, its new SAs replace the old ones (first initiator: the side named); AES-GCM-256, Curve25519 (31)"
}

# _life_contact_conf: libreswan sends INITIAL_CONTACT only when told
# (initial-contact=no by default in 4.10); strongSwan does by default.
_life_contact_conf() {
	[ $K = ls ] || return 0
	printf '\tinitial-contact=yes\n' >> "$(peer_dir $PN)/ipsec.conf"
}
