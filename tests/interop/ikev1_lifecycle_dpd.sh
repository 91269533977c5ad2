#!/bin/bash
# Interoperability: IKEv1 Main Mode PSK lifecycle (dead peer detection), tunnel,
# AES-CBC-256/HMAC-SHA2-256, MODP-2048 (14); our isakmpd (left) against
# the peer given as argument (right): first our daemon brings the tunnel
# up and acts, then the peer.  See lib/case_life1.sh and
# lib/lifecycle.sh for what passes.
# Usage, inside the VM: ikev1_lifecycle_dpd.sh strongswan|libreswan
. "$(dirname "$(readlink -f "$0")")/lib/scenario.sh"
interop_main "${1:-}" life1_dpd
