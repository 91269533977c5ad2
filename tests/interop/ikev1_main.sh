#!/bin/bash
# Interoperability: IKEv1 Main Mode PSK + Quick Mode, tunnel,
# AES-CBC-256/HMAC-SHA2-256, MODP-2048 (14), no PFS,
# our isakmpd (left) against the peer given as argument (right), first
# our daemon initiating, then the peer.  See lib/scenario.sh for what
# passes.  Usage, inside the VM: ikev1_main.sh strongswan|libreswan
. "$(dirname "$(readlink -f "$0")")/lib/scenario.sh"
interop_main "${1:-}" v1main
