#!/usr/bin/env python3
"""Writes internal/lexicon/antonyms.txt from Debian's wordnet-base (apt-get install wordnet-base).

WordNet marks direct antonyms with "!" pointers between words of adjective, adverb and verb
synsets. This keeps the pairs of two single lowercase words, one pair a line, sorted, so that the
table is small, embedded in the binary and read at start-up in well under a millisecond. Run it
again after a WordNet upgrade; the output is the same for the same WordNet files.

    python3 scripts/antonyms.py [/usr/share/wordnet] > internal/lexicon/antonyms.txt
"""
import os
import re
import sys

WORD = re.compile(r"^[a-z]{2,}$")


def synsets(path):
    """Yields (offset, words, pointers) of each synset of a WordNet data file."""
    with open(path, encoding="latin-1") as f:
        for line in f:
            if line.startswith("  "):
                continue  # the licence header
            parts = line.split(" | ")[0].split()
            offset, _, _, wcnt = parts[0], parts[1], parts[2], int(parts[3], 16)
            words = [re.sub(r"\(.*\)$", "", parts[4 + 2 * i]).lower() for i in range(wcnt)]
            i = 4 + 2 * wcnt
            pcnt = int(parts[i])
            ptrs = []
            for k in range(pcnt):
                sym, off, pos, st = parts[i + 1 + 4 * k: i + 5 + 4 * k]
                ptrs.append((sym, off, pos, int(st[:2], 16), int(st[2:], 16)))
            yield offset, words, ptrs


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet"
    files = {"a": "data.adj", "s": "data.adj", "r": "data.adv", "v": "data.verb"}
    words = {}
    pointers = []
    for name in ("data.adj", "data.adv", "data.verb"):
        pos = {"data.adj": "a", "data.adv": "r", "data.verb": "v"}[name]
        for offset, ws, ptrs in synsets(os.path.join(root, name)):
            words[(pos, offset)] = ws
            for sym, off, tpos, src, dst in ptrs:
                if sym == "!" and src and dst:
                    pointers.append((ws[src - 1], ("r" if tpos == "r" else "v" if tpos == "v" else "a", off), dst))
    pairs = set()
    for word, target, dst in pointers:
        other = words.get(target)
        if not other or dst > len(other):
            continue
        a, b = word, other[dst - 1]
        if a != b and WORD.match(a) and WORD.match(b):
            pairs.add(tuple(sorted((a, b))))
    print("# Antonym pairs of single words from WordNet 3.0 (adjectives, adverbs, verbs): scripts/antonyms.py.")
    print("# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. See LICENSE-WordNet.")
    for a, b in sorted(pairs):
        print(a, b)


if __name__ == "__main__":
    main()
