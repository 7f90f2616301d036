#!/usr/bin/env bash
# Installs the Debian packages that two optional test groups drive, so that they run instead of being skipped:
#   chromium      the web page's browser test (Playwright's own browser download needs the internet);
#   python3-onnx  the ONNX project's checker for exported models (ONNX 1.12).
# Best effort: as root or with passwordless sudo; otherwise it says so and those tests report themselves skipped.
set -uo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
python3 -c 'import onnx' >/dev/null 2>&1 || missing+=(python3-onnx)
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then echo "setup-test-tools: no apt-get; install ${missing[*]} yourself"; exit 1; fi
if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
  echo "setup-test-tools: not root and no passwordless sudo; install ${missing[*]} yourself"; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y "${missing[@]}" >/dev/null 2>&1 ||
  { $sudo apt-get update >/dev/null 2>&1 && $sudo apt-get install -y "${missing[@]}" >/dev/null 2>&1; } ||
  { echo "setup-test-tools: could not install ${missing[*]}"; exit 1; }
