#!/bin/sh
# corpus_san.sh SHARED: the shared corpus under ASan+UBSan (see
# testdata/corpus-san.sh; `make conformance` builds build-san first).
exec env BUILD=build-san SHARED="${1:-../shared}" sh testdata/corpus-san.sh
