"""Property tests: whatever bytes a file holds, extracting it gives an Extraction or one coded error.

Random bytes, and random mutations of real corpus files (bytes flipped, the file cut short, ranges of lines
deleted or repeated, control characters and markup put in), written as .txt, .md and .html, go through
:func:`~policykg.loaders.readers.read_document` and :func:`~policykg.loaders.extract.extract_document` (the
two layers of :func:`~policykg.loaders.extract_file`). The result must be an :class:`Extraction` or a
:class:`PolicyKGError` of the input catalogue; any other exception fails, and so does E201 (the error
``extract_file`` turns an unexpected exception into: it would hide a bug). Each example is bounded by
Hypothesis's deadline and by a hard limit (an interval timer that raises): a hang fails, it does not stall CI.
"""

from __future__ import annotations

import signal
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis.control import currently_in_test_context
from hypothesis import strategies as st

from policykg.errors import PolicyKGError
from policykg.loaders.extract import extract_document
from policykg.loaders.readers import read_document
from policykg.records import Extraction

# Small files (well under a second each), one of each shape: a plain-text decision + plan from a PDF, and
# Markdown of a plan with tables and of a decision; plus HTML made from a Markdown one.
SEEDS = [
    ("corpus", "001_2136b0a1750722ce.txt"),
    ("corpus-wild", "ho-chi-minh-kh-172-2025.md"),
    ("corpus-wild", "ha-noi-kh-308-2025.md"),
    ("corpus-wild", "chinh-phu-qd-2623-2025.md"),
]
HTML_SEED = ("corpus-wild", "ho-chi-minh-kh-172-2025.md")

SUFFIXES = [".txt", ".md", ".html"]
HARD_LIMIT = 20.0  # seconds one example may take at most (the slowest seed takes ~0.5 s)
DEADLINE = timedelta(seconds=10)

# What gets inserted: control characters, markup of the three formats, encoding debris, document words.
TOKENS = [bytes([c]) for c in (*range(0, 32), 0x7F)] + [
    b"|", b"||", b"**", b"*", b"#", b"# ", b"---", b"|---|---|", b"| 1 | a |\n", b"\n|\n", b"`", b"> ", b"- ",
    b"<table>", b"</table>", b"<tr>", b"</tr>", b"<td>", b"</td>", b"<th colspan=\"3\">", b"<td rowspan=\"99\">",
    b"<td rowspan=\"99999999\">", b"<th colspan=\"1000000000\">", b"<td rowspan=\"\xc2\xb2\">", b"<td colspan=\"-3\">",
    b"<p>", b"</p>", b"<br>", b"<b>", b"</b>", b"<html><body>", b"<!--", b"-->", b"<script>", b"<![CDATA[",
    b"&amp;", b"&#0;", b"&#xD800;", b"&nbsp;", b"\xef\xbb\xbf", b"\xff", b"\xc3", b"\xe1\xba", b"\xed\xa0\x80",
    "\u202e".encode(), "\u2028".encode(), "\u0301".encode(), "\ufffd".encode(),
    "KẾ HOẠCH".encode(), "QUYẾT ĐỊNH".encode(), "Số: ".encode(), "Điều 1.".encode(), "I. ".encode(),
    "1.".encode(), "a)".encode(), "Nơi nhận:".encode(), "./.".encode(), " ngày 12 tháng 13 năm 2025".encode(),
]


# What nests when repeated: HTML elements, Markdown quotes, lists and emphasis, brackets.
NESTING = [b"<div>", b"<table><tr><td>", b"<ul><li>", b"<b>", b"<td>", b"<tr>", b"> ", b"- ", b"  - ", b"*", b"**",
           b"[", b"(", b"|", b"<!--", b"\n"]


class ExampleTimeout(BaseException):
    """An example ran past the hard limit (a BaseException, so no ``except Exception`` swallows it)."""


