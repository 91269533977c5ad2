#!/bin/bash
# Interoperability: IKEv2 negotiations that must fail (wrong PSK, no
# common proposal, traffic selectors that do not fit), our isakmpd (left)
# against the peer given as argument (right), first our daemon
# initiating, then the peer; after each failure the right configuration
# comes up with the same daemons.  See lib/case_mismatch.sh for what
# passes.  Usage, inside the VM: mismatch.sh strongswan|libreswan
. "$(dirname "$(readlink -f "$0")")/lib/scenario.sh"
interop_main "${1:-}" mismatch
