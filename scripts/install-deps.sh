#!/bin/sh
# Installs the Debian packages presse needs to build, test and benchmark, if any are missing.
# Run as root (or with sudo). Package purposes are listed in README.md.
set -eu
PKGS="build-essential cmake pkg-config libxapian-dev libstemmer-dev libutf8proc-dev libjansson-dev libcmark-dev libxml2-dev libpoppler-glib-dev libzip-dev libgmime-3.0-dev libgpgme-dev libtesseract-dev tesseract-ocr-deu libcairo2-dev libopenjp2-7-dev libgif-dev libtiff-dev libwebp-dev hunspell-de-de util-linux time clang libclang-rt-dev python3 libmicrohttpd-dev python3-feedparser python3-selenium chromium chromium-driver fonts-dejavu-core wrk xapian-tools"
missing=
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
echo "installing:$missing" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
