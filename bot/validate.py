"""`make validate`: Rasa's data validation, with warnings treated as errors,
except one that is wrong for this project.

Rasa warns "The utterance 'utter_x' is not used in any story or rule" for every
response that a custom action utters (dispatcher.utter_message(response=...)),
because it only looks at stories and rules. Here such a response is fine when
an action names it; a response used nowhere still fails.
"""
from __future__ import annotations

import re
import subprocess
import sys

from bot.settings import ROOT

UNUSED = re.compile(r"The utterance '([^']+)' is not used in any story or rule\.")
WARNING = re.compile(r"(UserWarning|WARNING|Warning):? (.*)")


def uttered_by_actions() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "actions").glob("*.py"):
        names.update(re.findall(r"[\"'](utter_[a-z0-9_]+)[\"']", path.read_text(encoding="utf-8")))
        # f"utter_danger_{situation}" and similar: every response with that prefix
        names.update(f"prefix:{p}" for p in re.findall(r"f[\"'](utter_[a-z0-9_]*)\{", path.read_text(encoding="utf-8")))
    return names


def problems(output: str, used: set[str]) -> list[str]:
    prefixes = tuple(n.removeprefix("prefix:") for n in used if n.startswith("prefix:"))
    found = []
    for line in output.splitlines():
        unused = UNUSED.search(line)
        if unused:
            name = unused.group(1)
            if name in used or (prefixes and name.startswith(prefixes)):
                continue
            found.append(line.strip())
        elif "UserWarning" in line:
            found.append(line.strip())
    return found


def main() -> int:
    cmd = [sys.executable, "-m", "rasa", "data", "validate", "--config", "config.yml",
           "--domain", "domain", "--data", "data"]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    output = result.stdout + result.stderr
    if result.returncode != 0:
        print(output, file=sys.stderr)
        return result.returncode
    left = problems(output, uttered_by_actions())
    for line in left:
        print(line, file=sys.stderr)
    print("[validate] " + ("OK" if not left else f"{len(left)} warning(s)"), flush=True)
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
