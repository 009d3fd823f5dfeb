"""A throwaway PostgreSQL database for a benchmark: created fresh before it runs, dropped after."""

import os
from urllib.parse import urlparse


def _admin_connection():
    import psycopg2

    url = urlparse(os.environ["DATABASE_URL"])
    conn = psycopg2.connect(
        host=url.hostname, port=url.port or 5432, user=url.username, password=url.password, dbname="postgres"
    )
    conn.autocommit = True
    return conn, url.path.lstrip("/")


def recreate_database():
    conn, name = _admin_connection()
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def drop_database():
    from django.db import connections

    connections.close_all()
    conn, name = _admin_connection()
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    conn.close()
