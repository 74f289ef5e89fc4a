"""Faster equivalents of two rule components of the spaCy pipeline, same output token for token.

Of the en_core_web_sm pipeline's time on news text, the attribute ruler (179 token patterns
mapping tags to parts of speech, morphology and some lemmas) takes about 15% and the rule
lemmatizer about 8%: both are Python loops over every token, the ruler running spaCy's general
`Matcher` for patterns that test one or two tokens' tag, lower-case form, dependency label or
whitespace. `speed_up` swaps in subclasses that compute the same thing from per-token keys:

* the attribute ruler evaluates its patterns once per distinct (tag, lower, dep, is_space)
  key and remembers the result; the attributes a token gets are those of every pattern that
  matches it, applied in pattern order as spaCy applies them (later patterns win), and a
  two-token pattern is tried only where its first token matches;
* the lemmatizer remembers each (form, part of speech, morphology) key's lemma, which is
  all spaCy's English rule lemmatizer reads, and asks spaCy's own `lemmatize` for a key it has
  not seen.

Both fall back to spaCy's own code for anything they do not cover (a pattern testing another
attribute or using another operator, a lookup-mode or overwriting lemmatizer). The model's
weights, its other components and their order are untouched. That the output is the same is
tested against a stock pipeline on real articles (tests/test_fastpipe.py) and checked on the
924 PolNeAR articles by ``python bench/bench_parse.py`` (docs/benchmarks.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.pipeline import AttributeRuler
from spacy.tokens._retokenize import set_token_attrs

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.strings import StringStore
    from spacy.tokens import Doc

Key = tuple[int, int, int, int]  # a token's (TAG, LOWER, DEP, IS_SPACE), as Doc.to_array gives
_COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
Test = Callable[[Key], bool]


class Unsupported(ValueError):
    """A pattern this module does not evaluate itself (spaCy's Matcher does it then)."""


def _value_test(col: int, value: Any, strings: StringStore) -> Test:
    if col == _COLUMNS["IS_SPACE"]:
        if not isinstance(value, bool):
            raise Unsupported(f"IS_SPACE {value!r}")
        return lambda key: bool(key[col]) == value
    if isinstance(value, str):
        return lambda key: strings[key[col]] == value
    if not isinstance(value, dict) or len(value) != 1:
        raise Unsupported(repr(value))
    ((op, arg),) = value.items()
    if op == "IN":
        members = frozenset(arg)
        return lambda key: strings[key[col]] in members
    if op == "NOT_IN":
        excluded = frozenset(arg)
        return lambda key: strings[key[col]] not in excluded
    if op == "REGEX":
        rx = re.compile(arg)
        return lambda key: rx.search(strings[key[col]]) is not None
    raise Unsupported(op)


def _spec_test(spec: dict[str, Any], strings: StringStore) -> Test:
    if not spec or any(k not in _COLUMNS for k in spec):
        raise Unsupported(repr(spec))
    tests = [_value_test(_COLUMNS[k], v, strings) for k, v in spec.items()]
    return lambda key: all(t(key) for t in tests)


class _Rules:
    """An attribute ruler's patterns, compiled for per-key evaluation."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.strings = ruler.vocab.strings
        self.attrs = list(ruler.attrs)
        self.tests: list[Test] = []
        self.single: list[tuple[int, int]] = []  # (pattern id, test id)
        self.multi: list[tuple[int, list[int], int]] = []  # (pattern id, test ids, index)
        # where to look for the tests a key may pass: by its tag, by its lower form, or always
        self.by_tag: dict[str, list[int]] = {}
        self.by_lower: dict[str, list[int]] = {}
        self.always: list[int] = []
        entries: list[dict[str, Any]] = list(ruler.patterns)  # spaCy's stubs type it loosely
        for attr_id, entry in enumerate(entries):
            for pattern in entry["patterns"]:
                ids = [self._add(spec) for spec in pattern]
                if len(ids) == 1:
                    self.single.append((attr_id, ids[0]))
                else:
                    self.multi.append((attr_id, ids, int(entry["index"])))
        self._keys: dict[Key, tuple[frozenset[int], dict[Any, Any], tuple[int, ...]]] = {}

    def _add(self, spec: dict[str, Any]) -> int:
        k = len(self.tests)
        self.tests.append(_spec_test(spec, self.strings))
        tag, lower = spec.get("TAG"), spec.get("LOWER")
        if isinstance(tag, str):
            self.by_tag.setdefault(tag, []).append(k)
        elif isinstance(lower, str):
            self.by_lower.setdefault(lower, []).append(k)
        elif isinstance(lower, dict) and set(lower) == {"IN"}:
            for x in lower["IN"]:
                self.by_lower.setdefault(x, []).append(k)
        elif isinstance(tag, dict) and set(tag) == {"IN"}:
            for x in tag["IN"]:
                self.by_tag.setdefault(x, []).append(k)
        else:
            self.always.append(k)
        return k

    def key(self, key: Key) -> tuple[frozenset[int], dict[Any, Any], tuple[int, ...]]:
        """The tests ``key`` passes, the attributes its one-token patterns give it, and the
        two-token patterns it may start."""
        found = self._keys.get(key)
        if found is None:
            candidates = set(self.always)
            candidates.update(self.by_tag.get(self.strings[key[0]], ()))
            candidates.update(self.by_lower.get(self.strings[key[1]], ()))
            passed = frozenset(k for k in candidates if self.tests[k](key))
            merged: dict[Any, Any] = {}
            for attr_id, test in self.single:
                if test in passed:
                    merged.update(self.attrs[attr_id])
            starts = tuple(m for m, (_, ids, _) in enumerate(self.multi) if ids[0] in passed)
            found = self._keys[key] = (passed, merged, starts)
        return found

    def apply(self, doc: Doc) -> None:
        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
        infos = [self.key(tuple(r)) for r in rows]  # type: ignore[arg-type]
        extra: dict[int, list[tuple[int, int]]] = {}  # token -> (pattern id, match start)
        n = len(infos)
        for i, (_, _, starts) in enumerate(infos):
            for m in starts:
                attr_id, ids, index = self.multi[m]
                width = len(ids)
                if i + width <= n and all(ids[j] in infos[i + j][0] for j in range(1, width)):
                    extra.setdefault(i + (index if index >= 0 else width + index), []).append(
                        (attr_id, i)
                    )
        for i, (_, merged, _) in enumerate(infos):
            more = extra.get(i)
            if more:  # spaCy applies matches in (pattern id, start) order: the later wins
                merged = {}
                singles = [(a, i) for a, t in self.single if t in infos[i][0]]
                for attr_id, _ in sorted(singles + more):
                    merged.update(self.attrs[attr_id])
            if merged:
                set_token_attrs(doc[i], merged)


class FastAttributeRuler(AttributeRuler):
    """`AttributeRuler` with per-key evaluation (see the module docstring)."""

    _cg_rules: _Rules | None
    _cg_size: int

    def __call__(self, doc: Doc) -> Doc:
        rules = self._compiled()
        if rules is None:
            return super().__call__(doc)
        error_handler = self.get_error_handler()
        try:
            rules.apply(doc)
            return doc
        except Exception as e:  # as spaCy's own component reports a failure
            return error_handler(self.name, self, [doc], e)  # type: ignore[no-any-return]

    def _compiled(self) -> _Rules | None:
        if getattr(self, "_cg_size", -1) != len(self.attrs):  # patterns added since
            try:
                self._cg_rules = _Rules(self)
            except Unsupported:
                self._cg_rules = None
            self._cg_size = len(self.attrs)
        return self._cg_rules


class FastEnglishLemmatizer(EnglishLemmatizer):
    """spaCy's English rule lemmatizer with its lemmas remembered by (form, part of speech,
    morphology), all that its rules read."""

    _cg_lemmas: dict[tuple[int, int, int], int]

    def __call__(self, doc: Doc) -> Doc:
        if self.mode != "rule" or self.overwrite:
            return super().__call__(doc)  # type: ignore[no-any-return]
        if not self._validated:
            self._validate_tables()
        error_handler = self.get_error_handler()
        try:
            lemmas = self.__dict__.setdefault("_cg_lemmas", {})
            strings = self.vocab.strings
            rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
            todo = False
            for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
                if lemma:  # set by the attribute ruler: kept, as spaCy keeps it
                    continue
                key = (orth, pos, morph)
                found = lemmas.get(key)
                if found is None:
                    found = lemmas[key] = strings.add(self.lemmatize(doc[i])[0])
                rows[i, 3] = found
                todo = True
            if todo:
                doc.from_array([LEMMA], rows[:, 3:4])  # type: ignore[arg-type]
            return doc
        except Exception as e:  # as spaCy's own component reports a failure
            error_handler(self.name, self, [doc], e)
            return doc


def speed_up(nlp: Language) -> Language:
    """Swap ``nlp``'s attribute ruler and English rule lemmatizer for the faster equivalents
    above, in place (components of other classes are left alone)."""
    for _, proc in nlp.pipeline:
        if type(proc) is AttributeRuler:
            proc.__class__ = FastAttributeRuler
        elif type(proc) is EnglishLemmatizer:
            proc.__class__ = FastEnglishLemmatizer
    return nlp
