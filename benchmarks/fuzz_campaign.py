"""A fuzz campaign against the contributor gate: every case must end in a report.

    python -m benchmarks.fuzz_campaign --cases 100000 [--seed 1] [--failures DIR]

Each case is one hostile record, checked the way ``newsld validate`` checks a pull request's
record (read, parse, map, gate). Cases are drawn, deterministically from ``--seed``, from these
shapes:

- ``mutate``: a valid record with fields dropped, duplicated, retyped, truncated or spiked with
  nasty characters, then the YAML text cut or spiked with bytes (as ``tests/test_fuzz.py``);
- ``alias``: anchors and aliases, from harmless scalar ones to billion-laughs towers;
- ``nesting``: flow and block nesting from a few levels to thousands;
- ``confusable``: registry names respelt with accents, combining marks, look-alike Cyrillic and
  Greek letters, zero-width and bidirectional characters, other scripts;
- ``link``: the record is a symbolic link (to ``/dev/zero``, to a file outside the corpus, to a
  folder, to a missing file, to another record) or a named pipe.

A case fails when anything escapes as an exception (a traceback in the CLI), it runs past
``--timeout`` seconds (a hang), or a finding quotes the file outside the corpus (a leak).
Address space is capped (``--memory-gb``) so that a read without limit fails as a MemoryError
instead of taking the machine down. The campaign prints, per shape,
the cases run and failed, the finding codes seen, and the seconds taken; failing cases are
written to ``--failures`` to replay. It exits 1 if any case failed.
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from newsld.findings.report import CATALOGUE
from newsld.release.build import BuildOptions
from newsld.release.run import prepare

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SHAPES = ["mutate", "alias", "nesting", "confusable", "link"]
NASTY = ['"', "'", "\n", "\r\n", "<", ">", "\\", "\x00", "\t", "{", "}", "#", ": ", "- "]
NASTY += ["&a", "*a", "!!python/object:os.system", "%", "\u202e", "\u2028", "😀", "\ufeff"]
NASTY += ["\x1b[31m", "::error file=x::forged", "\u200b", "${{ github.token }}"]
LOOK_ALIKES = dict(zip("aeopcyxijshk", "аеорсухіјѕһк", strict=True))
MARKS = ["\u0301", "\u0323", "\u0308", "\u200d", "\u200b", "\u202e", "\u2066"]


SECRET = "token-4f1d"  # in a file outside the corpus: no finding may ever quote it


class Hang(Exception):
    """The case ran past its time limit."""


def _alarm(signum: int, frame: Any) -> None:
    raise Hang


class Campaign:
    """One corpus folder (the seed registry and settings, no records) and a prepared run."""

    def __init__(self, folder: Path, seed: int) -> None:
        self.random = random.Random(seed)
        self.corpus = folder / "corpus"
        self.outside = folder / "outside-secret.yaml"
        self.outside.write_text(f"id: secret\ntext_file: {SECRET}.txt\n", encoding="utf-8")
        (self.corpus / "articles").mkdir(parents=True)
        for name in ("registry.yaml", "dataset.yaml"):
            shutil.copyfile(ROOT / "corpus" / name, self.corpus / name)
        shutil.copyfile(DATA / "short-article.txt", self.corpus / "articles" / "short-article.txt")
        self.valid = yaml.safe_load((DATA / "valid-short-record.yaml").read_text("utf-8"))
        self.valid["id"] = "fuzz-case"
        self.record = self.corpus / "articles" / "fuzz-case.yaml"
        self.run = prepare(self.corpus, BuildOptions(cache_dir=None))
        registry = self.run.corpus.registry.entities
        self.names = sorted(entity.name for entity in registry.values())

    # -- the shapes ----------------------------------------------------------------------------
    def mutate(self) -> bytes:
        rnd, data = self.random, copy.deepcopy(self.valid)
        for _ in range(rnd.randint(1, 4)):
            paths = value_paths(data)
            if not paths:
                break
            path = rnd.choice(paths)
            parent, key = parent_of(data, path), path[-1]
            action = rnd.choice(["drop", "duplicate", "retype", "truncate", "inject"])
            if action == "drop":
                del parent[key]
            elif action == "duplicate" and isinstance(parent, list):
                parent.append(copy.deepcopy(parent[key]))
            elif action == "retype":
                parent[key] = rnd.choice(
                    [None, True, rnd.randint(-9, 10**12), 1.5e300, ["x", ""], {"a": 1}, ""]
                )
            elif isinstance(parent[key], str):
                text, cut = parent[key], rnd.randint(0, len(parent[key]))
                if action == "truncate":
                    parent[key] = text[:cut]
                else:
                    parent[key] = text[:cut] + rnd.choice(NASTY) + text[cut:]
        raw = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")
        damage = rnd.choice(["none", "none", "truncate", "inject", "bytes"])
        at = rnd.randint(0, len(raw))
        if damage == "truncate":
            raw = raw[:at]
        elif damage == "inject":
            raw = raw[:at] + rnd.choice(NASTY).encode() + raw[at:]
        elif damage == "bytes":
            raw = raw[:at] + rnd.randbytes(rnd.randint(1, 4)) + raw[at:]
        return raw

    def alias(self) -> bytes:
        rnd = self.random
        levels, width = rnd.randint(1, 30), rnd.randint(1, 12)
        lines = ["id: fuzz-case", "text_file: short-article.txt"]
        kind = rnd.choice(["scalar", "list", "map"])
        if kind == "scalar":
            lines += ["headline: &h Officials meet", "subheadline: *h"]
        else:
            lines.append("a0: &a0 " + ("[lol, lol]" if kind == "list" else "{x: lol}"))
            for level in range(1, levels):
                refs = ", ".join([f"*a{level - 1}"] * width)
                lines.append(f"a{level}: &a{level} [{refs}]")
            lines.append(f"{rnd.choice(['headline', 'claims', 'mentions'])}: *a{levels - 1}")
        return ("\n".join(lines) + "\n").encode()

    def nesting(self) -> bytes:
        rnd = self.random
        depth = rnd.choice([rnd.randint(1, 40), rnd.randint(40, 1100), rnd.randint(1100, 5000)])
        head = "id: fuzz-case\ntext_file: short-article.txt\n"
        if rnd.random() < 0.5:
            body = "mentions: " + "[" * depth + "x" + "]" * depth + "\n"
        else:
            body = "".join("  " * level + f"k{level}:\n" for level in range(depth))
        return (head + body).encode()

    def confusable(self) -> bytes:
        rnd = self.random
        name = rnd.choice(self.names)
        letters = list(name)
        for _ in range(rnd.randint(1, 3)):
            at = rnd.randrange(len(letters))
            change = rnd.choice(["look-alike", "mark", "case", "other-script"])
            if change == "look-alike":
                letters[at] = LOOK_ALIKES.get(letters[at].lower(), letters[at])
            elif change == "mark":
                letters[at] += rnd.choice(MARKS)
            elif change == "case":
                letters[at] = letters[at].swapcase()
            else:
                letters[at] = rnd.choice("ДЖЩλΩحשא中")
        data = copy.deepcopy(self.valid)
        role = rnd.choice(["speaker", "participant", "publisher", "author"])
        respelt = "".join(letters)
        if role == "speaker":
            data["claims"][0]["speaker"] = respelt
        elif role == "participant":
            data["events"][0]["participants"] = [respelt]
        elif role == "publisher":
            data["publisher"] = respelt
        else:
            data["authors"] = [respelt]
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")

    def link(self) -> Path:
        """Make the record a link or a pipe; returns the path to check."""
        rnd = self.random
        target = rnd.choice(["/dev/zero", "outside", "folder", "missing", "record", "fifo"])
        self.record.unlink(missing_ok=True)
        if target == "fifo":
            os.mkfifo(self.record)
        elif target == "/dev/zero":
            self.record.symlink_to("/dev/zero")
        elif target == "outside":
            self.record.symlink_to(self.outside)
        elif target == "folder":
            self.record.symlink_to(self.corpus / "articles")
        elif target == "missing":
            self.record.symlink_to(self.corpus / "articles" / "nowhere.yaml")
        else:
            self.record.symlink_to(DATA / "valid-short-record.yaml")
        return self.record

    # -- running -------------------------------------------------------------------------------
    def case(self, shape: str) -> tuple[bytes | None, Path]:
        if shape == "link":
            return None, self.link()
        raw = getattr(self, shape)()
        if self.record.is_symlink() or self.record.exists():
            self.record.unlink()
        self.record.write_bytes(raw)
        return raw, self.record

    def check(self, path: Path) -> list[str]:
        """The codes one record gets, the way ``validate`` checks a named record."""
        gated = self.run.gate(path)
        codes = [f.code for f in gated.findings]
        unknown = [c for c in codes if c not in CATALOGUE]
        if unknown:
            raise AssertionError(f"finding codes not in the catalogue: {unknown}")
        if any(SECRET in f.model_dump_json() for f in gated.findings):
            raise AssertionError("a finding quotes a file outside the corpus")
        return codes


def value_paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += value_paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += value_paths(item, (*prefix, index))
    return found


def parent_of(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def run_campaign(
    cases: int, seed: int, timeout: int, failures: Path | None
) -> tuple[Counter[str], Counter[str], Counter[str], float]:
    """Run ``cases`` cases; return cases and failures per shape, codes seen, seconds."""
    ran, failed, codes = Counter[str](), Counter[str](), Counter[str]()
    signal.signal(signal.SIGALRM, _alarm)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="newsld-fuzz-") as folder:
        campaign = Campaign(Path(folder), seed)
        for number in range(cases):
            shape = SHAPES[number % len(SHAPES)]
            ran[shape] += 1
            raw, path = campaign.case(shape)
            signal.alarm(timeout)
            try:
                codes.update(campaign.check(path))
                problem = None
            except Hang:
                problem = f"hang: more than {timeout} s"
            except BaseException as error:  # any escape is what we count
                if isinstance(error, KeyboardInterrupt):
                    raise
                problem = "".join(traceback.format_exception(error))
            finally:
                signal.alarm(0)
            if problem is not None:
                failed[shape] += 1
                if failures is not None:
                    failures.mkdir(parents=True, exist_ok=True)
                    stem = failures / f"case-{number:07d}-{shape}"
                    stem.with_suffix(".txt").write_text(problem, encoding="utf-8")
                    if raw is not None:
                        stem.with_suffix(".yaml").write_bytes(raw)
    return ran, failed, codes, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=int, default=20, help="seconds a case may take")
    parser.add_argument("--memory-gb", type=float, default=4.0, help="address-space cap")
    parser.add_argument("--failures", type=Path, help="folder for failing cases")
    args = parser.parse_args(argv)
    cap = int(args.memory_gb * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    ran, failed, codes, seconds = run_campaign(args.cases, args.seed, args.timeout, args.failures)
    print(f"fuzz campaign: {sum(ran.values())} cases, seed {args.seed}, {seconds:.1f} s")
    print(f"{'shape':<12}{'cases':>9}{'failed':>8}")
    for shape in SHAPES:
        print(f"{shape:<12}{ran[shape]:>9}{failed[shape]:>8}")
    print("finding codes seen:")
    for code, count in sorted(codes.items()):
        print(f"  {code:<40}{count:>9}")
    total = sum(failed.values())
    print(f"{total} failed (tracebacks or hangs)")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
