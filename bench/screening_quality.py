"""Precision and recall of screening (rules and models together) on the held-out split of the corpus, per label
and per language, and the share of clean texts flagged. Training never reads the held-out split.

Run: SECRET_KEY=x HTTPS=0 STATIC_MANIFEST=0 .venv/bin/python bench/screening_quality.py \
         [--split heldout|train] [--misses]
Uses a throwaway in-memory SQLite database: every rule on, no confidential terms.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialgov.settings")
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402


def fmt(value):
    return "–" if value is None else f"{value:.2f}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=("heldout", "train"), default="heldout")
    parser.add_argument("--misses", action="store_true", help="list every text screened wrongly")
    parser.add_argument("--rules-only", action="store_true", help="leave the models out (what the rules alone do)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0, run_syncdb=True)
    from moderation.screening import classifier, screen, training

    if args.rules_only:
        classifier.load = lambda kind, directory=None: None

    for kind in training.KINDS:
        examples = training.load(kind, heldout=args.split == "heldout")
        result = training.measure(kind, examples, lambda text, k: screen(text, kind=k))
        langs = {"all": len(examples)} | {lang: sum(e.lang == lang for e in examples) for lang in ("en", "es")}
        print(f"\n### {kind}s ({args.split}: {langs['all']} texts, {langs['en']} English, {langs['es']} Spanish)\n")
        print("| label | precision | recall | texts | precision (en) | recall (en) | precision (es) | recall (es) |")
        print("|---|---|---|---|---|---|---|---|")
        for label in training.LABEL_RULES[kind]:
            row = [result["rows"][(label, lang)] for lang in ("all", "en", "es")]
            print(
                f"| {label} | {fmt(row[0]['precision'])} | {fmt(row[0]['recall'])} | {row[0]['n']} | "
                f"{fmt(row[1]['precision'])} | {fmt(row[1]['recall'])} | {fmt(row[2]['precision'])} | "
                f"{fmt(row[2]['recall'])} |"
            )
        clean = result["clean"]
        parts = [
            f"{lang}: {c['flagged']}/{c['texts']} ({c['flagged'] / c['texts']:.1%})"
            for lang, c in clean.items()
            if c["texts"]
        ]
        print(f"\nClean texts flagged for any label — {'; '.join(parts)}")
        if args.misses:
            for kind_of_miss, label, source, text in sorted(result["misses"]):
                print(f"  {kind_of_miss} {label:<13} {source:<28} {text[:110]}")


if __name__ == "__main__":
    main()
