"""The gazetteer: every name the genre gives an agency, a collective or a province, loaded once.

One :class:`Gazetteer` per process (:func:`gazetteer`), built from ``ontology/agencies.yaml``,
``provinces.yaml`` and the lexicon, serves the spaCy pipeline (entity-ruler patterns), the
mentions, the resolvers, the query inputs and the checks. It holds:

- the agencies and collectives (:class:`Agency`) and every form of their names
  (:class:`GazetteerEntry`, folded: no diacritics, no case): the written name and aliases, and
  forms derived by the genre's rules — the province word ("Công an tỉnh" / "Công an Thành phố" /
  "Công an"), the tier's committees in any order ("UBND các phường, xã"), the office that names
  its committee ("Chủ tịch UBND cấp xã");
- the provinces before and after 1/7/2025 (:class:`Province`), in every usual spelling;
- the families of agencies printed with their own name (:class:`NamedUnit`: "Kho bạc Nhà nước
  khu vực XI", "Trung tâm Chuyển đổi số Thành phố");
- a fuzzy index (rapidfuzz) for OCR'd names.

>>> g = gazetteer()
>>> g.lookup("Sở KH&CN").key, g.lookup("so khoa hoc va cong nghe tinh").key
('so-khoa-hoc-va-cong-nghe', 'so-khoa-hoc-va-cong-nghe')
>>> m = g.lookup("Công an tỉnh Nghệ An")
>>> m.key, m.province.name
('cong-an-tinh', 'Nghệ An')
>>> g.lookup("UBND các phường, xã").key, g.lookup("Chủ tịch UBND cấp xã").key
('ubnd-cap-xa', 'ubnd-cap-xa')
>>> g.lookup("Kho bạc Nhà nước khu vực XI").kind
'Cơ quan ngành dọc'
>>> g.province("TP.HCM").key, g.province("Thừa Thiên Huế", era="before").key
('ho-chi-minh-2025', 'hue')
>>> g.lookup("Sở Nội vụ").key != g.lookup("Sở Ngoại vụ").key
True
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache, cached_property

from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extractOne

from .. import ontology
from ..text import collapse_spaces, fold, fold_chars, repair

__all__ = [
    "Agency",
    "GazetteerEntry",
    "Province",
    "NamedUnit",
    "Match",
    "Gazetteer",
    "gazetteer",
    "gazetteer_entries",
    "allowed_edits",
    "fuzzy_lookup",
    "fuzzy_lookup_loose",
]


@dataclass(frozen=True)
class Agency:
    """One agency or collective of the gazetteer."""

    key: str
    name: str
    kind: str
    level: str  # province | national
    era: str  # pre2025 | post2025 | both
    collective: bool
    aliases: tuple[str, ...] = ()
    some_provinces: bool = False
    source: str | None = None
    capitalised: bool = False  # in lower case the words are a common noun ("thanh tra", "chính phủ số")


@dataclass(frozen=True)
class GazetteerEntry:
    """One name (canonical, alias or derived) of a gazetteer agency, folded for matching.

    ``written`` is False for the forms the rules derive (city forms, committee lists, offices);
    the fuzzy index holds the written ones only.
    """

    key: str
    name: str
    form: str
    folded: str
    collective: bool
    level: str
    kind: str
    written: bool = True


@dataclass(frozen=True)
class Province:
    """A provincial unit: ``era`` is ``before`` (the 63 until 30/6/2025) or ``after`` (the 34 from 1/7/2025)."""

    key: str
    name: str
    type: str  # tỉnh | thành phố
    era: str
    aliases: tuple[str, ...] = ()
    merged_into: str | None = None
    formed_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class NamedUnit:
    """A family of agencies printed with their own name, by the words they start with."""

    prefix: str
    kind: str
    level: str = "province"
    era: str = "both"
    name: str = "proper"  # proper | phrase
    lower: bool = False
    unless_province: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Match:
    """What a name stands for: a gazetteer key (None for a named unit, whose name is its own)."""

    key: str | None
    name: str
    kind: str
    level: str
    collective: bool
    method: str  # exact | province | named_unit | collective | abbreviation | fuzzy
    province: Province | None = None
    distance: int = 0


def allowed_edits(name: str) -> int:
    """How many character edits an OCR'd mention of ``name`` may differ by.

    >>> allowed_edits("so noi vu"), allowed_edits("so khoa hoc va cong nghe")
    (1, 3)
    """
    return 1 + len(name) // 12


# Characters OCR puts for others in this genre ("S&" / "S¢" for "Sở", "Pao tao" for "Đào tạo", "s6" for "số").
_OCR_EQUIVALENT = str.maketrans(
    {"&": "o", "¢": "o", "0": "o", "6": "o", "p": "d", "1": "l", "|": "l", "$": "s", "3": "a", "4": "a"}
)
_WORD = re.compile(r"\S+")
_PUNCT_END = ",;:.)"
_ROMAN = re.compile(r"^[IVXL]+$")


def _ocr_key(folded: str) -> str:
    return re.sub(r"[^\w]", "", folded.translate(_OCR_EQUIVALENT).replace("()", "o"))


def _loose(folded: str) -> str:
    """Without punctuation between words: "tp.hcm" → "tp hcm", "thua thien - hue" → "thua thien hue"."""
    return collapse_spaces(re.sub(r"[.,\-–;:()]", " ", folded))


def _letters(folded: str) -> str:
    return re.sub(r"[^a-z0-9]", "", folded)


def _words(text: str, accented: bool) -> list[str]:
    """The words of a phrase, lower case, with (``accented``) or without diacritics, punctuation dropped."""
    text = repair(text).lower() if accented else fold(text)
    return collapse_spaces(re.sub(r"[,;:.]|\s[-–]\s", " ", text)).split()


def _folded_variants(form: str, strip_province_word: bool) -> set[str]:
    """The folded form, without " - " joints or commas, and without a trailing "tỉnh" when allowed."""
    folded = fold(form)
    variants = {folded, folded.replace(" - ", " "), folded.replace(" - ", ", ")}
    variants |= {collapse_spaces(v.replace(",", " ")) for v in variants}
    if strip_province_word:
        variants |= {v[: -len(" tinh")] for v in variants if v.endswith(" tinh") and len(v.split()) > 2}
    return variants


class Gazetteer:
    """Agencies, collectives, provinces and named-unit families, with their name forms and indexes.

    Build it with :func:`gazetteer` (once per process); the constructor takes the parsed YAML so
    tests can build one from other data.
    """

    def __init__(self, agencies: dict, provinces: dict, lexicon: dict) -> None:
        self._agencies: dict[str, Agency] = {}
        for collective, items in ((False, agencies.get("agencies", [])), (True, agencies.get("collectives", []))):
            for item in items:
                self._agencies[item["key"]] = Agency(
                    item["key"], item["name"], item.get("kind", "Tập thể" if collective else "Khác"),
                    item.get("level", "province"), item.get("era", "both"), collective,
                    tuple(item.get("aliases") or ()), bool(item.get("some_provinces")), item.get("source"),
                    bool(item.get("capitalised")))
        self._items = {item["key"]: item for group in ("agencies", "collectives") for item in agencies.get(group, [])}
        self._provinces = tuple(
            Province(u["key"], u["name"], u.get("type", "tỉnh"), era, tuple(u.get("aliases") or ()),
                     u.get("merged_into"), tuple(u.get("formed_from") or ()))
            for era in ("before", "after") for u in provinces[era])
        self.province_effective = str(provinces["effective"])
        self.named_units = tuple(
            NamedUnit(u["prefix"], u["kind"], u.get("level", "province"), u.get("era", "both"), u.get("name", "proper"),
                      bool(u.get("lower")), u.get("unless_province"), u.get("source"))
            for u in agencies.get("named_units", []))
        self._name_stops = {fold(w) for w in lexicon.get("name_stops", [])}
        self._proper_stops = {fold(w) for w in lexicon.get("proper_name_stops", [])}
        words = agencies.get("province_words") or {}
        self._province_word = fold(words.get("word", "tỉnh"))
        self._city_words = tuple(fold(w) for w in words.get("city", []))
        self._compounds = {fold(k): tuple(fold(v) for v in vs) for k, vs in (words.get("compounds") or {}).items()}
        committees = agencies.get("committees") or {}
        self._committee_heads = tuple(committees.get("heads", []))
        self._offices = tuple(committees.get("offices", []))

    # --- agencies -------------------------------------------------------------------------------

    def __contains__(self, key: object) -> bool:
        return key in self._agencies

    def agency(self, key: str) -> Agency:
        """The agency or collective of a key (``KeyError`` for an unknown key)."""
        return self._agencies[key]

    def get(self, key: str | None) -> Agency | None:
        """The agency of a key, or None."""
        return self._agencies.get(key or "")

    def name(self, key: str) -> str:
        """The canonical name of a key.

        >>> gazetteer().name("so-noi-vu")
        'Sở Nội vụ'
        """
        return self._agencies[key].name

    def agencies(self, level: str | None = None, era: str | None = None,
                 collective: bool | None = None) -> tuple[Agency, ...]:
        """The agencies, optionally of one level, of an era (``pre2025``/``post2025``: those of
        that organisation, ``both`` included) and collective or not.

        >>> "so-ke-hoach-va-dau-tu" in {a.key for a in gazetteer().agencies(era="post2025")}
        False
        """
        return tuple(a for a in self._agencies.values()
                     if (level is None or a.level == level)
                     and (era is None or a.era in (era, "both"))
                     and (collective is None or a.collective == collective))

    # --- name forms -----------------------------------------------------------------------------

    def _province_names(self) -> list[str]:
        return sorted({p.name for p in self._provinces})

    def _committee_forms(self, units: list[str]) -> list[str]:
        out = []
        for size in range(1, len(units) + 1):
            for order in itertools.permutations(units, size):
                lists = {", ".join(order)}
                if size > 1:
                    lists.add(", ".join(order[:-1]) + " và " + order[-1])
                for head in self._committee_heads:
                    for listed in sorted(lists):
                        out.append(f"{head} các {listed}")
                        if size > 1:
                            out.append(f"{head} {listed}")
        return out

    def _city_variants(self, folded: str) -> set[str]:
        """The forms of a provincial name in a centrally-run city: "cong an tinh" → "cong an thanh pho", ..."""
        out = set()
        for compound, cities in self._compounds.items():
            if re.search(rf"(?<!\S){re.escape(compound)}(?!\S)", folded):
                out |= {re.sub(rf"(?<!\S){re.escape(compound)}(?!\S)", city, folded) for city in cities}
                return out
        if re.search(rf"(?<!\S){self._province_word}(?!\S)", folded):
            out |= {re.sub(rf"(?<!\S){self._province_word}(?!\S)", city, folded) for city in self._city_words}
        return out

    @cached_property
    def entries(self) -> tuple[GazetteerEntry, ...]:
        """Every name form of every agency and collective (canonical names first, then aliases, then
        the derived forms), each folded variant once per key."""
        out: list[GazetteerEntry] = []
        heads = [fold(h) for h in self._committee_heads]
        for agency in self._agencies.values():
            item = self._items[agency.key]
            written = [agency.name, *agency.aliases]
            if pattern := item.get("pattern"):
                written += [pattern.format(province=name) for name in self._province_names()]
            derived = self._committee_forms(item["units"]) if item.get("units") else []
            derived += [f"{office} {form}" for office in self._offices for form in [*written, *derived]
                        if any(fold(form).startswith(h + " ") for h in heads)]
            strip = not agency.collective and item.get("bare", True)
            seen: set[str] = set()
            for forms, is_written in ((written, True), (derived, False)):
                for form in forms:
                    variants = _folded_variants(form, strip)
                    if agency.level == "province":
                        cities = set()
                        for v in variants:
                            cities |= self._city_variants(v)
                        variants = {(v, is_written) for v in variants} | {(c, False) for c in cities}
                    else:
                        variants = {(v, is_written) for v in variants}
                    for folded, w in sorted(variants, key=lambda pair: (pair[0], not pair[1])):
                        if folded in seen:
                            continue
                        seen.add(folded)
                        out.append(GazetteerEntry(agency.key, agency.name, form, folded, agency.collective,
                                                  agency.level, agency.kind, w))
        return tuple(out)

    @cached_property
    def _exact(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for entry in self.entries:
            out.setdefault(entry.folded, entry.key)
            out.setdefault(_loose(entry.folded), entry.key)
        return out

    @cached_property
    def _by_letters(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for entry in self.entries:
            if entry.written:
                out.setdefault(_letters(entry.folded), set()).add(entry.key)
        return out

    def conflicts(self) -> dict[str, set[str]]:
        """Folded name forms that two gazetteer keys claim (the first in the file wins): for the checks.

        >>> gazetteer().conflicts()
        {}
        """
        claims: dict[str, set[str]] = {}
        for entry in self.entries:
            claims.setdefault(entry.folded, set()).add(entry.key)
        return {form: keys for form, keys in claims.items() if len(keys) > 1}

    def patterns(self) -> list[dict]:
        """The entity-ruler patterns (``NORM``-matched folded phrases): label ``AGENCY`` or ``COLLECTIVE``, id = key."""
        out = []
        for entry in self.entries:
            if self._exact.get(entry.folded) == entry.key:
                out.append({"label": "COLLECTIVE" if entry.collective else "AGENCY", "pattern": entry.folded,
                            "id": entry.key})
        return out

    # --- provinces ------------------------------------------------------------------------------

    def provinces(self, era: str | None = None) -> tuple[Province, ...]:
        """The provincial units of an era (``before``: 63, ``after``: 34), or all of them.

        >>> len(gazetteer().provinces("before")), len(gazetteer().provinces("after"))
        (63, 34)
        """
        return tuple(p for p in self._provinces if era is None or p.era == era)

    def province_by_key(self, key: str) -> Province:
        """The provincial unit of a key (``KeyError`` for an unknown one); a key of both eras gives the later."""
        found = [p for p in self._provinces if p.key == key]
        if not found:
            raise KeyError(key)
        return found[-1]

    @cached_property
    def _province_forms(self) -> dict[str, list[Province]]:
        out: dict[str, list[Province]] = {}
        for p in self._provinces:
            for form in (p.name, *p.aliases):
                for key in {fold(form), _loose(fold(form))}:
                    if p not in out.setdefault(key, []):
                        out[key].append(p)
        return out

    @cached_property
    def _province_markers(self) -> set[str]:
        return {self._province_word, *(w.split()[0] for w in self._city_words), *self._city_words}

    @cached_property
    def _marker_re(self) -> str:
        markers = sorted({self._province_word, *self._city_words, *(_loose(w) for w in self._city_words)},
                         key=len, reverse=True)
        return "|".join(re.escape(m).replace(r"\ ", r"\s+") for m in markers)

    @cached_property
    def _province_re(self) -> re.Pattern[str]:
        names = sorted(self._province_forms, key=len, reverse=True)
        alternation = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
        return re.compile(rf"\s*(?:(?P<marker>{self._marker_re})(?:\s+|(?<=\.)))?(?P<name>{alternation})(?![\w])")

    def province(self, text: str, era: str | None = None) -> Province | None:
        """The provincial unit a name stands for ("Thành phố Hồ Chí Minh", "TP.HCM", "tỉnh Nghệ An",
        "Thừa Thiên Huế"), of ``era`` when one is given and the name has a unit of that era; else the
        unit after 1/7/2025 if there is one, before it otherwise.

        >>> g = gazetteer()
        >>> g.province("Vĩnh Phúc").key, g.province("Phú Thọ").key, g.province("Phú Thọ", "before").key
        ('vinh-phuc', 'phu-tho-2025', 'phu-tho')
        >>> g.province("Thừa Thiên - Huế").name, g.province("Sở Y tế") is None
        ('Huế', True)
        """
        folded = fold(text).strip(" ,;:.")
        bare = re.sub(rf"^(?:{self._marker_re})(?:\s+|(?<=\.))", "", folded)
        units = next((self._province_forms[f] for f in (folded, _loose(folded), bare, _loose(bare))
                      if f in self._province_forms), None)
        if not units:
            return None
        if era is not None:
            for unit in units:
                if unit.era == era:
                    return unit
        after = [u for u in units if u.era == "after"]
        return (after or units)[0]

    def province_suffix(self, text: str, start: int) -> tuple[int, Province | None] | None:
        """A province written right after an agency's name, from ``start`` in ``text``: "tỉnh Nghệ An",
        "Thành phố", "TP. Hồ Chí Minh", "Cần Thơ". Returns where it ends and the province it names (None
        for the province word alone, which counts only when no capitalised word follows).

        >>> text = "Công an tỉnh Nghệ An chủ trì"
        >>> end, province = gazetteer().province_suffix(text, len("Công an"))
        >>> text[:end], province.key
        ('Công an tỉnh Nghệ An', 'nghe-an')
        >>> gazetteer().province_suffix("Sở Y tế thành phố Vinh", len("Sở Y tế")) is None
        True
        """
        window = fold_chars(text[start:start + 60]).lower()
        m = self._province_re.match(window)
        if m:
            return start + m.end(), self.province(m.group("name"))
        m = re.match(rf"\s+(?:{self._marker_re})(?![\w.])", window)
        if m:
            rest = text[start + m.end():]
            nxt = re.match(r"\s*(\S)", rest)
            if nxt is None or not nxt.group(1).isupper():
                return start + m.end(), None
        return None

    # --- named units ----------------------------------------------------------------------------

    @cached_property
    def _named_prefixes(self) -> list[tuple[str, str, NamedUnit]]:
        """(folded prefix, prefix as written in lower case, family), longest first; a prefix that opens
        with a committee head is also written with the other heads ("Ủy ban nhân dân xã" for "UBND xã")."""
        out = []
        for unit in self.named_units:
            written = {unit.prefix}
            for head in self._committee_heads:
                if fold(unit.prefix).startswith(fold(head) + " "):
                    rest = unit.prefix[len(head):]
                    written |= {other + rest for other in self._committee_heads}
            out += [(fold(w), w.lower(), unit) for w in written]
        return sorted(out, key=lambda item: len(item[0]), reverse=True)

    @cached_property
    def _named_re(self) -> re.Pattern[str]:
        alternation = "|".join(re.escape(p) for p in sorted({p for p, _, _ in self._named_prefixes}, key=len, reverse=True))
        return re.compile(rf"(?<![\w])(?:{alternation})(?=\s+\S)")

    def _name_end(self, text: str, pos: int, unit: NamedUnit, stops: frozenset[int]) -> int | None:
        """Where the own name of a ``unit`` that starts at ``pos`` (after its prefix) ends; None if there is none.

        A name never runs over a blank line, a table cell's mark or the start of another agency
        (``stops``); a number is only its first word ("khu vực 10", "Thuế cơ sở 1").
        """
        words = list(itertools.islice(_WORD.finditer(text, pos), 16))
        end = None
        taken = 0
        limit = 4 if unit.name == "proper" else 14
        for i, w in enumerate(words):
            word = w.group(0)
            core = word.rstrip(_PUNCT_END + "-–") if len(word) > 1 else word
            folded = fold(core)
            gap = text[end if end is not None else pos:w.start()]
            if w.start() in stops or not core or word.startswith("(") or taken >= limit or gap.count("\n") > 1:
                break
            if core.isdigit() and taken > 0:
                break
            nxt = words[i + 1].group(0) if i + 1 < len(words) else ""
            two = f"{folded} {fold(nxt.rstrip(_PUNCT_END))}"
            if unit.name == "proper":
                if not (core[:1].isupper() or core.isdigit() or _ROMAN.match(core)) or folded in self._proper_stops \
                        or folded in self._name_stops:
                    break
            else:
                if taken == 0 and not (core[:1].isupper() or unit.lower or core.isdigit()):
                    break
                if taken > 0 and folded in self._province_markers:
                    suffix = self.province_suffix(text, end)
                    if suffix is not None:  # the province closes the name
                        end = suffix[0]
                        break
                if core in {"-", "–"} or folded == "va":
                    if taken == 0 or not nxt[:1].isupper() or words[i + 1].start() in stops:
                        break
                elif not re.search(r"\w", core):
                    break
                elif (taken > 0 or not core[:1].isupper()) and (folded in self._name_stops or two in self._name_stops):
                    break
            taken += 1
            end = w.start() + len(core)
            if core != word:
                break
        if end is None:
            return None
        if unit.name == "phrase":  # a dangling joint is not part of the name
            while True:
                tail = text[pos:end].rsplit(None, 1)
                if len(tail) == 2 and (tail[1] in {"-", "–"} or fold(tail[1]) == "va"):
                    end = pos + len(tail[0])
                else:
                    break
        return end

    def named_units_in(self, text: str, stops: frozenset[int] = frozenset()) -> list[tuple[int, int, NamedUnit]]:
        """Agencies printed with their own name in ``text``: (start, end, family), longest prefix first;
        a name stops before the offsets in ``stops`` (where other agencies start).

        >>> text = "phối hợp với Trung tâm Chuyển đổi số Thành phố, Kho bạc Nhà nước khu vực XI"
        >>> [(text[a:b], u.kind) for a, b, u in gazetteer().named_units_in(text)]
        [('Trung tâm Chuyển đổi số Thành phố', 'Đơn vị sự nghiệp'), ('Kho bạc Nhà nước khu vực XI', 'Cơ quan ngành dọc')]
        """
        folded = fold_chars(text).lower()
        out = []
        for m in self._named_re.finditer(folded):
            written = text[m.start():m.end()]
            lowered = repair(written).lower()
            units = [u for f, w, u in self._named_prefixes if f == m.group(0) and w == lowered]
            if not units or not written[:1].isupper() or (written.isupper() and not units[0].prefix.isupper()):
                continue  # "nhiệm vụ", "Vũ", "VỤ", "BÁO CÁO": a word, not the family's name
            unit = units[0]
            end = self._name_end(text, m.end(), unit, stops)
            if end is None:
                continue
            if unit.unless_province:
                province = self.province(text[m.end():end])
                if province is not None and province.type == unit.unless_province:
                    continue
            out.append((m.start(), end, unit))
        return out

    def named_unit(self, name: str) -> NamedUnit | None:
        """The family of an agency printed with its own name, when ``name`` is all of it.

        >>> gazetteer().named_unit("UBND thành phố Vĩnh Yên").kind, gazetteer().named_unit("Trường Đại học Hùng Vương").kind
        ('UBND cấp huyện', 'Trường đại học')
        >>> gazetteer().named_unit("UBND tỉnh") is None, gazetteer().named_unit("UBND thành phố Cần Thơ") is None
        (True, True)
        """
        name = collapse_spaces(name).strip(" ,;:.")
        for start, end, unit in self.named_units_in(name):
            if start == 0 and end == len(name):
                return unit
        return None

    def named_unit_kind(self, name: str) -> str | None:
        """The kind of an agency printed with its own name ("UBND thành phố Vĩnh Yên" → UBND cấp huyện)."""
        unit = self.named_unit(name)
        return unit.kind if unit else None

    # --- collectives ----------------------------------------------------------------------------

    def _collective_words(self, field: str) -> list[tuple[tuple[list[str], list[str]], str]]:
        out = []
        for key, item in self._items.items():
            for words in item.get(field) or ():
                out.append(((_words(words, False), _words(words, True)), key))
        return sorted(out, key=lambda pair: len(pair[0][0]), reverse=True)

    @cached_property
    def _collective_heads(self) -> list[tuple[tuple[list[str], list[str]], str]]:
        return self._collective_words("heads")

    @cached_property
    def _collective_marks(self) -> list[tuple[tuple[list[str], list[str]], str]]:
        return self._collective_words("marks")

    def collective_key(self, phrase: str, collective: bool = False) -> str | None:
        """The collective a phrase of the genre stands for: its name or alias, else the collective whose
        head word it opens with ("các sở, ngành, địa phương", "Các Sở, ngành, đơn vị" → Các sở, ban, ngành)
        when it reads as plural: "các", "một số", a committee head, or — for a phrase the caller knows to be
        collective (``collective``) — a list of heads or "liên quan" ("cơ quan, đơn vị liên quan"), not one
        word ("đơn vị").

        >>> g = gazetteer()
        >>> g.collective_key("các cơ quan, đơn vị, địa phương"), g.collective_key("Các Sở, ngành, đơn vị")
        ('cac-co-quan-don-vi-lien-quan', 'cac-so-ban-nganh')
        >>> g.collective_key("các cơ quan báo chí"), g.collective_key("các tổ chức, cá nhân") is None
        ('cac-co-quan-bao-chi', True)
        >>> g.collective_key("đơn vị", collective=True) is None, g.collective_key("cơ quan, đơn vị", collective=True)
        (True, 'cac-co-quan-don-vi-lien-quan')
        >>> g.collective_key("các phương án") is None, g.collective_key("các xã, phường"), g.collective_key("cac phuong")
        (True, 'ubnd-cap-xa', 'ubnd-cap-xa')
        >>> g.collective_key("các cơ quan, đơn vị ngành dọc của Trung ương đóng trên địa bàn")
        'cac-co-quan-don-vi-nganh-doc-trung-uong-dong-tren-dia-ban'
        """
        folded = fold(phrase).strip(" ,;:.")
        key = self._exact.get(folded)
        if key is not None:
            return key if self._agencies[key].collective else None
        # with its diacritics a phrase is compared with them ("các phương án" is not "các phường")
        accented = folded != collapse_spaces(phrase.lower()).strip(" ,;:.")
        mode = 1 if accented else 0
        words = _words(phrase, accented)
        plural = False
        for head in sorted((_words(h, accented) for h in self._committee_heads), key=len, reverse=True):
            if words[: len(head)] == head and len(words) > len(head):
                words = words[len(head):]
                plural = True
                break
        for lead in (_words(w, accented) for w in ("tất cả các", "một số", "các")):
            if words[: len(lead)] == lead:
                words = words[len(lead):]
                plural = True
                break
        if collective and not plural:  # "cơ quan, đơn vị liên quan" is a collective; "đơn vị" alone is a word
            listed = sum(1 for i in range(len(words)) for heads, _ in self._collective_heads
                         if words[i:i + len(heads[mode])] == heads[mode])
            plural = listed >= 2 or " ".join(_words(" ".join(words), False)).find("lien quan") >= 0
        if not plural:
            return None
        for marks, key in self._collective_marks:
            if any(words[i:i + len(marks[mode])] == marks[mode] for i in range(len(words))):
                return key
        for heads, key in self._collective_heads:
            if words[: len(heads[mode])] == heads[mode]:
                return key
        return None

    # --- lookups --------------------------------------------------------------------------------

    def _match(self, key: str, method: str, province: Province | None = None, distance: int = 0) -> Match:
        a = self._agencies[key]
        return Match(key, a.name, a.kind, a.level, a.collective, method, province, distance)

    def _split_province(self, folded: str) -> tuple[str, str, Province] | None:
        """An agency name and the province after it: "cong an tinh nghe an" → ("cong an", "tinh", Nghệ An)."""
        for m in re.finditer(r"\s", folded):
            hit = self._province_re.fullmatch(folded, m.start())
            if hit:
                province = self.province(hit.group("name"))
                if province is not None:
                    return folded[:m.start()], hit.group("marker") or "", province
        return None

    def lookup(self, text: str, fuzzy: bool = False) -> Match | None:
        """What a whole name stands for: a gazetteer agency or collective (in any spelling, with the
        province after it), else an agency printed with its own name, else a collective by its head word,
        else an abbreviation written without its marks ("so khcn"); with ``fuzzy``, the nearest name
        within :func:`allowed_edits`. None when nothing fits.

        >>> g = gazetteer()
        >>> g.lookup("so khcn").key, g.lookup("Báo và Phát thanh, Truyền hình Cần Thơ").key
        ('so-khoa-hoc-va-cong-nghe', 'bao-va-phat-thanh-truyen-hinh-tinh')
        >>> g.lookup("Thuế tỉnh Nghệ An").name, g.lookup("Sở Văn thư") is None
        ('Thuế tỉnh', True)
        >>> g.lookup("S& Khoa hoc va Cong nghé", fuzzy=True).distance
        0
        """
        folded = fold(text).strip(" ,;:.")
        if not folded:
            return None
        key = self._exact.get(folded) or self._exact.get(_loose(folded))
        if key is not None:
            return self._match(key, "exact")
        split = self._split_province(folded)
        if split is not None:
            head, marker, province = split
            for candidate in (f"{head} {marker}".strip(), head, f"{head} {self._province_word}"):
                if (key := self._exact.get(candidate)) is not None and self._agencies[key].level == "province":
                    return self._match(key, "province", province)
        bare = re.sub(rf"\s+(?:{self._marker_re})$", "", folded)
        if bare != folded and (key := self._exact.get(bare)) is not None and self._agencies[key].level == "province":
            return self._match(key, "exact")
        unit = self.named_unit(text)
        if unit is not None:
            return Match(None, collapse_spaces(text).strip(" ,;:."), unit.kind, unit.level, False, "named_unit")
        if (key := self.collective_key(text)) is not None:
            return self._match(key, "collective")
        letters = _letters(folded)
        if len(letters) >= 4 and len(keys := self._by_letters.get(letters, set())) == 1:
            return self._match(next(iter(keys)), "abbreviation")
        if fuzzy and (hit := self.fuzzy(folded)):
            return self._match(hit[0].key, "fuzzy", distance=hit[1])
        return None

    def lookup_prefix(self, text: str) -> Match | None:
        """The longest gazetteer name ``text`` opens with ("UBND tỉnh Phú Thọ khóa XIX" → UBND tỉnh)."""
        words = fold(text).split()
        for n in range(len(words), 0, -1):
            if (key := self._exact.get(" ".join(words[:n]))) is not None:
                return self._match(key, "exact")
        return None

    # --- fuzzy (OCR) ----------------------------------------------------------------------------

    def _fuzzy_form(self, entry: GazetteerEntry) -> bool:
        """Whether edit distance may reach this name: a written one of 6 letters or more, not made of
        abbreviations alone ("CDC tỉnh", "VKSND tỉnh": one garbled letter makes another word of them)."""
        if not entry.written or len(entry.folded) < 6 or self._items[entry.key].get("fuzzy") is False:
            return False
        words = [w for w in entry.form.split() if fold(w) != self._province_word]
        return any(any(c.islower() for c in w) for w in words)

    @cached_property
    def _by_words(self) -> dict[tuple[int, str], list[tuple[str, GazetteerEntry]]]:
        out: dict[tuple[int, str], list[tuple[str, GazetteerEntry]]] = {}
        for entry in self.entries:
            if self._fuzzy_form(entry):
                out.setdefault((len(entry.folded.split()), entry.folded[0]), []).append((_ocr_key(entry.folded), entry))
        return out

    @cached_property
    def max_words(self) -> int:
        """The most words a name of the fuzzy index has."""
        return max((n for n, _ in self._by_words), default=0)

    def fuzzy(self, folded_mention: str) -> tuple[GazetteerEntry, int] | None:
        """The written name within :func:`allowed_edits` of a folded mention, and the distance.

        The first letter must agree, so "Bộ Y tế" is never taken for "Sở Y tế". Letters OCR
        confuses ("&" for "o", "p" for "đ") and spaces count as equal.
        """
        words = len(folded_mention.split())
        key = _ocr_key(folded_mention)
        best: tuple[GazetteerEntry, int] | None = None
        for n in (words, words + 1, words - 1):
            for entry_key, entry in self._by_words.get((n, folded_mention[:1]), []):
                limit = allowed_edits(entry.folded) - (0 if n == words else 1)
                if limit < 0 or abs(len(entry_key) - len(key)) > limit:
                    continue
                dist = Levenshtein.distance(key, entry_key, score_cutoff=limit)
                if dist <= limit and (best is None or dist < best[1]):
                    best = (entry, dist)
                    if dist == 0:
                        return best
        return best

    @cached_property
    def _loose_index(self) -> dict[str, list[tuple[int, list[str], list[tuple[int, GazetteerEntry]]]]]:
        """The fuzzy index by first letter, then by the edits :meth:`fuzzy_loose` allows (each name in the
        index's order, numbered, so that ties go to the same name whatever the grouping)."""
        out: dict[str, dict[int, tuple[list[str], list[tuple[int, GazetteerEntry]]]]] = {}
        order = 0
        for (_, first), entries in self._by_words.items():
            for entry_key, entry in entries:
                keys, numbered = out.setdefault(first, {}).setdefault(1 + len(entry.folded) // 9, ([], []))
                keys.append(entry_key)
                numbered.append((order, entry))
                order += 1
        return {first: [(limit, keys, numbered) for limit, (keys, numbered) in groups.items()]
                for first, groups in out.items()}

    def fuzzy_loose(self, folded_mention: str) -> tuple[GazetteerEntry, int] | None:
        """Like :meth:`fuzzy`, for a short text that should be one agency's name whatever its spacing:
        words are not counted, only letters (first letter must agree; 1 edit per 9 letters)."""
        key = _ocr_key(folded_mention)
        best: tuple[int, int, GazetteerEntry] | None = None
        for limit, keys, numbered in self._loose_index.get(folded_mention[:1], ()):
            found = extractOne(key, keys, scorer=Levenshtein.distance, score_cutoff=limit)
            if found is not None:
                order, entry = numbered[found[2]]
                if best is None or (found[1], order) < best[:2]:
                    best = (int(found[1]), order, entry)
        return (best[2], best[0]) if best else None


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer of the package's data, built once per process."""
    return Gazetteer(ontology.agencies(), ontology.provinces(), ontology.lexicon())


def gazetteer_entries() -> tuple[GazetteerEntry, ...]:
    """Every name form of the gazetteer (:attr:`Gazetteer.entries`)."""
    return gazetteer().entries


def fuzzy_lookup(folded_mention: str) -> tuple[GazetteerEntry, int] | None:
    """:meth:`Gazetteer.fuzzy` of the shared gazetteer.

    >>> entry, dist = fuzzy_lookup("s& khoa hoc va cong nghe")
    >>> entry.name, dist
    ('Sở Khoa học và Công nghệ', 0)
    >>> fuzzy_lookup("s& gido duc va pao tao")[0].name
    'Sở Giáo dục và Đào tạo'
    >>> fuzzy_lookup("soy te")[0].name, fuzzy_lookup("so ngoai vu")[0].name, fuzzy_lookup("so noi vu")[0].name
    ('Sở Y tế', 'Sở Ngoại vụ', 'Sở Nội vụ')
    """
    return gazetteer().fuzzy(folded_mention)


def fuzzy_lookup_loose(folded_mention: str) -> tuple[GazetteerEntry, int] | None:
    """:meth:`Gazetteer.fuzzy_loose` of the shared gazetteer.

    >>> fuzzy_lookup_loose("s& gidoduc vabao tao")[0].name
    'Sở Giáo dục và Đào tạo'
    >>> fuzzy_lookup_loose("van phong ubnd tinh")[0].name
    'Văn phòng UBND tỉnh'
    >>> fuzzy_lookup_loose("so noi vu")[0].name
    'Sở Nội vụ'
    """
    return gazetteer().fuzzy_loose(folded_mention)
