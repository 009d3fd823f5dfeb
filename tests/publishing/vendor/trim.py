"""Cut the X API's OpenAPI description down to the operations socialgov's X adapter and its tests use.

    git -C <xdk checkout> show <commit>:specs/openapi.json > /tmp/x-openapi-full.json
    python tests/publishing/vendor/trim.py /tmp/x-openapi-full.json --commit <commit> --date <YYYY-MM-DD>

writes tests/publishing/vendor/x-openapi.json: the operations below, every component they reference (followed
transitively) and an "x-source" note saying where the description came from. Update SOURCE.md with the same
commit when refreshing.
"""

import argparse
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPOSITORY = "xdevplatform/xdk"
FILE = "specs/openapi.json"
OPERATIONS = {
    "/2/tweets": ["get", "post"],
    "/2/tweets/{id}": ["delete", "get"],
    "/2/tweets/{tweet_id}/hidden": ["put"],
    "/2/users/{id}/tweets": ["get"],
    "/2/users/{id}/mentions": ["get"],
    "/2/media/upload": ["get", "post"],
    "/2/media/upload/initialize": ["post"],
    "/2/media/upload/{id}/append": ["post"],
    "/2/media/upload/{id}/finalize": ["post"],
    "/2/media/metadata": ["post"],
}


def _refs(node, found: set[str]):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/"):
            found.add(ref)
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def _resolve(spec: dict, ref: str):
    node = spec
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def trim(full: dict, *, commit: str, date: str) -> dict:
    paths = {}
    for path, methods in OPERATIONS.items():
        item = full["paths"][path]
        kept = {key: value for key, value in item.items() if key not in {"get", "put", "post", "delete", "patch"}}
        kept.update({method: item[method] for method in methods})
        paths[path] = kept
    schemes = set()
    for item in paths.values():
        for operation in item.values():
            for requirement in operation.get("security", []) if isinstance(operation, dict) else []:
                schemes.update(requirement)
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
    components["securitySchemes"] = {name: full["components"]["securitySchemes"][name] for name in sorted(schemes)}
    return {
        "openapi": full["openapi"],
        "info": full["info"],
        "x-source": {
            "repository": REPOSITORY,
            "path": FILE,
            "commit": commit,
            "date": date,
            "info.version": full["info"]["version"],
            "note": "a subset: only the operations socialgov's X adapter uses and the components they reference",
        },
        "servers": full.get("servers", []),
        "paths": paths,
        "components": components,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("full", type=Path, help="the vendor's whole specs/openapi.json")
    parser.add_argument("--commit", required=True)
    parser.add_argument("--date", required=True, help="the commit's date, YYYY-MM-DD")
    parser.add_argument("--out", type=Path, default=HERE / "x-openapi.json")
    args = parser.parse_args()
    trimmed = trim(json.loads(args.full.read_text()), commit=args.commit, date=args.date)
    args.out.write_text(json.dumps(trimmed, indent=1, sort_keys=False) + "\n")
    print(f"{args.out}: {len(trimmed['paths'])} paths, {sum(map(len, trimmed['components'].values()))} components")


if __name__ == "__main__":
    main()
