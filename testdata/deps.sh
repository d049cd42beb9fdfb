#!/bin/sh
# Install the build and test dependencies when they are missing (Debian,
# Ubuntu); print the exact command when we cannot.
# libgpgme-dev, libassuan-dev and libunistring-dev: the static archives of
# GMime's and libpsl's dependencies that their own -dev packages do not
# pull in (GMIME_LINK=static, the Makefile's default, links them in)
PKGS="build-essential pkg-config libgmime-3.0-dev libpcre2-dev libpsl-dev
libgpgme-dev libassuan-dev libunistring-dev
libssl-dev libjansson-dev libcmocka-dev libcurl4-openssl-dev libunbound-dev
libevent-dev publicsuffix mandoc python3"
need=""
pkg-config --exists gmime-3.0 libpcre2-8 libpsl libcrypto jansson cmocka 2>/dev/null || need=1
command -v mandoc >/dev/null 2>&1 || need=1
if [ "${GMIME_LINK:-static}" = static ]; then
	for a in libgmime-3.0 libglib-2.0 libgio-2.0 libgpgme libassuan \
		libgpg-error libunistring libidn2 libpsl libffi libpcre2-8; do
		# cc prints the bare name when it finds no such archive
		case $(${CC:-cc} -print-file-name=$a.a) in
		/*) ;;
		*) need=1 ;;
		esac
	done
fi
[ -z "$need" ] && exit 0
cmd="apt-get install -y --no-install-recommends $(echo $PKGS)"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "relaytrace: installing build dependencies: $cmd" >&2
	apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $cmd >&2 && exit 0
fi
echo "relaytrace: missing build dependencies; run as root:" >&2
echo "  apt-get update && $cmd" >&2
exit 1
