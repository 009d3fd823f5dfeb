"""Cut the community Mastodon OpenAPI description down to the operations socialgov's Mastodon adapter and its tests
use (the same way trim.py cuts X's).

    git -C <mastodon-openapi checkout> show <commit>:dist/schema.json > /tmp/mastodon-openapi-full.json
    python -m tests.publishing.vendor.trim_mastodon /tmp/mastodon-openapi-full.json --commit <commit> --date <date>

writes tests/publishing/vendor/mastodon-openapi.json: the operations below, every component they reference
(followed transitively) and an "x-source" note. Update mastodon-openapi.md with the same commit when refreshing.
"""

import argparse
import json
from pathlib import Path

from .trim import _refs, _resolve

HERE = Path(__file__).resolve().parent
REPOSITORY = "abraham/mastodon-openapi"
FILE = "dist/schema.json"
OPERATIONS = {
    "/api/v2/media": ["post"],
    "/api/v1/media/{id}": ["get"],
    "/api/v1/statuses": ["post"],
    "/api/v1/statuses/{id}": ["get", "put", "delete"],
    "/api/v1/statuses/{id}/history": ["get"],
    "/api/v1/notifications": ["get"],
    "/api/v1/accounts/verify_credentials": ["get"],
    "/api/v1/accounts/lookup": ["get"],
    "/api/v1/accounts/{id}/statuses": ["get"],
    "/api/v1/accounts/{id}/block": ["post"],
    "/api/v1/reports": ["post"],
}


def trim(full: dict, *, commit: str, date: str) -> dict:
    paths = {}
    for path, methods in OPERATIONS.items():
        item = full["paths"][path]
        kept = {key: value for key, value in item.items() if key not in {"get", "put", "post", "delete", "patch"}}
        kept.update({method: item[method] for method in methods})
        paths[path] = kept
    wanted: set[str] = set()
    _refs(paths, wanted)
    done: set[str] = set()
    while wanted - done:
        ref = sorted(wanted - done)[0]
        done.add(ref)
        _refs(_resolve(full, ref), wanted)
    components: dict = {}
    for ref in sorted(done):
        _, _, kind, name = ref.split("/", 3)
        components.setdefault(kind, {})[name] = _resolve(full, ref)
    components["securitySchemes"] = full["components"]["securitySchemes"]
    return {
        "openapi": full["openapi"],
        "info": full["info"],
        "x-source": {
            "repository": REPOSITORY,
            "path": FILE,
            "commit": commit,
            "date": date,
            "info.version": full["info"]["version"],
            "note": "a subset: only the operations socialgov's Mastodon adapter and its tests use and the "
            "components they reference",
        },
        "servers": full.get("servers", []),
        "paths": paths,
        "components": components,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("full", type=Path, help="the project's whole dist/schema.json")
    parser.add_argument("--commit", required=True)
    parser.add_argument("--date", required=True, help="the commit's date, YYYY-MM-DD")
    parser.add_argument("--out", type=Path, default=HERE / "mastodon-openapi.json")
    args = parser.parse_args()
    trimmed = trim(json.loads(args.full.read_text()), commit=args.commit, date=args.date)
    args.out.write_text(json.dumps(trimmed, indent=1, sort_keys=False) + "\n")
    print(f"{args.out}: {len(trimmed['paths'])} paths, {sum(map(len, trimmed['components'].values()))} components")


if __name__ == "__main__":
    main()
