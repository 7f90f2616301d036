#!/usr/bin/env bash
# Installs what the reference comparison of `bench … detect` needs (docs/benchmarks.md): a python3 with
# PyTorch and OpenCV, to run ../shared/reference/bench_ref.py (ssd.pytorch's forward and Detect), and
# torchvision, which the reference's data package imports (data/coco.py) although the benchmark uses none of it.
# Debian and Ubuntu: the distribution's packages python3-torch, python3-torchvision and python3-opencv
# (apt-get; as root, or through passwordless sudo), which go to the system's /usr/bin/python3.
# Elsewhere: says what to do. Already installed: does nothing.
# Exit code 0 when python3 or /usr/bin/python3 imports torch, torchvision and cv2 afterwards.
set -euo pipefail

# The benchmark tries python3 on PATH first, then /usr/bin/python3 (a pyenv or venv python3 may hide Debian's).
reference_python() {
    for python in python3 /usr/bin/python3; do
        if command -v "$python" >/dev/null && "$python" -c 'import torch, torchvision, cv2' 2>/dev/null; then
            echo "$python"
            return 0
        fi
    done
    return 1
}

report() {
    "$1" -c 'import torch, torchvision, cv2; print("setup-reference: '"$1"': PyTorch", torch.__version__, "torchvision", torchvision.__version__, "OpenCV", cv2.__version__)'
}

if python=$(reference_python); then
    report "$python"
    exit 0
fi

if command -v apt-get >/dev/null; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
            echo "setup-reference: not root and no passwordless sudo: run 'apt-get install -y python3-torch python3-torchvision python3-opencv' as root" >&2
            exit 1
        fi
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq || echo "setup-reference: apt-get update failed; trying the cached package lists" >&2
    $sudo apt-get install -y -qq --no-install-recommends python3-torch python3-torchvision python3-opencv
else
    echo "setup-reference: install PyTorch, torchvision and OpenCV for python3 with your system's package manager," >&2
    echo "or 'pip install torch torchvision opencv-python-headless' into the python3 on PATH" >&2
    exit 1
fi

if python=$(reference_python); then
    report "$python"
else
    echo "setup-reference: installed, but neither python3 nor /usr/bin/python3 imports torch, torchvision and cv2" >&2
    exit 1
fi
