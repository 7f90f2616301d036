#!/usr/bin/env bash
# The GPU checks of docs/gpu.md.
#
#   tools/gpu-check.sh bundle BUNDLE.tar.xz   (on a build machine with the .NET SDK)
#     publishes `ssd` and the benchmarks self-contained for linux-x64 and removes the CPU libtorch
#     libraries (1.4 GB; libLibTorchSharp.so stays), ONNX Runtime and the bundled models (the repository
#     has them): the bundle is ~33 MB and needs no .NET; it fails when it and the repository would not
#     fit in what a device run carries.
#
#   tools/gpu-check.sh run BUNDLE.tar.xz [OUT_DIR]   (on the GPU machine: Linux x64, NVIDIA driver,
#     PyTorch with CUDA installed for python3 — its torch/lib is the libtorch the bundle uses)
#     unpacks the bundle, puts the repository's models/ beside ssd, and runs `SsdSharp.Bench gpu`:
#     detections of the bundled model on the CPU and on CUDA, training losses on both from the same seed
#     and batches, forward and training-step timings, voc300 from scratch under candidate recipes; then
#     `SsdSharp.Bench bulk` on CUDA (bulk detection's pipeline against detection in turns). Figures go to
#     stdout (and OUT_DIR/gpu-check.txt).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
case "${1:-}" in
  bundle)
    out="$(realpath -m "${2:?usage: gpu-check.sh bundle BUNDLE.tar.xz}")"
    stage="$(mktemp -d)"
    trap 'rm -rf "$stage"' EXIT
    for project in src/SsdSharp.Cli bench/SsdSharp.Bench; do
      dotnet publish "$here/$project" -c Release -r linux-x64 --self-contained -o "$stage/ssdsharp" >/dev/null
    done
    # libtorch comes from the GPU machine (a CUDA build); the CPU build would shadow it. `ssd serve` (ASP.NET
    # Core), ONNX Runtime (the checks run libtorch on CUDA; no ONNX Runtime GPU build is on the machine), symbols
    # and the debugger's libraries are not part of the checks: without them the bundle and the repository fit
    # in what a device run may carry (64 MiB).
    (cd "$stage/ssdsharp" && rm -f libtorch*.so libc10.so libgomp*.so* libshm.so libbackend_with_compiler.so \
      libjitbackend_test.so libnnapi_backend.so libaoti_custom_ops.so libtorchbind_test.so libonnxruntime*.so \
      Microsoft.AspNetCore.*.dll Scalar.AspNetCore.dll ./*.pdb createdump libmscordaccore.so libmscordbi.so)
    # The bundled models travel once: a device run carries the repository, whose models/ `run` puts back beside ssd.
    rm -r "$stage/ssdsharp/models"
    # The benchmark's publish brings the sample pictures (samples/*.jpg) that `run` detects on.
    test -f "$stage/ssdsharp/samples/shapes-1.jpg" || { echo "the benchmark's publish brought no samples/*.jpg" >&2; exit 1; }
    tar -C "$stage" -cf - ssdsharp | xz -T0 -9e > "$out"
    # A device run carries the repository's files (tracked, and untracked ones git does not ignore) and the
    # bundle, 64 MiB in all. A tracked file deleted from the work tree counts nothing.
    tree=$(git -C "$here" ls-files -z --cached --others --exclude-standard | (cd "$here" && xargs -0 stat -c %s 2>/dev/null || true) \
      | awk '{ s += $1 } END { print s + 0 }')
    total=$(( tree + $(stat -c %s "$out") ))
    echo "wrote $out ($(du -h "$out" | cut -f1)); with the repository's files $((total / 1048576)) MiB of the 64 MiB a device run carries"
    if (( total > 64 * 1048576 )); then echo "too large to carry to the device" >&2; exit 1; fi
    ;;
  run)
    bundle="$(realpath "${2:?usage: gpu-check.sh run BUNDLE.tar.xz [OUT_DIR]}")"
    out="$(realpath -m "${3:-.}")"
    mkdir -p "$out"
    work="$(mktemp -d)"
    tar -C "$work" -xJf "$bundle"
    cp -r "$here/models" "$work/ssdsharp/"
    torchlib="$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')"
    export LD_LIBRARY_PATH="$torchlib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    {
      echo "## $(date -u +%FT%TZ) on $(hostname)"
      nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
      lscpu | grep -E '^Model name|^CPU\(s\)' || true
      python3 -c 'import torch; print("PyTorch", torch.__version__, "CUDA", torch.version.cuda)' || true
      "$work/ssdsharp/SsdSharp.Bench" gpu --model "$work/ssdsharp/models/shapes300.safetensors" --images "$work/ssdsharp/samples"
      # Bulk detection's pipeline on the GPU (docs/scale.md): 2,000 synthetic JPEGs, batch 32.
      "$work/ssdsharp/ssd" synth --out "$work/bulk" --images 2000 >/dev/null
      "$work/ssdsharp/SsdSharp.Bench" bulk "$work/bulk/JPEGImages" 32 "$work/ssdsharp/models/shapes300.safetensors" --device cuda
    } 2>&1 | tee "$out/gpu-check.txt"
    ;;
  *)
    echo "usage: tools/gpu-check.sh bundle BUNDLE.tar.xz | run BUNDLE.tar.xz [OUT_DIR]" >&2
    exit 2
    ;;
esac
