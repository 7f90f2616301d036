#!/usr/bin/env bash
# Installs FFmpeg (ffmpeg and ffprobe), which SsdSharp uses to read and write video (docs/video.md).
# Debian and Ubuntu: the distribution's package (apt-get; as root, or through sudo). Elsewhere: says what to do.
# Already installed: does nothing. Exit code 0 when ffmpeg and ffprobe are on PATH afterwards.
set -euo pipefail

if command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null; then
    echo "setup-video: $(ffmpeg -hide_banner -version | head -n 1)"
    exit 0
fi

if command -v apt-get >/dev/null; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null; then sudo="sudo -n"; else
            echo "setup-video: not root and no sudo: run 'apt-get install -y ffmpeg' as root" >&2
            exit 1
        fi
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq || echo "setup-video: apt-get update failed; trying the cached package lists" >&2
    $sudo apt-get install -y -qq --no-install-recommends ffmpeg
elif command -v brew >/dev/null; then
    brew install ffmpeg
else
    echo "setup-video: install FFmpeg with your system's package manager (https://ffmpeg.org/download.html)," >&2
    echo "or put ffmpeg and ffprobe in a folder and set SSDSHARP_FFMPEG_DIR to it" >&2
    exit 1
fi
echo "setup-video: $(ffmpeg -hide_banner -version | head -n 1)"
