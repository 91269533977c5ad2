#!/bin/bash
# vm-run itself (runs on the host, boots two VMs):
#  - a script's arguments (spaces, empty, '$', leading '-') and --env reach
#    the guest intact, IKE_BIN_DIR is forwarded, the guest runs Debian's
#    kernel with a writable root whose writes never reach the host, the
#    --out directory is shared, output is streamed, a non-executable script
#    runs with bash, and its exit status (7) comes out;
#  - --timeout stops a hanging script with 124;
#  - harness errors exit 125 with a message: no script, bad option, bad
#    --out path, and a kernel package apt cannot download (in a scratch
#    cache, so the real cache is not touched).
. "$(dirname "$(readlink -f "$0")")/lib/checks.sh"
VM_RUN=$(dirname "$(readlink -f "$0")")/vm-run
T=$(mktemp -d /tmp/ike-vm-harness.XXXXXX)
trap 'rm -rf "$T"' EXIT

# expect RC PATTERN CMD...: CMD exits RC and its output matches PATTERN.
expect() {
	local want=$1 pat=$2 rc
	shift 2
	"$@" > "$T/out" 2>&1
	rc=$?
	[ $rc = "$want" ] || { cat "$T/out"; fail "'$*': exit $rc, want $want"; }
	grep -q -e "$pat" "$T/out" ||
	    { cat "$T/out"; fail "'$*': no '$pat' in the output"; }
	info "exit $rc as it must: ${*#"$VM_RUN"}"
}

step "one VM: arguments, environment, shares, exit status"
mkdir -p "$T/out-dir"
cat > "$T/guest.sh" <<'EOF'
printf '%s\0' "$@" > "$IKE_VM_OUT/argv"
{
	echo "guest=$IKE_VM_GUEST kver=$IKE_VM_KVER uname=$(uname -r)"
	echo "foo=$FOO bin=$IKE_BIN_DIR"
} > "$IKE_VM_OUT/env"
echo "written in the guest" > /etc/ike-vm-harness-test || exit 3
echo "streamed from the guest"
exit 7
EOF
chmod 644 "$T/guest.sh"   # not executable: vm-run must use bash
rm -f /etc/ike-vm-harness-test
expect 7 '^streamed from the guest$' env IKE_BIN_DIR=/opt/ike-bin \
    "$VM_RUN" --out "$T/out-dir" --env 'FOO=b a r' "$T/guest.sh" \
    'a b' '' '$HOME' --timeout -x
printf '%s\0' 'a b' '' '$HOME' --timeout -x > "$T/argv.want"
cmp -s "$T/argv.want" "$T/out-dir/argv" || fail "arguments changed"
cat "$T/out-dir/env"
kver=$(sed -n 's/^kver=//p' "${IKE_VM_CACHE:-/var/cache/ike-vm}/stamp")
grep -qx "guest=1 kver=$kver uname=$kver" "$T/out-dir/env" ||
    fail "guest environment or kernel is wrong"
grep -qx "foo=b a r bin=/opt/ike-bin" "$T/out-dir/env" ||
    fail "--env or IKE_BIN_DIR did not arrive"
[ ! -e /etc/ike-vm-harness-test ] || fail "a guest write reached the host"

step "one VM: --timeout"
printf '#!/bin/sh\necho sleeping\nsleep 300\n' > "$T/hang.sh"
chmod 755 "$T/hang.sh"
expect 124 'timeout' "$VM_RUN" --timeout 12 "$T/hang.sh"

step "harness errors"
expect 125 'no such script' "$VM_RUN" "$T/does-not-exist.sh"
expect 125 'unknown option --bogus' "$VM_RUN" --bogus "$T/guest.sh"
expect 125 'no SCRIPT given' "$VM_RUN"
expect 125 'not a positive number' "$VM_RUN" --timeout 0 "$T/guest.sh"
expect 125 'no spaces or commas' "$VM_RUN" --out "$T/a,b" "$T/guest.sh"
[ ! -e "$T/a,b" ] || fail "a rejected --out directory was created"
expect 125 'linux-image-0.0-no-such-amd64' env IKE_VM_CACHE="$T/cache" \
    IKE_VM_KERNEL_PKG=linux-image-0.0-no-such-amd64 "$VM_RUN" --prepare
[ ! -e "$T/cache/stamp" ] || fail "a failed prepare wrote the stamp"
pass "vm-run"
