"""Recall, precision and speed of the protected-class filter for background vetting (385.5.4(d)).

Reads vetting/data/protected_labelled.jsonl. The "dev" examples were read while the lexicons were written. The
"check" examples were written afterwards and measured before the lexicons were broadened for plain wording; their
misses were read for that change, so check is no longer unseen text. The "check2" examples were written after that
change and measured once; their misses were then read while the lexicons were broadened a second time, so check2 is
no longer unseen text either. The "check3" examples were written after the second change and never used to change
the lexicons until they had been measured once (recall 0.750); their misses were then read for a third
broadening (plain wording by families of phrasing: a knee that gives out, "pushing fifty", a wife who delivers in
March, an illness that took a father and an uncle). The "check4" examples were written by someone who had not read
the lexicons or the other examples, and measured once before and once after that third broadening, without their
texts or misses being read: recall 0.866 before, 0.874 after, the last estimate for text the filter had not seen.
Their misses and wrong flags were then read for a fourth broadening, so no split is unseen text now
(bench/README.md). Prints recall per category and language for each split, precision of the categories flagged, the
share of neutral texts flagged, and how many findings a second the filter reads (the whole set, repeated for at
least a second).

Run: .venv/bin/python bench/protected_filter.py [--misses]
Needs no database and no settings.
"""

import argparse
import json
import os
import platform
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vetting.protected_classes import CATEGORIES, categories_in, flag_protected  # noqa: E402

DATA = ROOT / "vetting" / "data" / "protected_labelled.jsonl"
SPLITS = ("dev", "check", "check2", "check3", "check4")
LANGUAGES = ("en", "es")


def load():
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def figures(rows):
    found, total, missed = defaultdict(int), defaultdict(int), []
    flagged_right = flagged_all = 0
    negatives = negatives_flagged = 0
    for row in rows:
        got = categories_in(row["text"])
        wanted = set(row["categories"])
        flagged_all += len(got)
        flagged_right += len(got & wanted)
        if not wanted:
            negatives += 1
            negatives_flagged += bool(got)
        for category in wanted:
            total[(category, row["lang"])] += 1
            if category in got:
                found[(category, row["lang"])] += 1
            else:
                missed.append((category, row["lang"], row["text"]))
    return {
        "found": found,
        "total": total,
        "missed": missed,
        "precision": flagged_right / flagged_all if flagged_all else None,
        "negatives": negatives,
        "negatives_flagged": negatives_flagged,
    }


def cell(found, total):
    return f"{found / total:.2f} ({found}/{total})" if total else "–"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="print the examples the filter missed")
    args = parser.parse_args()
    rows = load()
    by_split = {split: figures([r for r in rows if r["split"] == split]) for split in SPLITS}

    print(f"Machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs")
    sizes = ", ".join(f"{split} {sum(row['split'] == split for row in rows)}" for split in SPLITS)
    print(f"Examples: {len(rows)} ({sizes})")
    print()
    header = "| Category | " + " | ".join(f"{s} {lang}" for s in SPLITS for lang in LANGUAGES) + " |"
    print(header)
    print("|---" * (1 + len(SPLITS) * len(LANGUAGES)) + "|")
    for code in CATEGORIES:
        cells = [
            cell(by_split[s]["found"][(code, lang)], by_split[s]["total"][(code, lang)])
            for s in SPLITS
            for lang in LANGUAGES
        ]
        print(f"| {code} | " + " | ".join(cells) + " |")
    cells = []
    for s in SPLITS:
        for lang in LANGUAGES:
            found = sum(v for (c, la), v in by_split[s]["found"].items() if la == lang)
            total = sum(v for (c, la), v in by_split[s]["total"].items() if la == lang)
            cells.append(cell(found, total))
    print("| **all** | " + " | ".join(cells) + " |")
    print()
    for s in SPLITS:
        f = by_split[s]
        found, total = sum(f["found"].values()), sum(f["total"].values())
        precision = "–" if f["precision"] is None else f"{f['precision']:.2f}"
        fp_rate = f["negatives_flagged"] / f["negatives"] if f["negatives"] else 0.0
        print(
            f"{s}: recall {found / total:.3f} ({found}/{total}); precision of categories flagged {precision}; "
            f"neutral texts flagged {fp_rate:.3f} ({f['negatives_flagged']}/{f['negatives']})"
        )
    if args.misses:
        for s in SPLITS:
            for category, lang, text in by_split[s]["missed"]:
                print(f"missed [{s} {category} {lang}] {text}")

    texts = [r["text"] for r in rows]
    flag_protected(texts[0])
    rounds, count, flags = 0, 0, 0
    start = time.perf_counter()
    while True:
        for text in texts:
            flags += len(flag_protected(text))
        count += len(texts)
        rounds += 1
        elapsed = time.perf_counter() - start
        if elapsed >= 1.0:
            break
    print()
    print(
        f"Throughput: {count / elapsed:,.0f} findings/s ({count:,} texts in {elapsed:.2f} s, {rounds} passes over the "
        f"set, {flags:,} flags; average text {sum(map(len, texts)) / len(texts):.0f} characters, one process)"
    )


if __name__ == "__main__":
    main()
