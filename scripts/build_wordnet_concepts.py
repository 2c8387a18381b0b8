"""Build src/newsprism/lang/en/wordnet_concepts.tsv.gz, the WordNet relations of the alignment model.

WordNet 3.0 (Princeton University) comes from the Debian/Ubuntu package ``wordnet-base``; installing it puts the
data files in /usr/share/wordnet. Without installing anything:

    apt-get download wordnet-base
    dpkg-deb -x wordnet-base_*.deb /tmp/wordnet-base
    python scripts/build_wordnet_concepts.py --wordnet-dir /tmp/wordnet-base/usr/share/wordnet

Each single-word alphabetic lemma of at most ``--max-senses`` senses (all parts of speech together; a very
polysemous word such as "say", "face" or "come" relates to almost anything) gets a set of concepts: the synsets of
its first ``--senses`` senses per part of speech (the index files list senses most frequent first), plus the
synsets those senses of that very lemma point to by a derivation (+), pertainym (\\) or participle (<) pointer
("refusal" → the synset of "refuse", "reject"; "territorial" → "territory"). A sense in which the word is written
with a capital is a name and gives nothing ("China" is both the PRC and Taiwan in WordNet; names are the entities
feature's business; ``--names`` keeps them). Two words are related when their concept sets meet.

The file keeps only what can relate two words: the concepts held by at least two kept words, numbered, and one line
per word holding any, sorted by word: the word, a tab, its concept numbers (space-separated), so a reader can find a
word by binary search without parsing the rest. Lines starting with "#" (at the top) are comments; the output is
byte-for-byte reproducible. The WordNet licence is in WORDNET_LICENSE.txt beside the output; the choice of ``--senses`` and
``--max-senses`` is explained at ``alignment.WORDNET_SENSES`` and in docs/facts.md (the defaults are the chosen
values).
"""

from __future__ import annotations

import argparse
import gzip
import io
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "newsprism" / "lang" / "en" / "wordnet_concepts.tsv.gz"
PARTS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
LEXICAL_POINTERS = {"+", "\\", "<"}  # derivationally related form, pertainym (or "derived from adjective"), participle


def _lines(path: Path):
    with path.open(encoding="latin-1") as f:
        for line in f:
            if not line.startswith("  "):  # the licence header
                yield line


def read_synsets(wordnet: Path) -> tuple[dict[tuple[str, str], list[str]], dict[str, set[str]]]:
    """(synset, lower-case word of it) → synsets the word's derivation/pertainym/participle pointers reach; and
    synset → its words written in lower case (common words; "China", "EU", "Eu" are names)."""
    targets: dict[tuple[str, str], list[str]] = defaultdict(list)
    common: dict[str, set[str]] = {}
    for name, part in PARTS.items():
        for line in _lines(wordnet / f"data.{name}"):
            fields = line.split(" | ")[0].split()
            synset = part + fields[0]
            n_words = int(fields[3], 16)
            written = [fields[4 + 2 * i].split("(")[0] for i in range(n_words)]  # "(a)" adjective markers
            words = [w.lower() for w in written]
            common[synset] = {w for w in written if w == w.lower()}
            i = 4 + 2 * n_words
            for _ in range(int(fields[i])):
                symbol, offset, target_part, source_target = fields[i + 1:i + 5]
                i += 4
                source = int(source_target[:2], 16)  # 0: a semantic pointer between whole synsets
                if symbol in LEXICAL_POINTERS and source:
                    targets[(synset, words[source - 1])].append(("a" if target_part == "s" else target_part) + offset)
    return targets, common


def concepts(wordnet: Path, senses: int, names: bool = False) -> tuple[dict[str, set[str]], Counter]:
    """Lemma → its concepts (see the module docstring), and lemma → its number of senses over all parts of speech.
    Unless ``names``, a sense in which the lemma is written with a capital (a name) gives no concept."""
    pointers, common = read_synsets(wordnet)
    table: dict[str, set[str]] = defaultdict(set)
    counts: Counter = Counter()
    for name, part in PARTS.items():
        for line in _lines(wordnet / f"index.{name}"):
            fields = line.split()
            lemma = fields[0]
            if not lemma.isalpha():  # collocations ("turn_down"), hyphens, digits
                continue
            n_synsets, n_pointer_kinds = int(fields[2]), int(fields[3])
            offsets = fields[4 + n_pointer_kinds + 2:]
            if len(offsets) != n_synsets:
                raise ValueError(f"unexpected index line in index.{name}: {line[:80]!r}")
            counts[lemma] += n_synsets
            for offset in offsets[:senses]:
                synset = part + offset
                if not names and lemma not in common[synset]:
                    continue
                table[lemma].add(synset)
                table[lemma].update(pointers.get((synset, lemma), ()))
    return table, counts


def build(wordnet: Path, senses: int, max_senses: int, names: bool = False) -> list[tuple[str, ...]]:
    """Groups of words sharing a concept, for the words of at most ``max_senses`` senses; sorted, no duplicates."""
    table, counts = concepts(wordnet, senses, names)
    holders: dict[str, set[str]] = defaultdict(set)
    for word, found in table.items():
        if counts[word] <= max_senses:
            for concept in found:
                holders[concept].add(word)
    return sorted({tuple(sorted(words)) for words in holders.values() if len(words) > 1})


def write(groups: list[tuple[str, ...]], out: Path, senses: int, max_senses: int, names: bool) -> None:
    held: dict[str, list[int]] = defaultdict(list)
    for number, words in enumerate(groups):
        for word in words:
            held[word].append(number)
    text = io.StringIO()
    text.write("# Derived from WordNet 3.0 (c) 2006 Princeton University, see WORDNET_LICENSE.txt; built by "
               "scripts/build_wordnet_concepts.py\n")
    text.write(f"# senses={senses} max_senses={max_senses} names={'yes' if names else 'no'}: one line per word, "
               "sorted: word<TAB>numbers of the concepts it shares with another word\n")
    for word in sorted(held):
        text.write(word + "\t" + " ".join(map(str, held[word])) + "\n")
    raw = text.getvalue().encode("utf-8")
    with out.open("wb") as f, gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as gz:
        gz.write(raw)  # mtime 0 and no file name: the same input gives the same bytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet-dir", type=Path, default=Path("/usr/share/wordnet"),
                        help="folder with WordNet 3.0's index.* and data.* files (default: %(default)s)")
    parser.add_argument("--senses", type=int, default=2, help="senses per part of speech kept (default: %(default)s)")
    parser.add_argument("--max-senses", type=int, default=8,
                        help="words with more senses in all are left out (default: %(default)s)")
    parser.add_argument("--names", action="store_true",
                        help="keep senses in which the word is a name (China, EU); off by default")
    parser.add_argument("--out", type=Path, default=OUT, help="output file (default: %(default)s)")
    args = parser.parse_args()
    groups = build(args.wordnet_dir, args.senses, args.max_senses, args.names)
    write(groups, args.out, args.senses, args.max_senses, args.names)
    words = {w for g in groups for w in g}
    print(f"wrote {args.out}: {len(groups)} concepts, {len(words)} words, {args.out.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
