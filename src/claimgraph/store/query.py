"""The search query language, read the way Media Cloud (and Lucene) users write it, and
compiled for both backends: an FTS5 MATCH expression (SQLite) and a tsquery built from SQL
functions with bound parameters (PostgreSQL), so the same query finds the same articles.

    uyghur camps            both words (AND is the default; AND may be written)
    Hussain OR Anayat       either word
    xinjiang NOT genocide   xinjiang without genocide (also: xinjiang -genocide)
    "training centers"      the words next to each other, in this order
    genoc*                  any word starting with genoc
    (camps OR centers) AND xinjiang
    outlet:"Press TV" speaker:Wang   filters on the outlet's and the speaker's name

Operators are upper case (a lower-case "or" is a word, as in Media Cloud). Each word also
finds its spelling variants (Uyghur, Uighur, Uygur) and its plural or singular ("center",
"centers"); in a phrase the last word gets the plural folding. Field filters combine with
the rest by AND and hold one name or an OR of names: ``outlet:(Xinhua OR "Press TV")``.

A small recursive-descent parser over a regular tokenizer, not a grammar library: neither
lark nor pyparsing is a dependency, and the grammar is five rules. A mistake raises
`QueryError` with a message that says what is wrong and how to write it instead. Nothing in a
query reaches SQL but bound parameters and FTS5 string literals."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import product

from ..errors import UsageError

FIELDS = ("outlet", "speaker")
QUERY_HELP = (
    'Words (all required), OR, NOT, "phrases", prefix*, outlet:NAME, speaker:NAME;'
    " spelling variants (Uyghur, Uighur) and plurals are found too."
)
MAX_VARIANT_PHRASES = 16  # phrases one quoted phrase may expand to
MIN_PREFIX = 2

# Spelling variants seen in English news copy for the same name or word: each group folds.
# The British/American pairs are those the lexicon's term matching folds (extract/terms.py),
# so a search finds what a term count counts; -ise/-isation words fold by rule.
SPELLINGS: tuple[tuple[str, ...], ...] = (
    ("uyghur", "uighur", "uygur", "uigur"),
    ("xinjiang", "sinkiang"),
    ("urumqi", "urumchi"),
    *(
        tuple(pair.split("/"))
        for pair in (
            "centre/center theatre/theater metre/meter fibre/fiber labour/labor honour/honor "
            "favour/favor behaviour/behavior rumour/rumor colour/color programme/program "
            "defence/defense offence/offense labelled/labeled labelling/labeling "
            "travelled/traveled"
        ).split()
    ),
)
_SPELLING = {w: group for group in SPELLINGS for w in group}
# nouns whose final s is not a plural: no singular is made of them
_INVARIANT = {"news", "series", "species", "means", "politics", "economics", "physics",
              "arms", "thanks", "headquarters", "whereabouts", "crossroads", "always",
              "perhaps", "besides", "sometimes", "towards", "afterwards", "across", "unless",
              "various", "serious", "previous", "famous", "religious", "numerous",
              "chaos", "bias", "gas", "atlas", "lens", "analysis", "basis", "crisis", "thesis",
              "status", "campus", "census", "virus", "focus", "consensus"}  # fmt: skip
_WORD = re.compile(r"[^\W_]+")


class QueryError(UsageError, ValueError):
    """A search query that cannot be read; the message says what is wrong."""


# -- the parsed query -------------------------------------------------------------------
@dataclass(frozen=True)
class Term:
    """A word (one token), a phrase (several tokens in order) or a prefix (``genoc*``)."""

    tokens: tuple[str, ...]
    prefix: bool = False
    phrase: bool = False  # written in quotes

    def variants(self) -> list[tuple[str, ...]]:
        """The token sequences this term matches: spelling variants of every token and the
        plural/singular of the last (none for a prefix)."""
        if self.prefix:
            return [self.tokens]
        options = [list(_spellings(t)) for t in self.tokens]
        last = {n for s in options[-1] for n in _numbers(s)}
        options[-1] = sorted(last | {v for n in last for v in _spellings(n)})
        out = [tuple(c) for c in product(*options)]
        if self.tokens in out:  # what was written first, then the rest
            out.remove(self.tokens)
        return [self.tokens, *out[: MAX_VARIANT_PHRASES - 1]]


@dataclass(frozen=True)
class Group:
    """``op`` is "and" (every positive part, none of the negated) or "or" (any part)."""

    op: str
    parts: tuple[Node, ...]
    negated: tuple[Node, ...] = ()


Node = Term | Group


@dataclass(frozen=True)
class Parsed:
    """A query: its text expression (None when it has no word to search for) and its field
    filters (each a tuple of names, any of which may match)."""

    expr: Node | None
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def describe(self) -> str:
        """What is searched, variants spelled out: for a 'no results' message."""
        parts = [_describe(self.expr)] if self.expr is not None else []
        for name, values in self.filters.items():
            names = " OR ".join(_quote(v) for v in values)
            parts.append(f"{name}:" + (f"({names})" if len(values) > 1 else names))
        return " AND ".join(parts)

    def looser(self) -> str | None:
        """A query that finds more, to suggest when this one finds nothing (None: none)."""
        if self.filters and self.expr is not None:
            return _text(self.expr)  # without the filters
        e = self.expr
        if isinstance(e, Group) and e.op == "and" and len(e.parts) > 1 and not e.negated:
            return " OR ".join(_text(p, top=False) for p in e.parts)
        if isinstance(e, Group) and e.negated:
            return _text(Group(e.op, e.parts))
        if isinstance(e, Term) and len(e.tokens) > 1:
            return " ".join(e.tokens)
        if isinstance(e, Term) and not e.prefix and len(e.tokens[0]) >= 5:
            return e.tokens[0][: max(MIN_PREFIX + 2, len(e.tokens[0]) - 3)] + "*"
        return None


def _spellings(token: str) -> tuple[str, ...]:
    if token in _SPELLING:
        return _SPELLING[token]
    if token.endswith("s") and token[:-1] in _SPELLING:  # centres/centers, uighurs/uyghurs
        return tuple(v + "s" for v in _SPELLING[token[:-1]])
    m = re.fullmatch(r"(\w{3,})i([sz])(e|es|ed|ing|ation|ations)", token)
    if m:  # organise/organize, organisation/organization
        other = "z" if m[2] == "s" else "s"
        return (token, f"{m[1]}i{other}{m[3]}")
    return (token,)


def _numbers(token: str) -> set[str]:
    """A word and its plural or singular by the regular English rules (never for short words
    or digits): center/centers, policy/policies, box/boxes, camps/camp; a word whose final
    s is not a plural (news, crisis, status) stays as it is."""
    out = {token}
    if len(token) < 3 or not token.isalpha() or (len(token) > 4 and token.endswith("ed")):
        return out  # short words, numbers and past tenses have no plural
    if token.endswith("ies") and len(token) > 4:
        out.add(token[:-3] + "y")
    elif token.endswith(("sses", "xes", "zes", "ches", "shes")):
        out.add(token[:-2])
    elif token.endswith("ss"):
        out.add(token + "es")
    elif token.endswith("s"):
        if len(token) >= 4 and not token.endswith(("us", "is")) and token not in _INVARIANT:
            out.add(token[:-1])
    elif token.endswith("y") and token[-2] not in "aeiou":
        out.add(token[:-1] + "ies")
    elif token.endswith(("x", "z", "ch", "sh")):
        out.add(token + "es")
    else:
        out.add(token + "s")
    return out


def _quote(value: str) -> str:
    return f'"{value}"' if re.search(r"[\s()\"]", value) or value.upper() in _OPS else value


def _describe(node: Node) -> str:
    if isinstance(node, Term):
        forms = [_term_text(Term(v, node.prefix, node.phrase)) for v in node.variants()]
        return forms[0] if len(forms) == 1 else "(" + " OR ".join(forms) + ")"
    parts = [_describe(p) for p in node.parts]
    text = f" {node.op.upper()} ".join(parts)
    for n in node.negated:
        text += f" NOT {_describe(n)}"
    return f"({text})" if len(parts) + len(node.negated) > 1 else text


def _term_text(t: Term) -> str:
    if t.prefix:
        return t.tokens[0] + "*"
    return f'"{" ".join(t.tokens)}"' if t.phrase or len(t.tokens) > 1 else t.tokens[0]


def _text(node: Node, top: bool = True) -> str:
    """The node written back as a query (no variants)."""
    if isinstance(node, Term):
        return _term_text(node)
    text = f" {node.op.upper()} ".join(_text(p, top=False) for p in node.parts)
    for n in node.negated:
        text += f" NOT {_text(n, top=False)}"
    return text if top or len(node.parts) + len(node.negated) == 1 else f"({text})"


# -- reading ----------------------------------------------------------------------------
_OPS = {"AND", "OR", "NOT"}
_TOKEN = re.compile(
    r'\s*(?:(?P<field>(?i:outlet|speaker)(?=:)|[A-Za-z_]\w*(?=:\S)):|(?P<open>\()|(?P<close>\))|"(?P<phrase>[^"]*)(?P<end>"?)'
    r"|(?P<word>[^\s()\"]+))"
)


def _lex(q: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    q = q.replace("\x00", " ")
    while pos < len(q):
        if not q[pos:].strip():
            break
        m = _TOKEN.match(q, pos)
        if m is None:  # pragma: no cover - the word alternative matches any other character
            raise QueryError(f"cannot read the query at {q[pos:][:20]!r}")
        pos = m.end()
        if m["field"] is not None:
            name = m["field"].lower()
            if name not in FIELDS:
                raise QueryError(
                    f"unknown field {m['field']!r}: filter with "
                    + " or ".join(f"{f}:NAME" for f in FIELDS)
                    + f', or put the word in quotes ("{m["field"]}:...") to search for it'
                )
            out.append(("field", name))
        elif m["open"]:
            out.append(("(", "("))
        elif m["close"]:
            out.append((")", ")"))
        elif m["phrase"] is not None:
            if not m["end"]:
                raise QueryError(
                    'a quote is not closed: close the phrase with " (or leave the quote out)'
                )
            out.append(("phrase", m["phrase"]))
        else:
            word = m["word"]
            if word in _OPS:
                out.append((word, word))
            elif word.startswith("-") and len(word) > 1:
                out.append(("NOT", "-"))
                out.append(("word", word[1:]))
            else:
                out.append(("word", word))
    return out


class _Parser:
    """or := and (OR and)* ; and := unary ((AND)? unary)* ; unary := NOT unary | atom ;
    atom := ( or ) | field:value | "phrase" | word."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.i = 0
        self.filters: dict[str, tuple[str, ...]] = {}

    def peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self) -> Parsed:
        expr = self.or_() if self.tokens else None
        if self.peek() == ")":
            raise QueryError("a ')' has no '(' before it: remove it or add the '('")
        return Parsed(_simplify(expr) if expr is not None else None, self.filters)

    def or_(self, depth: int = 0) -> Node | None:
        n_filters = len(self.filters)
        parts = [self.and_(depth)]
        while self.peek() == "OR":
            self.take()
            if self.peek() in (None, ")", "OR", "AND"):
                raise QueryError("OR needs a word on both sides, as in 'Hussain OR Anayat'")
            parts.append(self.and_(depth))
        if len(parts) > 1 and len(self.filters) > n_filters:
            raise QueryError("field filters cannot be OR-ed with words: filter, then search")
        kept = [p for p in parts if p is not None]
        return kept[0] if len(kept) == 1 else (Group("or", tuple(kept)) if kept else None)

    def and_(self, depth: int) -> Node | None:
        pos: list[Node] = []
        neg: list[Node] = []
        seen = False
        while self.peek() not in (None, ")", "OR"):
            if self.peek() == "AND":
                self.take()
                if not seen or self.peek() in (None, ")", "OR", "AND"):
                    raise QueryError("AND needs a word on both sides, as in 'camps AND xinjiang'")
                continue
            negate = False
            while self.peek() == "NOT":
                self.take()
                negate = not negate
            if self.peek() in (None, ")", "OR", "AND"):
                raise QueryError("NOT needs a word after it, as in 'xinjiang NOT genocide'")
            node = self.unary(depth)
            seen = True
            if node is None:
                continue
            (neg if negate else pos).append(node)
        if not seen and self.peek() in (None, ")", "OR") and self.i < len(self.tokens):
            if self.peek() == "OR":
                raise QueryError("OR needs a word on both sides, as in 'Hussain OR Anayat'")
        if neg and not pos:
            raise QueryError(
                "a query cannot only exclude: add a word to search for, as in"
                " 'xinjiang NOT genocide'"
            )
        if not pos:
            return None
        if len(pos) == 1 and not neg:
            return pos[0]
        return Group("and", tuple(pos), tuple(neg))

    def unary(self, depth: int) -> Node | None:
        kind, value = self.take()
        if kind == "(":
            inner = self.or_(depth + 1)
            if self.peek() != ")":
                raise QueryError("a '(' is not closed: add the ')'")
            self.take()
            return inner
        if kind == "field":
            if depth:
                raise QueryError(f"{value}: filters go outside parentheses: {value}:NAME words")
            self.field(value)
            return None
        if kind == "phrase":
            return _term(value, phrase=True)
        return _term(value)

    def field(self, name: str) -> None:
        if name in self.filters:
            raise QueryError(
                f"{name}: is given twice: write {name}:(A OR B) for either of two names"
            )
        kind, value = self.take() if self.peek() is not None else ("", "")
        if kind in ("word", "phrase"):
            values = [value]
        elif kind == "(":
            values = []
            while True:
                k, v = self.take() if self.peek() is not None else ("", "")
                if k not in ("word", "phrase"):
                    raise QueryError(f"{name}:( ) holds names joined by OR: {name}:(A OR B)")
                values.append(v)
                k, _ = self.take() if self.peek() is not None else ("", "")
                if k == ")":
                    break
                if k != "OR":
                    raise QueryError(f"{name}:( ) holds names joined by OR: {name}:(A OR B)")
        else:
            raise QueryError(f'{name}: needs a name after it: {name}:Xinhua or {name}:"Press TV"')
        names = tuple(dict.fromkeys(v.strip() for v in values if v.strip()))
        if not names:
            raise QueryError(f'{name}: needs a name after it: {name}:Xinhua or {name}:"Press TV"')
        self.filters[name] = names


