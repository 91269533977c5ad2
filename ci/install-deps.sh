#!/usr/bin/env bash
# Installs what ike needs to build and test, from Debian 12 packages.
# Idempotent: installs only what is missing; run as root.
set -euo pipefail

pkgs=(
	gcc make cmake			# toolchain
	android-libboringssl-dev	# BoringSSL (crypto)
	libevent-dev			# event loop
	liblmdb-dev			# tunnel-definition database
	libexpat1-dev			# ikedb XML
	libcmocka-dev			# unit-test framework
	iproute2			# network namespaces in integration tests
	openssl				# test CAs of the real-kernel certificate tests
)

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
if [ "${#missing[@]}" -eq 0 ]; then
	echo "install-deps: all packages present"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing ${missing[*]}; run this script as root" >&2
	exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
