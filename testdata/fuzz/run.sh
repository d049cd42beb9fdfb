#!/bin/sh
# run.sh SECONDS BIN...: run each libFuzzer target for SECONDS seconds
# from its seed corpus (testdata/fuzz/NAME), in a scratch copy so the
# committed seeds do not grow. A crash leaves its input in
# build-fuzz/crashes/NAME/; copy it into testdata/fuzz/NAME/ as a case.
secs=$1
shift
st=0
for bin in "$@"; do
	name=$(basename "$bin" _fuzz)
	work=build-fuzz/corpus/$name
	mkdir -p "$work" build-fuzz/crashes/"$name"
	[ -d testdata/fuzz/"$name" ] && cp -r testdata/fuzz/"$name"/. "$work"/ 2>/dev/null
	echo "fuzz $name: ${secs}s"
	if ! "$bin" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
		-artifact_prefix=build-fuzz/crashes/"$name"/ -print_final_stats=0 \
		"$work" >build-fuzz/"$name".log 2>&1; then
		echo "fuzz $name: FAILED, see build-fuzz/$name.log"
		tail -40 build-fuzz/"$name".log
		st=1
	fi
done
exit $st
