#!/usr/bin/python3
# Regenerate the 02NN break-prediction goldens' messages (run with Debian's
# /usr/bin/python3 and python3-dkim + python3-authres, from the repository
# root). Each original is genuinely signed with a throw-away test key
# (never committed, never used for real mail); then the path's changes are
# applied as the Agents would: a Forwarder without SRS, a mailing list
# that tags the Subject and appends a footer (so bh= really mismatches),
# and an SRS Forwarder that seals an ARC set. Then: make regen, review.
import os, subprocess, time, dkim

KEY = os.environ.get('RT_TEST_KEY', '/tmp/rtkeys/test-rsa.pem')
if not os.path.exists(KEY):
    os.makedirs(os.path.dirname(KEY), exist_ok=True)
    subprocess.run(['openssl', 'genrsa', '-out', KEY, '2048'], check=True,
                   capture_output=True)
key = open(KEY, 'rb').read()

def at(ts):  # sign as of the message's own time (t=)
    time.time = lambda: ts

H = [b'from', b'to', b'subject', b'date', b'message-id', b'mime-version',
     b'content-type', b'from']   # From over-signed, as many signers do

def sign(msg, ts):
    at(ts)
    return dkim.sign(msg, b'sel2024', b'example.com', key,
                     canonicalize=(b'relaxed', b'relaxed'),
                     include_headers=H)

def crlf(s):
    return s.replace('\n', '\r\n').encode()

def lf(b):
    return b.replace(b'\r\n', b'\n')

SUBMIT = ("Received: from [192.168.1.20] (dsl-203-0-113-45.isp.example [203.0.113.45])\n"
          "\t(Authenticated sender: alice@example.com)\n"
          "\tby smtp.example.com (Postfix) with ESMTPSA id 4VtQk20s1Lz1xQ9\n"
          "\tfor <{rcpt}>; {date}\n")

# ---- 0201: alias forwarding without SRS --------------------------------
orig = crlf("Message-ID: <7d3c1f0a-54b2-4e0e-9a61-0c8f3b2e1d01@example.com>\n"
            "Date: Mon, 3 Jun 2024 10:15:02 +0200\n"
            "MIME-Version: 1.0\n"
            "From: Alice Example <alice@example.com>\n"
            "To: Bob Example <bob@old.example>\n"
            "Subject: Quarterly figures\n"
            "Content-Type: text/plain; charset=UTF-8\n"
            "Content-Transfer-Encoding: 7bit\n"
            "\n"
            "Hi Bob,\n\nthe figures are attached to the shared folder as usual.\n\nAlice\n")
sig = sign(orig, 1717402502)
m = (crlf("Return-Path: <alice@example.com>\n"
          "Delivered-To: robert@new.example\n"
          "Received: from mx.new.example (mx.new.example [198.51.100.81])\n"
          "\tby store.new.example (Dovecot) with LMTP id kQ2yB3l9XWZ7AQAAs2Q5Jg\n"
          "\tfor <robert@new.example>; Mon, 03 Jun 2024 08:15:07 +0000\n"
          "Authentication-Results: mx.new.example;\n"
          "\tspf=fail (mx.new.example: 192.0.2.30 is not permitted by example.com)\n"
          "\tsmtp.mailfrom=alice@example.com;\n"
          "\tdkim=pass header.d=example.com header.s=sel2024;\n"
          "\tdmarc=pass (p=reject) header.from=example.com\n"
          "Received: from mx.old.example (mx.old.example [192.0.2.30])\n"
          "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\n"
          "\tby mx.new.example (Postfix) with ESMTPS id 4VtQk61WbHz9tLm\n"
          "\tfor <robert@new.example>; Mon, 03 Jun 2024 08:15:06 +0000 (UTC)\n"
          "X-Forwarded-To: robert@new.example\n"
          "X-Original-To: bob@old.example\n"
          "Authentication-Results: mx.old.example;\n"
          "\tspf=pass smtp.mailfrom=alice@example.com;\n"
          "\tdkim=pass header.d=example.com header.s=sel2024;\n"
          "\tdmarc=pass header.from=example.com\n"
          "Received: from smtp.example.com (smtp.example.com [198.51.100.10])\n"
          "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\n"
          "\tby mx.old.example (Postfix) with ESMTPS id 4VtQk43kLrz3wRt\n"
          "\tfor <bob@old.example>; Mon, 03 Jun 2024 08:15:04 +0000 (UTC)\n")
     + sig +
     crlf(SUBMIT.format(rcpt='bob@old.example',
                        date='Mon,  3 Jun 2024 08:15:02 +0000 (UTC)'))
     + orig)
open('testdata/msg/0201-forward-no-srs.eml', 'wb').write(lf(m))

# ---- 0202: mailing list: Subject tag and footer ----------------------------
body = ("Hi all,\n\nthe 2.0 branch is cut. Please test the release candidate\n"
        "before Friday and report problems on the tracker.\n\nAlice\n")
orig = crlf("Message-ID: <c0ffee12-8d4a-4b6e-b7a2-5f0e9d3c2a10@example.com>\n"
            "Date: Tue, 4 Jun 2024 16:40:11 +0200\n"
            "MIME-Version: 1.0\n"
            "From: Alice Example <alice@example.com>\n"
            "To: dev@lists.example.org\n"
            "Subject: Release 2.0 plans\n"
            "Content-Type: text/plain; charset=UTF-8\n"
            "Content-Transfer-Encoding: 7bit\n"
            "\n" + body)
sig = sign(orig, 1717512011)
# what the list did: Subject tag, footer, list headers
listed = (orig.replace(b"Subject: Release 2.0 plans",
                       b"Subject: [dev] Release 2.0 plans")
          + crlf("_______________________________________________\n"
                 "dev mailing list -- dev@lists.example.org\n"
                 "To unsubscribe send an email to dev-leave@lists.example.org\n"))
