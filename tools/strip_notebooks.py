"""Remove outputs, execution counts and widget state from notebooks (run before committing)."""

import json
import sys


def strip(path: str) -> bool:
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    before = json.dumps(nb, sort_keys=True)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cell.get("metadata", {}).pop("execution", None)
    nb.get("metadata", {}).pop("widgets", None)
    changed = json.dumps(nb, sort_keys=True) != before
    if changed:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(nb, f, indent=1, ensure_ascii=False)
            f.write("\n")
    return changed


if __name__ == "__main__":
    for p in sys.argv[1:]:
        if strip(p):
            print(f"stripped {p}")
