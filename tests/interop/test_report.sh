#!/bin/bash
# report.sh on made-up results: a PASS, a FAIL, an unknown status (must
# read FAIL) and missing runs ("not run"), the versions from the results
# and, for runs without one, from the prepare step's list; the IKEv1
# scenarios are rows like the others; the certificate rows say "not
# built yet" and never PASS; a bad call is a usage error.  No VM, no
# root.
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
res libreswan ikev1_aggressive peer PASS 4.10-test
mkdir -p "$t/cache"
printf 'strongswan=9.9-list\nlibreswan=8.8-list\n' > "$t/cache/interop-versions"

IKE_VM_CACHE=$t/cache "$here/report.sh" "$t/r" "$t/out.md" || no "exit status"
md=$t/out.md
grep -qF '| strongSwan | 5.9.8-test | T psk_gcm_x25519 | isakmpd | PASS |' "$md" ||
    no "PASS row"
grep -qF '| strongSwan | 5.9.8-test | T psk_gcm_x25519 | strongSwan | FAIL |' "$md" ||
    no "FAIL row"
grep -qF '| libreswan | 4.10-test | T transport | isakmpd | FAIL |' "$md" ||
    no "a status other than PASS is FAIL"
grep -qF '| libreswan | 8.8-list | IKEv2 PSK over IPv6, tunnel, AES-GCM-256, Curve25519 (31) | libreswan | not run |' "$md" ||
    no "missing run, version from the list"
grep -qF '| libreswan | 4.10-test | T ikev1_aggressive | libreswan | PASS |' "$md" ||
    no "IKEv1 PASS row"
grep -qF '| strongSwan | 9.9-list | IKEv1 Main Mode PSK, tunnel, AES-CBC-256/HMAC-SHA2-256, ECP-256 (19), Quick Mode PFS ECP-256 (19) | isakmpd | not run |' "$md" ||
    no "IKEv1 PFS row not run"
[ "$(grep -c '^| .* | PASS |$' "$md")" = 2 ] || no "exactly two PASS"
# 11 scenarios x 2 peers x 2 initiators, 4 of them with a result
[ "$(grep -c '| not run |$' "$md")" = 40 ] || no "40 runs not run"
[ "$(grep -c '^| .* | IKEv2 lifecycle: .* | not run |$' "$md")" = 12 ] ||
    no "12 lifecycle runs not run"
[ "$(grep -c '^| .*IKEv1.* | not run |$' "$md")" = 15 ] ||
    no "15 IKEv1 runs not run"
[ "$(grep -c '^| .*certificates.* | not built yet |$' "$md")" = 4 ] ||
    no "certificate rows not built yet"
[ "$(grep -c '| not built yet |$' "$md")" = 4 ] ||
    no "only the certificate rows are not built"
grep -q 'certificates.*PASS' "$md" && no "certificate PASS"
head -1 "$md" | grep -q '^# Interoperability' || no "the head comes first"
"$here/report.sh" "$t/none" > /dev/null 2>&1
[ $? = 2 ] || no "a missing directory is a usage error"
"$here/report.sh" > /dev/null 2>&1
[ $? = 2 ] || no "no argument is a usage error"
[ $bad = 0 ] && echo "PASS: report.sh" || { cat "$md"; exit 1; }