m = (crlf("Return-Path: <dev-bounces+bob=example.net@lists.example.org>\n"
          "Delivered-To: bob@example.net\n"
          "Received: from mx1.example.net (mx1.example.net [192.0.2.25])\n"
          "\tby store1.example.net (Dovecot) with LMTP id 2mC0EY0kX2Y3TwAAb5Fxyg\n"
          "\tfor <bob@example.net>; Tue, 04 Jun 2024 14:40:16 +0000\n"
          "Authentication-Results: mx1.example.net;\n"
          "\tspf=pass smtp.mailfrom=lists.example.org;\n"
          "\tdkim=fail (body hash did not verify) header.d=example.com header.s=sel2024;\n"
          "\tdmarc=fail (p=reject dis=none) header.from=example.com\n"
          "Received: from mail.lists.example.org (mail.lists.example.org [203.0.113.77])\n"
          "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\n"
          "\tby mx1.example.net (Postfix) with ESMTPS id 4Vv1ZX0kqGz9sWH\n"
          "\tfor <bob@example.net>; Tue, 04 Jun 2024 14:40:15 +0000 (UTC)\n"
          "List-Id: Developers <dev.lists.example.org>\n"
          "List-Post: <mailto:dev@lists.example.org>\n"
          "List-Unsubscribe: <mailto:dev-leave@lists.example.org>\n"
          "Precedence: list\n"
          "Sender: dev-bounces@lists.example.org\n"
          "X-Mailman-Version: 3.3.9\n"
          "Authentication-Results: mail.lists.example.org;\n"
          "\tspf=pass smtp.mailfrom=alice@example.com;\n"
          "\tdkim=pass header.d=example.com header.s=sel2024;\n"
          "\tdmarc=pass header.from=example.com\n"
          "Received: from smtp.example.com (smtp.example.com [198.51.100.10])\n"
          "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\n"
          "\tby mail.lists.example.org (Postfix) with ESMTPS id 4Vv1ZV2cd8z4xRk\n"
          "\tfor <dev@lists.example.org>; Tue, 04 Jun 2024 14:40:13 +0000 (UTC)\n")
     + sig +
     crlf(SUBMIT.format(rcpt='dev@lists.example.org',
                        date='Tue,  4 Jun 2024 14:40:11 +0000 (UTC)'))
     + listed)
open('testdata/msg/0202-list-footer.eml', 'wb').write(lf(m))

# ---- 0203: SRS forwarding with an ARC set ----------------------------------
orig = crlf("Message-ID: <5a9e0b7c-2f41-4d7a-8c33-91e6f4d2b8aa@example.com>\n"
            "Date: Wed, 5 Jun 2024 09:02:40 +0200\n"
            "MIME-Version: 1.0\n"
            "From: Alice Example <alice@example.com>\n"
            "To: Bob Example <bob@old.example>\n"
            "Subject: Train tickets for Thursday\n"
            "Content-Type: text/plain; charset=UTF-8\n"
            "Content-Transfer-Encoding: 7bit\n"
            "\n"
            "Bob,\n\nI booked the 8:12 train; your ticket is in the app.\n\nAlice\n")
sig = sign(orig, 1717570960)
at_old = (crlf("X-Original-To: bob@old.example\n"
               "Authentication-Results: mx.old.example;\n"
               "\tspf=pass smtp.mailfrom=alice@example.com;\n"
               "\tdkim=pass header.d=example.com header.s=sel2024;\n"
               "\tdmarc=pass header.from=example.com\n"
               "Received: from smtp.example.com (smtp.example.com [198.51.100.10])\n"
               "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\n"
               "\tby mx.old.example (Postfix) with ESMTPS id 4VvP1m2xTbz3wRt\n"
               "\tfor <bob@old.example>; Wed, 05 Jun 2024 07:02:43 +0000 (UTC)\n")
          + sig +
          crlf(SUBMIT.format(rcpt='bob@old.example',
                             date='Wed,  5 Jun 2024 07:02:40 +0000 (UTC)'))
          + orig)
at(1717570964)
arc = dkim.arc_sign(at_old, b'arc2024', b'old.example', key, b'mx.old.example',
                    include_headers=[b'from', b'to', b'subject', b'date',
                                     b'message-id', b'mime-version'],
                    timestamp=1717570964)
srs = 'SRS0=q4Nd=NE=example.com=alice@old.example'
m = (crlf("Return-Path: <%s>\n"
          "Delivered-To: robert@new.example\n"
          "Received: from mx.new.example (mx.new.example [198.51.100.81])\n"
          "\tby store.new.example (Dovecot) with LMTP id 8Zk1HJgMYGZ0ZQAAs2Q5Jg\n"
          "\tfor <robert@new.example>; Wed, 05 Jun 2024 07:02:46 +0000\n"
          "Authentication-Results: mx.new.example;\n"
          "\tspf=pass smtp.mailfrom=%s;\n"
          "\tdkim=pass header.d=example.com header.s=sel2024;\n"
          "\tdkim=pass header.d=old.example header.s=arc2024;\n"
          "\tdmarc=pass (p=reject) header.from=example.com;\n"
          "\tarc=pass (i=1 d=old.example)\n"
          "Received: from mx.old.example (mx.old.example [192.0.2.30])\n"
          "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\n"
          "\tby mx.new.example (Postfix) with ESMTPS id 4VvP1p5dGzz9tLm\n"
          "\tfor <robert@new.example>; Wed, 05 Jun 2024 07:02:45 +0000 (UTC)\n"
          % (srs, srs))
     + b''.join(arc) + at_old)
open('testdata/msg/0203-srs-forward-arc.eml', 'wb').write(lf(m))
print('ok')
