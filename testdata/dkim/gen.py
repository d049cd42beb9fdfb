#!/usr/bin/python3
# Regenerate the signed DKIM fixtures (Debian python3-dkim; run with
# /usr/bin/python3 from testdata/dkim). Test-only keys, never used to
# sign real mail. Public keys: *.pub.pem (what the DNS record would hold).
import base64, os, subprocess, dkim

# Private keys are not committed: a run makes fresh ones (and so new
# signatures and public keys; the tests read the public keys).
if not os.path.exists('rsa-test.key.pem'):
    subprocess.run(['openssl', 'genrsa', '-out', 'rsa-test.key.pem', '1024'], check=True)
    subprocess.run(['openssl', 'genpkey', '-algorithm', 'ed25519', '-out',
                    'ed25519-test.key.pem'], check=True)
    subprocess.run(['openssl', 'rsa', '-in', 'rsa-test.key.pem', '-pubout', '-out',
                    'rsa-test.pub.pem'], check=True)
    subprocess.run(['openssl', 'pkey', '-in', 'ed25519-test.key.pem', '-pubout',
                    '-out', 'ed25519-test.pub.pem'], check=True)
rsa = open('rsa-test.key.pem', 'rb').read()
der = subprocess.run(['openssl', 'pkey', '-in', 'ed25519-test.key.pem',
                      '-outform', 'DER'], capture_output=True).stdout
ed = base64.b64encode(der[-32:])

base = (b"Received: from mx.example.net (mx.example.net [192.0.2.7])\r\n"
        b"\tby mail.example.org; Mon, 1 Jan 2024 10:00:00 +0000\r\n"
        b"From: Alice Example <alice@mail.example.com>\r\n"
        b"To: bob@example.org\r\n"
        b"Subject:   Test   message\r\n"
        b"  folded   subject\r\n"
        b"Date: Mon, 1 Jan 2024 09:59:00 +0000\r\n"
        b"Message-ID: <1@mail.example.com>\r\n"
        b"\r\n"
        b"Hello  Bob, \r\n"
        b"\tthis\tline has\t tabs.  \r\n"
        b"\r\n"
        b"Bye\r\n"
        b"\r\n\r\n")

def sign(msg, name, **kw):
    sig = dkim.sign(msg, b'sel', b'example.com', kw.pop('key', rsa), **kw)
    open(name, 'wb').write(sig + msg)
    return sig + msg

H = [b'from', b'to', b'subject', b'date', b'message-id']
sign(base, 'rsa-relaxed.eml', canonicalize=(b'relaxed', b'relaxed'),
     include_headers=H)
sign(base, 'rsa-simple.eml', canonicalize=(b'simple', b'simple'),
     include_headers=H)
m = sign(base, 'ed25519-relaxed.eml', key=ed, signature_algorithm=b'ed25519-sha256',
         canonicalize=(b'relaxed', b'relaxed'), include_headers=H)
# bare-LF copy of a simple/simple signature (signed on CRLF)
m = open('rsa-simple.eml', 'rb').read()
open('rsa-simple-lf.eml', 'wb').write(m.replace(b'\r\n', b'\n'))
# over-signed From and Subject, i= under d=
sign(base, 'rsa-oversigned.eml', canonicalize=(b'relaxed', b'simple'),
     include_headers=H + [b'from', b'subject', b'reply-to'],
     identity=b'alice@mail.example.com')
# rsa-sha1 with l=, then content appended after signing
m = sign(base, 'rsa-sha1-length.eml', signature_algorithm=b'rsa-sha1',
         canonicalize=(b'relaxed', b'relaxed'), include_headers=H, length=True)
open('rsa-sha1-length-appended.eml', 'wb').write(m + b"Appended: click here\r\n")
# body changed after signing
m = open('rsa-relaxed.eml', 'rb').read()
open('rsa-relaxed-body-modified.eml', 'wb').write(m.replace(b'Bye', b'Buy'))
# header changed after signing (body hash still matches)
open('rsa-relaxed-subject-modified.eml', 'wb').write(m.replace(b'Test   message', b'Test  offer'))

for f in ['rsa-relaxed.eml', 'rsa-simple.eml', 'ed25519-relaxed.eml',
          'rsa-oversigned.eml', 'rsa-sha1-length.eml']:
    m = open(f, 'rb').read()
    pk = subprocess.run(['openssl', 'pkey', '-pubin', '-in',
                         'ed25519-test.pub.pem' if f.startswith('ed') else 'rsa-test.pub.pem',
                         '-outform', 'DER'], capture_output=True).stdout
    if f.startswith('ed'):
        rec = b'v=DKIM1; k=ed25519; p=' + base64.b64encode(pk[-32:])
    else:
        rec = b'v=DKIM1; k=rsa; p=' + base64.b64encode(pk)
    ok = dkim.verify(m, dnsfunc=lambda name, timeout=5: rec)
    assert ok, f
print('ok')
