#!/bin/sh
# Install the build and test dependencies when they are missing (Debian,
# Ubuntu); print the exact command when we cannot.
PKGS="build-essential pkg-config libgmime-3.0-dev libpcre2-dev libpsl-dev
libssl-dev libjansson-dev libcmocka-dev libcurl4-openssl-dev libunbound-dev
libevent-dev publicsuffix mandoc python3"
need=""
pkg-config --exists gmime-3.0 libpcre2-8 libpsl libcrypto jansson cmocka 2>/dev/null || need=1
command -v mandoc >/dev/null 2>&1 || need=1
[ -z "$need" ] && exit 0
cmd="apt-get install -y --no-install-recommends $(echo $PKGS)"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "relaytrace: installing build dependencies: $cmd" >&2
	apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $cmd >&2 && exit 0
fi
echo "relaytrace: missing build dependencies; run as root:" >&2
echo "  apt-get update && $cmd" >&2
exit 1
