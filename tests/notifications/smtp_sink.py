"""A loopback SMTP server for the notification tests, run as its own process (python -I smtp_sink.py PORT DIR).

It is a separate process because aiosmtpd imports a top-level module named ``public`` that the project's
``public`` app would shadow. Each accepted message is written to DIR/<n>.eml. While the file DIR/stall exists,
the server holds every RCPT command (and touches DIR/stalled): the client is stuck mid-transaction, before DATA.
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

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        while (self.spool / "stall").exists():
            (self.spool / "stalled").touch()
            await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
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
