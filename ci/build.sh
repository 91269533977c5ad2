#!/usr/bin/env bash
# Configures and builds one variant: ci/build.sh DIR [cmake options...]
# Warnings are errors in every variant.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
shift
cmake -S "$top" -B "$dir" -DIKE_WERROR=ON "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)"
