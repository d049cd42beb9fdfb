#!/bin/sh
# corpus_tsan.sh SHARED: the shared corpus with worker threads under
# ThreadSanitizer (see testdata/corpus-tsan.sh; `make conformance` builds
# build-tsan first).
exec env SHARED="${1:-../shared}" sh testdata/corpus-tsan.sh
