"""Queue the periodic jobs for the worker: reminders every few minutes, reservations daily.

Each round also puts tasks back in the queue whose worker died while running them (see
buurtnet/core/stale_tasks.py). `buurtnet serve` starts it next to the worker. Run it with --once
from cron instead, if you prefer. Jobs are safe to queue twice (on two machines at once): each
reminder is sent once, and each lost task is queued again once.
"""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from buurtnet.activities.tasks import extend_reservations, send_due_reminders
from buurtnet.conversations.tasks import conversation_emails_due
from buurtnet.core.stale_tasks import stale_tasks_requeue
from buurtnet.sharing.tasks import loans_due_remind

DAY = 24 * 60 * 60


class Command(BaseCommand):
    help = "Queue reminders (every --every seconds) and the daily reservation job for the worker."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--every", type=int, default=300, help="seconds between rounds")
        parser.add_argument("--once", action="store_true", help="queue one round and stop")

    def handle(self, *args, every: int, once: bool, **options) -> None:
        if every < 1:
            self.stderr.write("--every must be at least 1 second")
            raise SystemExit(2)
        stopping = False

        def stop(signum, frame) -> None:
            nonlocal stopping
            stopping = True

        if not once:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        last_daily: float | None = None
        while True:
            requeued, given_up = stale_tasks_requeue()
            if requeued or given_up:
                self.stderr.write(
                    f"Tasks left running by a stopped worker: {requeued} queued again,"
                    f" {given_up} given up."
                )
            send_due_reminders.enqueue()
            conversation_emails_due.enqueue()
            loans_due_remind.enqueue()
            if last_daily is None or time.monotonic() - last_daily >= DAY:
                extend_reservations.enqueue()
                last_daily = time.monotonic()
            if once:
                return
            slept = 0
            while slept < every and not stopping:
                time.sleep(1)
                slept += 1
            if stopping:
                return
            # The next round may come after the database restarted: never reuse a broken
            # connection (or one older than DB_CONN_MAX_AGE).
            close_old_connections()
