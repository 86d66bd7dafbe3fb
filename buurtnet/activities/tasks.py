"""Background jobs of the activities, run by the task worker; the `schedule` command queues them."""

from django_tasks import task

from buurtnet.activities.reminders import reminders_send
from buurtnet.activities.services.organise import reservations_extend


@task()
def send_due_reminders() -> int:
    """Reminders the day before, and open tasks two days before."""
    return reminders_send()


@task()
def extend_reservations() -> int:
    """Repeating activities keep their place booked a year ahead."""
    return reservations_extend()