def _term(text: str, *, phrase: bool = False) -> Term | None:
    """A word or phrase as tokens (FTS5's and PostgreSQL's: runs of letters and digits);
    None when it has none (punctuation only)."""
    prefix = not phrase and text.endswith("*")
    body = text.rstrip("*") if prefix else text
    if not phrase and "*" in body:
        raise QueryError(f"{text!r}: * goes at the end of a word only, as in genoc*")
    tokens = tuple(t.lower() for t in _WORD.findall(body))
    if not tokens:
        if prefix and body:
            raise QueryError(f"{text!r}: a prefix is letters or digits before *, as in genoc*")
        return None
    if prefix:
        if len(tokens) > 1 or _WORD.fullmatch(body) is None:
            raise QueryError(f"{text!r}: a prefix is letters or digits before *, as in genoc*")
        if len(tokens[0]) < MIN_PREFIX:
            raise QueryError(f"{text!r}: a prefix needs at least {MIN_PREFIX} letters before *")
    return Term(tokens, prefix=prefix, phrase=phrase or len(tokens) > 1)


def _simplify(node: Node) -> Node:
    """Nested groups of the same operator merged: a AND (b AND c) is a AND b AND c."""
    if isinstance(node, Term):
        return node
    parts: list[Node] = []
    negated = [_simplify(n) for n in node.negated]
    for p in (_simplify(p) for p in node.parts):
        if isinstance(p, Group) and p.op == node.op and (node.op == "or" or not p.negated):
            parts.extend(p.parts)
        elif isinstance(p, Group) and p.op == "and" and node.op == "and":
            parts.extend(p.parts)
            negated.extend(p.negated)
        else:
            parts.append(p)
    return Group(node.op, tuple(parts), tuple(negated))


