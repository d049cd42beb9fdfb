#!/usr/bin/python3
"""dkimpy_bh.py: the DKIM body-hash peer for `make bench`.

Reads an mbox (mboxrd, as bench/run.sh writes it) and, with dkimpy's own
code (rfc822_parse, parse_tag_value, the canonicalization policies),
computes the body hash of every DKIM-Signature of every message, honouring
c=, a= and l=, as relaytrace does offline. Prints "messages signatures
seconds" (the loop alone). Needs Debian's python3-dkim: run it with
/usr/bin/python3 (pyenv's python3 does not see it).
"""
import hashlib
import re
import sys
import time

import dkim
from dkim.canonicalization import CanonicalizationPolicy
from dkim.util import parse_tag_value

ENVELOPE = re.compile(rb"^From ")  # mboxrd: every unquoted From_ line
QUOTED = re.compile(rb"^>(>*From )")
HASHES = {b"rsa-sha256": hashlib.sha256, b"ed25519-sha256": hashlib.sha256,
          b"rsa-sha1": hashlib.sha1}


def body_hashes(lines):
    msg = b"".join(lines)
    headers, body = dkim.rfc822_parse(msg)
    n = 0
    for name, value in headers:
        if name.lower() != b"dkim-signature":
            continue
        try:
            tags = parse_tag_value(value)
            policy = CanonicalizationPolicy.from_c_value(
                tags.get(b"c", b"simple/simple"))
        except Exception:
            continue
        h = HASHES.get(tags.get(b"a", b""), hashlib.sha256)()
        canon = policy.canonicalize_body(body)
        if b"l" in tags:
            canon = canon[: int(tags[b"l"])]
        h.update(canon)
        h.digest()
        n += 1
    return n


def main():
    t0 = time.perf_counter()
    messages = sigs = 0
    lines = []
    with open(sys.argv[1], "rb") as f:
        for line in f:
            if ENVELOPE.match(line):
                if lines:
                    sigs += body_hashes(lines)
                    messages += 1
                lines = []
                continue
            lines.append(QUOTED.sub(rb"\1", line))
    if lines:
        sigs += body_hashes(lines)
        messages += 1
    print("%d %d %.6f" % (messages, sigs, time.perf_counter() - t0))


main()
