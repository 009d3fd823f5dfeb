"""Median time to screen one 2,000-character post with every rule on and a registry of 200 terms.

Run: SECRET_KEY=x HTTPS=0 STATIC_MANIFEST=0 .venv/bin/python bench/screening.py [--repeat 200]
Uses a throwaway in-memory SQLite database, so it needs no migrated database of its own.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialgov.settings")
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

PARAGRAPH = (
    "Traffic alert: Jackson Street between Avenue 44 and Avenue 45 is closed while officers investigate a "
    "collision. Call the non-emergency line at (760) 391-4051 with information, or e-mail records@indio.gov. "
    "The driver, who lives at 81-340 Orchid Lane, was taken to the hospital. Join us for #nationalnightout "
    "at Miles Avenue Park. Officer Smith received an award for her work with Explorers. "
)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0, run_syncdb=True)
    from moderation.models import ConfidentialTerm
    from moderation.screening import screen

    user = get_user_model().objects.create(username="bench")
    expires = timezone.localdate() + timedelta(days=30)
    ConfidentialTerm.objects.bulk_create(
        ConfidentialTerm(term=f"Suspectname{i} Lastname{i}", kind="suspect", expires_on=expires, created_by=user)
        for i in range(200)
    )
    text = (PARAGRAPH * 10)[:2000]
    context = {"attachments": [{"kind": "image", "alt_text": "Officers at the closure"}]}
    for kind in ("post", "comment"):
        screen(text, kind=kind, context=context)  # load the rules, phone metadata and word lists once
        times = []
        for i in range(args.repeat):
            # A different text each time: the normalization cache must not make the numbers look better.
            sample = text[: 2000 - 6] + f"{i:06d}"
            start = time.perf_counter()
            findings = screen(sample, kind=kind, context=context)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(
            f"{kind}: {len(sample)} chars, {len(findings)} findings, n={args.repeat}: "
            f"median {statistics.median(times):.2f} ms, p90 {times[int(len(times) * 0.9)]:.2f} ms, "
            f"max {times[-1]:.2f} ms"
        )


if __name__ == "__main__":
    main()
