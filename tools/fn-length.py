#!/usr/bin/env python3
"""make lint: no function in app/ longer than 80 lines unless the comment just above it says why.

A function body is counted from its opening to its closing brace at column 0 (the house layout,
which clang-format keeps). The reason is a comment above the function containing "Kept whole:"
followed by why the steps belong together. docs/style.md, "Functions".
"""
import re
import subprocess
import sys

LIMIT = 80
MARK = "kept whole:"


def functions(lines):
    """Yield (first line of the signature, line of '{', line of '}') for each top-level body."""
    i = 0
    while i < len(lines):
        if lines[i].rstrip() == "{" and i > 0:
            j = i - 1
            while j > 0 and lines[j - 1].strip() and not lines[j - 1].rstrip().endswith(
                    (";", "}", "*/")) and not lines[j - 1].startswith("#"):
                j -= 1
            k = i + 1
            while k < len(lines) and not lines[k].startswith("}"):
                k += 1
            yield j, i, k
            i = k
        i += 1


def comment_above(lines, j):
    """The block comment ending on the line just above line j, lower-cased, or ''."""
    k = j - 1
    if k < 0 or not lines[k].rstrip().endswith("*/"):
        return ""
    start = k
    while start > 0 and "/*" not in lines[start]:
        start -= 1
    return " ".join(lines[start:k + 1]).lower()


def main():
    files = subprocess.run(["git", "ls-files", "app/*.c"], capture_output=True, text=True,
                           check=False).stdout.split()
    bad = 0
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().split("\n")
        for j, i, k in functions(lines):
            n = k - i + 1
            if n <= LIMIT or MARK in comment_above(lines, j):
                continue
            m = re.search(r"(\w+)\s*\(", " ".join(lines[j:i]))
            name = m.group(1) if m else "?"
            print(f"lint: {path}:{j + 1}: {name}() is {n} lines; split it into its steps or "
                  f"say why not in a comment above it (\"Kept whole: ...\")", file=sys.stderr)
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
