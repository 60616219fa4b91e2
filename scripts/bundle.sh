#!/usr/bin/env bash
# Writes dist/aviary-<version>-linux-x64.tar.gz: everything `aviary submit` needs on a Linux x64
# machine with Node 20 and no network: the built JS, the production node_modules, models/, and
# the OpenVINO runtime libraries that the C-API backend loads (lib/openvino/, where
# src/inference/locate-openvino.ts looks when there is no .venv). docs/offline.md explains it.
#
#   scripts/bundle.sh [--no-build] [--with-node] [--out DIR]
#     --no-build   use dist/src as it is (the caller just ran `npm run build`)
#     --with-node  also copy this machine's node binary to bin/node (run.sh prefers it)
#     --out DIR    where the .tar.gz goes (default: dist/)
# OPENVINO_LIBS=DIR overrides where the OpenVINO libraries come from (default: the .venv wheel).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

build=1
with_node=0
out_dir=$root/dist
while [ $# -gt 0 ]; do
  case $1 in
    --no-build) build=0 ;;
    --with-node) with_node=1 ;;
    --out) out_dir=$2; shift ;;
    *) echo "bundle.sh: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done

version=$(node -p "require('./package.json').version")
name=aviary-$version-linux-x64
ov_src=${OPENVINO_LIBS:-$(ls -d "$root"/.venv/lib/python3*/site-packages/openvino/libs 2>/dev/null | sort | tail -n 1)}
if [ -z "$ov_src" ] || ! ls "$ov_src"/libopenvino_c.so* >/dev/null 2>&1; then
  echo "bundle.sh: no OpenVINO libraries in '${ov_src:-.venv}'; run \`make train-setup\` or set OPENVINO_LIBS" >&2
  exit 3
fi

[ "$build" = 1 ] && npm run build --silent
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage=$work/$name
mkdir -p "$stage/dist" "$stage/lib/openvino" "$stage/models"

cp -a dist/src "$stage/dist/src"
cp package.json "$stage/"
# The students only: `submit` runs nothing else, and the FP32 teacher would double the archive.
for manifest in models/*/manifest.json; do
  [ -e "$manifest" ] || continue
  role=$(node -p "JSON.parse(require('fs').readFileSync('$manifest', 'utf8')).role")
  if [ "$role" = student ]; then cp -a "$(dirname "$manifest")" "$stage/models/"; fi
done

# Production packages only, exactly the tree npm resolved (no network, unlike `npm ci`): npm ls
# lists every installed non-dev package folder, nested ones included.
npm ls --omit=dev --all --parseable | sed "s|^$root/||" | grep '^node_modules/' | while read -r pkg; do
  [ -d "$stage/$pkg" ] || cp -a --parents "$pkg" "$stage/"
done
# onnxruntime-node ships its native library for every platform; keep linux/x64 (and no GPU
# providers, which `ONNXRUNTIME_NODE_INSTALL_CUDA=skip` already left out).
ort=$stage/node_modules/onnxruntime-node/bin/napi-v6
if [ -d "$ort" ]; then
  find "$ort" -mindepth 1 -maxdepth 1 ! -name linux -exec rm -rf {} +
  find "$ort/linux" -mindepth 1 -maxdepth 1 ! -name x64 -exec rm -rf {} +
  rm -f "$ort"/linux/x64/libonnxruntime_providers_{cuda,tensorrt}*.so
fi

# OpenVINO: the C API and what it links (ldd: libopenvino, libtbb), plus what OpenVINO opens
# with dlopen, which ldd cannot see: the CPU plugin, the IR reader (models are model.xml), TBB's
# allocator, and tbbbind + hwloc (core and NUMA binding). Checked with strace on a real run.
# The GPU/NPU plugins, the other frontends and the GPU kernel cache.json are left out.
for lib in libopenvino_c.so* libopenvino.so* libopenvino_intel_cpu_plugin.so libopenvino_ir_frontend.so* \
  libtbb.so* libtbbmalloc.so* libtbbbind_2_5.so* libhwloc.so* plugins.xml; do
  for f in "$ov_src"/$lib; do [ -e "$f" ] && cp -a "$f" "$stage/lib/openvino/"; done
done
# Every library must resolve its dependencies inside lib/openvino (RPATH $ORIGIN) or from the
# system's libc/libstdc++; "not found" or a path back into the venv means a file is missing.
for so in "$stage"/lib/openvino/*.so*; do
  deps=$(env -u LD_LIBRARY_PATH ldd "$so")
  if grep -q 'not found' <<<"$deps" || grep -q "$ov_src" <<<"$deps"; then
    echo "bundle.sh: $(basename "$so") does not resolve inside the bundle:" >&2
    echo "$deps" >&2
    exit 4
  fi
done

if [ "$with_node" = 1 ]; then
  mkdir -p "$stage/bin"
  cp "$(command -v node)" "$stage/bin/node"
fi

cat >"$stage/run.sh" <<'EOF'
#!/bin/sh
# The bundle's entry: ./run.sh submit -i DIR -o OUT (any aviary command and options).
# Paths stay relative to where it is called from; bin/node is used when the bundle has one.
# Shell built-ins only, so it runs even with a bare PATH.
case $0 in */*) here=${0%/*} ;; *) here=. ;; esac
here=$(cd "$here" && pwd)
node=node
[ -x "$here/bin/node" ] && node="$here/bin/node"
exec "$node" "$here/dist/src/cli.js" "$@"
EOF
chmod +x "$stage/run.sh"

cat >"$stage/README.md" <<EOF
# aviary $version, offline bundle (Linux x64)

Scores bird species in every 5-second window of long field recordings, on the CPU, with no
network. Needs Node 20 on PATH (or a bundle made with \`--with-node\`) and glibc 2.28 or newer.

    ./run.sh submit -i /path/to/soundscapes -o /path/to/out    # writes out/submission.csv
    ./run.sh models --check                                    # models and backends, checked
    ./run.sh submit --help                                     # every option and exit code

- \`models/\`: the student models scored by default (\`-m DIR\` picks another folder).
- \`lib/openvino/\`: the OpenVINO runtime (C API, CPU plugin, IR reader, TBB) of the default
  backend; \`--backend onnxruntime\` uses node_modules/onnxruntime-node instead.
- A killed run resumes when started again with the same arguments; see run-info.json beside
  the CSV for the settings, models, failures and timings of a run.
EOF

mkdir -p "$out_dir"
tar -C "$work" -czf "$out_dir/$name.tar.gz" "$name"
echo "bundle: $out_dir/$name.tar.gz: $(du -h "$out_dir/$name.tar.gz" | cut -f1) packed, $(du -sh "$stage" | cut -f1) unpacked"
echo "  node_modules $(du -sh "$stage/node_modules" | cut -f1), lib/openvino $(du -sh "$stage/lib/openvino" | cut -f1), models $(du -sh "$stage/models" | cut -f1), dist $(du -sh "$stage/dist" | cut -f1)"