def parse_query(q: str) -> Parsed:
    """Read a search query; raises QueryError saying what is wrong."""
    return _Parser(_lex(q)).parse()


# -- compiling --------------------------------------------------------------------------
def _fts5_literal(tokens: tuple[str, ...]) -> str:
    return '"' + " ".join(tokens).replace('"', '""') + '"'


def to_fts5(node: Node) -> str:
    """An FTS5 MATCH expression: string literals, prefix tokens, AND/OR/NOT, parentheses."""
    if isinstance(node, Term):
        if node.prefix:
            return _fts5_literal(node.tokens) + " *"
        forms = [_fts5_literal(v) for v in node.variants()]
        return forms[0] if len(forms) == 1 else "(" + " OR ".join(forms) + ")"
    text = "(" + f" {node.op.upper()} ".join(to_fts5(p) for p in node.parts) + ")"
    if node.negated:
        text = f"({text} NOT (" + " OR ".join(to_fts5(n) for n in node.negated) + "))"
    return text


def to_tsquery_sql(node: Node, config: str = "simple") -> tuple[str, list[str]]:
    """A PostgreSQL expression of type tsquery with ``?`` placeholders and its parameters:
    phraseto_tsquery for words and phrases (the tokens joined by spaces, so hyphenated words
    match as FTS5 matches them), to_tsquery('tok:*') for prefixes (tokens are letters and
    digits only), combined with the tsquery operators ||, && and !!."""
    params: list[str] = []

    def go(n: Node) -> str:
        if isinstance(n, Term):
            if n.prefix:
                params.append(n.tokens[0] + ":*")
                return f"to_tsquery('{config}', ?)"
            forms = []
            for v in n.variants():
                params.append(" ".join(v))
                forms.append(f"phraseto_tsquery('{config}', ?)")
            return forms[0] if len(forms) == 1 else "(" + " || ".join(forms) + ")"
        joiner = " && " if n.op == "and" else " || "
        text = "(" + joiner.join(go(p) for p in n.parts) + ")"
        for neg in n.negated:
            text = f"({text} && !!{go(neg)})"
        return text

    return go(node), params
