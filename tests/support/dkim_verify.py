#!/usr/bin/python3
"""Verifies a message's DKIM signature with dkimpy (Debian's python3-dkim), without DNS: the
public key record is given. Prints "pass" or "fail" and exits 0 or 1.

  dkim_verify.py MESSAGE.eml SELECTOR DOMAIN PUBLIC_KEY_BASE64_DER
"""
import sys

import dkim


def main():
    path, selector, domain, key = sys.argv[1:5]
    record = ("v=DKIM1; k=rsa; p=" + key).encode()
    expected = ("%s._domainkey.%s." % (selector, domain)).encode()

    def dnsfunc(name, timeout=5):
        return record if name.rstrip(b".") + b"." == expected else None

    with open(path, "rb") as f:
        ok = dkim.verify(f.read(), dnsfunc=dnsfunc)
    print("pass" if ok else "fail")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
