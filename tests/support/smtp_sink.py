#!/usr/bin/python3
"""A real SMTP server for tests (Debian's python3-aiosmtpd), on 127.0.0.1 and an ephemeral port.

Prints "PORT <n>" on stdout once it listens, then "MESSAGE <n>" each time it has stored a
message: <dir>/<n>.eml (the DATA as received, dot-stuffing undone) and <n>.json (what Python's
own e-mail parser makes of it: decoded subject and body, headers, envelope, TLS, AUTH). Tests
wait on these lines, never on time.

Options:
  --dir DIR              where messages go (required)
  --tls-cert/--tls-key   offer STARTTLS with this certificate (PEM)
  --require-tls          refuse MAIL before STARTTLS
  --auth USER:PASSWORD   require AUTH (PLAIN or LOGIN) with these credentials
  --reject RCPT          answer 550 to RCPT TO this address
  --hold-before N        the N-th DATA (from 1) is never stored nor answered: prints "HOLD <N>"
                         and waits until the client goes away
  --hold-after N         the N-th DATA is stored ("MESSAGE <n>"), then "HOLD <N>", and the
                         250 never comes: the window between a server's commit and its answer
"""

import argparse
import asyncio
import email
import email.header
import email.policy
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class Sink:
    def __init__(self, args):
        self.args = args
        self.stored = 0
        self.data_count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.args.reject:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    def store(self, session, envelope):
        self.stored += 1
        n = self.stored
        raw = envelope.original_content or envelope.content
        base = os.path.join(self.args.dir, "%04d" % n)
        with open(base + ".eml", "wb") as f:
            f.write(raw)
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        # RFC 2047 decoding as the standard library's email.header does it (the default
        # policy's address parser keeps the space between two encoded-words of a display name).
        legacy = email.message_from_bytes(raw)

        def decoded(name):
            return str(email.header.make_header(email.header.decode_header(legacy[name] or "")))

        summary = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "subject": decoded("subject"),
            "raw_head": raw.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace"),
            "message_id": str(msg["message-id"] or ""),
            "date": str(msg["date"] or ""),
            "from": decoded("from"),
            "to": str(msg["to"] or ""),
            "content_type": msg.get_content_type(),
            "charset": msg.get_content_charset() or "",
            "transfer_encoding": str(msg["content-transfer-encoding"] or ""),
            "body": msg.get_content().replace("\r\n", "\n"),
            "tls": session.ssl is not None,
            "authenticated": bool(session.authenticated),
            "path": base + ".eml",
        }
        with open(base + ".json", "w", encoding="utf-8") as f:
            json.dump(summary, f, ensure_ascii=False)
        say("MESSAGE %d" % n)

    async def handle_DATA(self, server, session, envelope):
        self.data_count += 1
        if self.data_count == self.args.hold_before:
            say("HOLD %d" % self.data_count)
            await asyncio.Event().wait()  # cancelled when the client's connection goes
        self.store(session, envelope)
        if self.data_count == self.args.hold_after:
            say("HOLD %d" % self.data_count)
            await asyncio.Event().wait()
        return "250 2.0.0 Ok: queued as SINK%04d" % self.stored


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--require-tls", action="store_true")
    p.add_argument("--auth")
    p.add_argument("--reject", default="")
    p.add_argument("--hold-before", type=int, default=0)
    p.add_argument("--hold-after", type=int, default=0)
    args = p.parse_args()

    tls_context = None
    if args.tls_cert:
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(args.tls_cert, args.tls_key)

    authenticator = None
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword)
                  and auth_data.login.decode() == user and auth_data.password.decode() == password)
            return AuthResult(success=ok, handled=False)  # False: aiosmtpd answers 535

    handler = Sink(args)

    def factory():
        return SMTP(handler, hostname="sink.test", tls_context=tls_context,
                    require_starttls=args.require_tls, authenticator=authenticator,
                    auth_required=bool(args.auth), auth_require_tls=bool(args.tls_cert),
                    decode_data=False, enable_SMTPUTF8=True)

    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(factory, "127.0.0.1", 0))
    say("PORT %d" % server.sockets[0].getsockname()[1])
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
