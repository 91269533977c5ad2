#!/bin/bash
# report.sh on made-up results and a made-up scenario list: a PASS, a
# FAIL, an unknown status (must read FAIL) and missing runs ("not run",
# with the title the scenario's case sets), the versions from the
# results and, for runs without one, from the prepare step's list; the
# set of each scenario; a scenario limited to one peer has no rows for
# the other; a bad call is a usage error.  No VM, no root.
set -u
here=$(dirname "$(readlink -f "$0")")
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
bad=0
no() { echo "FAIL: $*"; bad=1; }

res() {	# res PEER SCENARIO ROLE STATUS VERSION
	mkdir -p "$t/r/interop_$1_$2.out"
	printf 'peer=x\nversion=%s\ncase=c\ntitle=T %s\nrole=%s\nstatus=%s\n' \
	    "$5" "$2" "$3" "$4" > "$t/r/interop_$1_$2.out/result-$3.txt"
}
res strongswan psk_gcm_x25519 ours PASS 5.9.8-test
res strongswan psk_gcm_x25519 peer FAIL 5.9.8-test
res libreswan transport ours RUNNING 4.10-test
res strongswan ikev1_cert_ecdsa peer PASS 5.9.8-test
mkdir -p "$t/cache"
printf 'strongswan=9.9-list\nlibreswan=8.8-list\n' > "$t/cache/interop-versions"
cat > "$t/list" <<'L'
set(IOP_SCENARIOS
  psk_gcm_x25519:base transport:full
  ikev1_pfs:full ikev1_cert_ecdsa:full:strongswan ipv6:base)
L

IOP_LIST=$t/list IKE_VM_CACHE=$t/cache "$here/report.sh" "$t/r" "$t/out.md" ||
    no "exit status"
md=$t/out.md
grep -qF '| strongSwan | 5.9.8-test | T psk_gcm_x25519 | isakmpd | base | PASS |' "$md" ||
    no "PASS row"
grep -qF '| strongSwan | 5.9.8-test | T psk_gcm_x25519 | strongSwan | base | FAIL |' "$md" ||
    no "FAIL row"
grep -qF '| libreswan | 4.10-test | T transport | isakmpd | full | FAIL |' "$md" ||
    no "a status other than PASS is FAIL"
grep -qF '| libreswan | 8.8-list | IKEv2 PSK over IPv6, tunnel, AES-GCM-256, Curve25519 (31) | libreswan | base | not run |' "$md" ||
    no "missing run: version from the list, title from the case"
grep -qF '| strongSwan | 9.9-list | IKEv1 Main Mode PSK, tunnel, AES-CBC-256/HMAC-SHA2-256, ECP-256 (19), Quick Mode PFS ECP-256 (19) | isakmpd | full | not run |' "$md" ||
    no "IKEv1 PFS row not run"
grep -qF '| strongSwan | 5.9.8-test | T ikev1_cert_ecdsa | strongSwan | full | PASS |' "$md" ||
    no "a scenario limited to one peer"
grep -q '^| libreswan .*ECDSA' "$md" && no "rows for a peer the scenario excludes"
[ "$(grep -c '^| .* | PASS |$' "$md")" = 2 ] || no "exactly two PASS"
# (4 scenarios x 2 peers + 1 x 1 peer) x 2 initiators = 18, 4 with a result
[ "$(grep -c '^| \(strongSwan\|libreswan\) |' "$md")" = 18 ] || no "18 rows"
[ "$(grep -c '| not run |$' "$md")" = 14 ] || no "14 runs not run"
[ "$(grep -c '| full | ' "$md")" = 10 ] || no "10 rows of set full"
head -1 "$md" | grep -q '^# Interoperability' || no "the head comes first"
"$here/report.sh" "$t/none" > /dev/null 2>&1
[ $? = 2 ] || no "a missing directory is a usage error"
"$here/report.sh" > /dev/null 2>&1
[ $? = 2 ] || no "no argument is a usage error"
[ $bad = 0 ] && echo "PASS: report.sh" || { cat "$md"; exit 1; }
