#!/usr/bin/env python3
"""corpus-mbox.py LIST: the files named in LIST (one path a line) as one
mboxrd stream on stdout: an envelope line added where a file has none,
body "From " lines quoted as an mboxrd writer does, a blank line after
each message. Used by corpus-san.sh and corpus-tsan.sh."""
import re, sys
out = sys.stdout.buffer
quote = re.compile(rb"^(>*From )", re.M)
for name in open(sys.argv[1]).read().splitlines():
    data = open(name, "rb").read()
    if not data.startswith(b"From "):
        out.write(b"From corpus@example.invalid Thu Jan  1 00:00:00 1970\n")
        data = quote.sub(rb">\1", data)
    else:
        first, _, rest = data.partition(b"\n")
        data = first + b"\n" + quote.sub(rb">\1", rest)
    out.write(data)
    out.write(b"\n" if data.endswith(b"\n") else b"\n\n")

