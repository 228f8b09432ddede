#!/usr/bin/env bash
# Installs every Debian 12 package sohoa needs to build, test and benchmark.
# Safe to run again; needs root (or sudo).
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  build-essential cmake pkg-config ninja-build \
  libtesseract-dev libleptonica-dev tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd \
  libopencv-core-dev libopencv-imgproc-dev \
  libpoppler-cpp-dev poppler-utils libqpdf-dev qpdf \
  libarchive-dev libicu-dev nlohmann-json3-dev libcli11-dev libzxing-dev \
  libsqlite3-dev libgtest-dev libgmock-dev libssl-dev \
  python3 python3-pil python3-numpy python3-yaml python3-reportlab python3-qrcode fonts-noto-core fonts-dejavu-core fonts-ocr-b \
  fonts-liberation2 fonts-freefont-ttf fonts-dejavu-extra \
  python3-opencv python3-sklearn fonts-dkg-handwriting fonts-breip fonts-bwht fonts-rufscript fonts-humor-sans \
  libjpeg-dev libpng-dev libtiff-dev zlib1g-dev \
  zip unzip tar file openssl \
  libxml2-dev libxml2-utils icc-profiles-free python3-jsonschema chromium \
  libcpp-httplib-dev python3-websocket \
  clang libclang-rt-14-dev \
  hunspell-vi openssl softhsm2 opensc libengine-pkcs11-openssl libnss3-tools \
  libpq-dev postgresql \
  slurmctld slurmd slurm-client munge
