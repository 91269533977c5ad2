#!/bin/bash
# Interoperability: IKEv2 PSK, tunnel, AES-CBC-256/HMAC-SHA2-256, MODP-2048 (14),
# our isakmpd (left) against the peer given as argument (right), first
# our daemon initiating, then the peer.  See lib/scenario.sh for what
# passes.  Usage, inside the VM: psk_cbc_modp2048.sh strongswan|libreswan
. "$(dirname "$(readlink -f "$0")")/lib/scenario.sh"
interop_main "${1:-}" cbc14
