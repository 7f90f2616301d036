#!/usr/bin/env bash
# The GPU checks and GPU training runs of docs/gpu.md.
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
#
#   tools/gpu-check.sh train BUNDLE.tar.xz OUT_DIR SECONDS RUN [RUN...]   (on the GPU machine, as `run`)
#     trains each RUN (the options of one `ssd train`, e.g. "--init shapes512 --data VOC:DATA/shapes-train
#     --iterations 4000 --lr 0.004"; DATA/ names the synthetic sets below, made here from their seeds) side by side
#     on the GPU, each with its share of the cores as loader workers; a minute before SECONDS (the time the whole
#     command may take) the runs still going are stopped as Ctrl-C would (a checkpoint) and their models written
#     at the iteration reached. Each model is then scored on the validation split. OUT_DIR/runN holds each run's
#     folder (model, checkpoints, train.jsonl), OUT_DIR/runN.log its output and scores.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

# Unpacks the bundle into $work with the repository's models beside ssd and points the loader at PyTorch's
# libtorch (CUDA build).
unpack() {
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  tar -C "$work" -xJf "$1"
  cp -r "$here/models" "$work/ssdsharp/"
  torchlib="$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')"
  export LD_LIBRARY_PATH="$torchlib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
}

machine() {
  echo "## $(date -u +%FT%TZ) on $(hostname)"
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
  lscpu | grep -E '^Model name|^CPU\(s\)' || true
  python3 -c 'import torch; print("PyTorch", torch.__version__, "CUDA", torch.version.cuda)' || true
}
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
    unpack "$bundle"
    {
      machine
      "$work/ssdsharp/SsdSharp.Bench" gpu --model "$work/ssdsharp/models/shapes300.safetensors" --images "$work/ssdsharp/samples"
      # Bulk detection's pipeline on the GPU (docs/scale.md): 2,000 synthetic JPEGs, batch 32.
      "$work/ssdsharp/ssd" synth --out "$work/bulk" --images 2000 >/dev/null
      "$work/ssdsharp/SsdSharp.Bench" bulk "$work/bulk/JPEGImages" 32 "$work/ssdsharp/models/shapes300.safetensors" --device cuda
    } 2>&1 | tee "$out/gpu-check.txt"
    ;;
  train)
    usage="usage: gpu-check.sh train BUNDLE.tar.xz OUT_DIR SECONDS RUN [RUN...]"
    bundle="$(realpath "${2:?$usage}")"
    out="$(realpath -m "${3:?$usage}")"
    seconds="${4:?$usage}"
    shift 4
    (( $# > 0 )) || { echo "$usage" >&2; exit 2; }
    started=$SECONDS
    mkdir -p "$out"
    unpack "$bundle"
    ssd="$work/ssdsharp/ssd" data="$work/data" device="${SSD_DEVICE:-cuda}"
    machine | tee "$out/machine.txt"
    # The synthetic sets of docs/training.md, made only when a run names them (synth uses every core); the
    # validation split always, to choose between the runs.
    declare -A sets=([shapes-train]="--images 20000 --seed 1" [shapes-train21]="--images 10000 --seed 21"
      [shapes-dense]="--images 10000 --seed 41 --max-objects 12" [shapes-val]="--images 5000 --seed 3")
    for set in "${!sets[@]}"; do
      if [[ $set == shapes-val || " $* " == *"DATA/$set"[,\ ]* ]]; then
        read -ra synth <<< "${sets[$set]}"
        "$ssd" synth --out "$data/$set" "${synth[@]}" >/dev/null
      fi
    done
    # The machine's cores, less two for the trainers' own threads, shared out as loader workers.
    workers=$(( ($(nproc) - 2) / $# )); (( workers >= 1 )) || workers=1
    pids=() runs=()
    for spec in "$@"; do
      dir="$out/run$(( ${#runs[@]} + 1 ))"
      read -ra options <<< "${spec//DATA\//$data/}"
      echo "$dir: ssd train $spec" | tee "$dir.log"
      "$ssd" train "${options[@]}" --out "$dir" --device "$device" --workers "$workers" >> "$dir.log" 2>&1 &
      pids+=($!) runs+=("$dir|${options[*]}")
    done
    # SIGTERM stops a run as Ctrl-C does: the step finishes and a checkpoint is written. The last minute is for
    # that, the models and the scores.
    while (( SECONDS - started < seconds - 60 )) && kill -0 "${pids[@]}" 2>/dev/null; do sleep 1; done
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait || true
    for run in "${runs[@]}"; do
      dir="${run%%|*}"
      read -ra options <<< "${run#*|}"
      if [[ ! -f $dir/model.safetensors && -f $dir/checkpoint.json ]]; then
        # A run stopped early: --resume to the iteration it reached writes its model without another step.
        reached=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["iteration"])' "$dir/checkpoint.json")
        trained_on=""
        for i in "${!options[@]}"; do [[ ${options[i]} == --data ]] && trained_on="${options[i + 1]}"; done
        "$ssd" train --resume "$dir" --data "$trained_on" --iterations "$reached" --device "$device" >> "$dir.log" 2>&1
      fi
      if [[ -f $dir/model.safetensors ]]; then
        "$ssd" eval --weights "$dir/model.safetensors" --data "VOC:$data/shapes-val" --split test --device "$device" --backend libtorch 2>&1 \
          | tee -a "$dir.log" || echo "$dir: the evaluation failed (above)"
      fi
    done
    ;;
  *)
    echo "usage: tools/gpu-check.sh bundle BUNDLE.tar.xz | run BUNDLE.tar.xz [OUT_DIR] | train BUNDLE.tar.xz OUT_DIR SECONDS RUN [RUN...]" >&2
    exit 2
    ;;
esac
