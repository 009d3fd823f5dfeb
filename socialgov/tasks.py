from celery import shared_task
from django.db import connection


@shared_task(acks_late=True, task_reject_on_worker_lost=True)
def healthcheck(token: str = "") -> dict:
    """Proves a worker is consuming and can reach the database; echoes `token` back."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        database = cursor.fetchone()[0] == 1
    return {"ok": True, "token": token, "database": database, "vendor": connection.vendor}
