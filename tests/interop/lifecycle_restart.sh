#!/bin/bash
# Interoperability: IKEv2 PSK lifecycle, the peer restarted with
# INITIAL_CONTACT; our isakmpd (left) against the peer given as argument
# (right): first our daemon brings the tunnel up, then the peer; each
# time the peer is killed, restarted and initiates again.  See
# lib/case_life1.sh and lib/lifecycle.sh for what passes.
# Usage, inside the VM: lifecycle_restart.sh strongswan|libreswan
. "$(dirname "$(readlink -f "$0")")/lib/scenario.sh"
interop_main "${1:-}" life_restart