@contextmanager
def hard_limit(seconds: float):
    def expire(signum, frame):
        raise ExampleTimeout(f"an example took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check(path: Path) -> Extraction | PolicyKGError:
    """Read and extract ``path`` as extract_file does, without its net: an Extraction or an input error."""
    with hard_limit(HARD_LIMIT):
        try:
            result: Extraction | PolicyKGError = extract_document(read_document(path))
        except PolicyKGError as err:
            result = err
    if currently_in_test_context():
        event(result.issue.code if isinstance(result, PolicyKGError) else "Extraction")
    if isinstance(result, PolicyKGError):
        assert result.issue.code.startswith("E1"), str(result)  # E201 is an unexpected exception, hidden
        assert result.issue.file == path.name
        assert "\n" not in str(result)
    else:
        assert isinstance(result, Extraction)
        assert result.file == path.name
    return result


@pytest.fixture(scope="module")
def seeds(corpus_dir, wild_dir) -> list[bytes]:
    from markdown_it import MarkdownIt

    folders = {"corpus": corpus_dir, "corpus-wild": wild_dir}
    out = [(folders[folder] / name).read_bytes() for folder, name in SEEDS]
    text = (folders[HTML_SEED[0]] / HTML_SEED[1]).read_text(encoding="utf-8")
    out.append(MarkdownIt("commonmark").enable("table").render(text).encode("utf-8"))
    return out


@pytest.fixture(scope="module")
def workdir(tmp_path_factory, seeds) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    warm = folder / "warm.txt"  # load spaCy once, outside the deadline
    warm.write_bytes(seeds[0])
    check(warm)
    return folder


def write(folder: Path, data: bytes, suffix: str) -> Path:
    path = folder / f"fuzz{suffix}"
    path.write_bytes(data)
    return path


# --- random bytes ----------------------------------------------------------------------------------

text_like = st.lists(st.sampled_from(TOKENS) | st.text(max_size=20).map(str.encode), max_size=60).map(b"".join)


@settings(max_examples=300, deadline=DEADLINE, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4000) | text_like, suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_give_an_extraction_or_an_input_error(workdir, data, suffix):
    check(write(workdir, data, suffix))


# --- mutations of real files -----------------------------------------------------------------------

POS = st.integers(min_value=0, max_value=2**31)  # a position, taken modulo the length of what it cuts

mutation = st.one_of(  # most keep the file valid UTF-8, so that the mutation reaches the readers
    st.tuples(st.just("flip"), POS, st.integers(1, 255)),
    st.tuples(st.just("flip-ascii"), POS, st.integers(1, 127)),
    st.tuples(st.just("truncate"), POS),
    st.tuples(st.just("cut-lines"), POS),
    st.tuples(st.just("delete-lines"), POS, st.integers(1, 40)),
    st.tuples(st.just("repeat-lines"), POS, st.integers(1, 40), st.integers(2, 4)),
    st.tuples(st.just("insert"), POS, st.sampled_from(TOKENS), st.integers(1, 5)),
    st.tuples(st.just("insert-at-line-start"), POS, st.sampled_from(TOKENS)),
    st.tuples(st.just("insert"), POS, st.sampled_from(NESTING), st.integers(50, 3000)),
    st.tuples(st.just("splice"), POS, st.integers(0, 2**31), st.integers(1, 60)),
)


def mutate(data: bytes, op: tuple, seeds: list[bytes]) -> bytes:
    kind, pos = op[0], op[1]
    if kind == "flip":
        if not data:
            return data
        at = pos % len(data)
        return data[:at] + bytes([data[at] ^ op[2]]) + data[at + 1:]
    if kind == "flip-ascii":  # an ASCII byte to another: the text stays UTF-8
        at = next((i for i in range(pos % (len(data) or 1), len(data)) if data[i] < 0x80), None)
        return data if at is None else data[:at] + bytes([data[at] ^ op[2]]) + data[at + 1:]
    if kind == "truncate":
        return data[:pos % (len(data) + 1)]
    if kind == "insert":
        at = pos % (len(data) + 1)
        return data[:at] + op[2] * op[3] + data[at:]
    lines = data.split(b"\n")
    at = pos % len(lines)
    if kind == "cut-lines":
        del lines[at + 1:]
    elif kind == "insert-at-line-start":
        lines[at] = op[2] + lines[at]
    elif kind == "splice":  # lines of another file put in: a document made of two
        other = seeds[op[2] % len(seeds)].split(b"\n")
        start = op[2] % len(other)
        lines[at:at] = other[start:start + op[3]]
    elif kind == "delete-lines":
        del lines[at:at + op[2]]
    else:  # repeat-lines
        lines[at:at + op[2]] = lines[at:at + op[2]] * op[3]
    return b"\n".join(lines)


@settings(max_examples=400, deadline=DEADLINE, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(seed=st.integers(0, len(SEEDS)), ops=st.lists(mutation, min_size=1, max_size=5),
       suffix=st.sampled_from(SUFFIXES))
def test_mutated_corpus_files_give_an_extraction_or_an_input_error(workdir, seeds, seed, ops, suffix):
    data = seeds[seed]
    for op in ops:
        data = mutate(data, op, seeds)
    check(write(workdir, data, suffix))
