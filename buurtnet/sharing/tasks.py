"""Background jobs of sharing, run by the task worker; the `schedule` command queues them."""

from django_tasks import task

from buurtnet.sharing.services.loans import loans_remind_due


@task()
def loans_due_remind() -> int:
    """On a loan's last day, tell the borrower and the owner that the item goes back today."""
    return loans_remind_due()
