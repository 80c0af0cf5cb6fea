"""A loopback SMTP server for the notification tests, run as its own process (python -I smtp_sink.py PORT DIR).

It is a separate process because aiosmtpd imports a top-level module named ``public`` that the project's
``public`` app would shadow. Each accepted message is written to DIR/<n>.eml. While the file DIR/stall exists,
the server holds every RCPT command (and touches DIR/stalled): the client is stuck mid-transaction, before DATA.
A file DIR/answer-MAIL (or answer-RCPT, answer-DATA) holds SMTP answers, one a line ("451 4.3.0 Try again
later"): the next commands of that kind get them, one line each, in order, instead of being accepted.
"""

import asyncio
import sys
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class SpoolHandler:
    def __init__(self, spool: Path):
        self.spool = spool
        self.count = 0

    def scripted_answer(self, command: str) -> str | None:
        """The next scripted answer to ``command``, consumed; None to go on normally."""
        script = self.spool / f"answer-{command}"
        if not script.exists():
            return None
        first, *rest = script.read_text().splitlines()
        if rest:
            script.write_text("\n".join(rest))
        else:
            script.unlink()
        (self.spool / f"answered-{command}").open("a").write(first + "\n")
        return first

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        answer = self.scripted_answer("MAIL")
        if answer:
            return answer
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answer = self.scripted_answer("RCPT")
        if answer:
            return answer
        while (self.spool / "stall").exists():
            (self.spool / "stalled").touch()
            await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        answer = self.scripted_answer("DATA")
        if answer:
            return answer
        self.count += 1
        target = self.spool / f"{self.count:04d}.eml"
        target.with_suffix(".tmp").write_bytes(envelope.original_content or envelope.content)
        target.with_suffix(".tmp").rename(target)
        return "250 Message accepted for delivery"


def main() -> None:
    port, spool = int(sys.argv[1]), Path(sys.argv[2])
    controller = Controller(SpoolHandler(spool), hostname="127.0.0.1", port=port)
    controller.start()
    (spool / "ready").touch()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
