#!/usr/bin/env bash
# Regenerates Sources/COnnx from schemas/onnx.proto with protoc-c (Debian: protobuf-c-compiler).
#
#   scripts/regenerate-onnx-c.sh            rewrite the committed files
#   scripts/regenerate-onnx-c.sh OUTDIR     write them to OUTDIR instead (used by the staleness test)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-Sources/COnnx}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
protoc-c --proto_path=schemas --c_out="$tmp" schemas/onnx.proto
banner='/* Generated from schemas/onnx.proto by scripts/regenerate-onnx-c.sh (protoc-c). Do not edit. */'
mkdir -p "$out/include"
{ echo "$banner"; sed 's|#include "onnx.pb-c.h"|#include "include/onnx.pb-c.h"|' "$tmp/onnx.pb-c.c"; } > "$out/onnx.pb-c.c"
{ echo "$banner"; cat "$tmp/onnx.pb-c.h"; } > "$out/include/onnx.pb-c.h"
