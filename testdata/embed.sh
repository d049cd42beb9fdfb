#!/bin/sh
# embed.sh NAME FILE: print a C file defining `const char NAME[]` and
# `const size_t NAME_len` holding FILE's bytes (data compiled into the
# binary, so a fresh checkout needs no install step).
name=$1 file=$2
printf '/* generated from %s by testdata/embed.sh; do not edit */\n' "$file"
printf '#include <stddef.h>\nextern const char %s[];\nextern const size_t %s_len;\n' "$name" "$name"
printf 'const char %s[] = {\n' "$name"
od -An -v -tx1 "$file" | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'
printf '0};\nconst size_t %s_len = sizeof(%s) - 1;\n' "$name" "$name"
