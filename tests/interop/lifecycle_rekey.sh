#!/bin/bash
# Interoperability: IKEv2 PSK lifecycle (rekey), tunnel, AES-GCM-256,
# Curve25519 (31); our isakmpd (left) against the peer given as
# argument (right): first our daemon brings the tunnel up and acts,
# then the peer.  See lib/lifecycle.sh for what passes.
# Usage, inside the VM: lifecycle_rekey.sh strongswan|libreswan
. "$(dirname "$(readlink -f "$0")")/lib/scenario.sh"
interop_main "${1:-}" life_rekey
