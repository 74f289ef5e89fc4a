"""Parse-based polarity rules: does a sentence assert, deny or merely report a proposition?

No NLI model is available offline, so denial is read off the dependency parse. The rules find
*operators* and the tokens each one covers (its scope):

- **negation** (``neg``): "not", "n't", "never", determiner "no", "nothing", "nobody", a
  leading "No,"; its scope is the clause of the negated predicate (subject, objects,
  prepositional phrases), not clauses embedded under another verb, except under truth and
  belief predicates ("it is *not true* that …", "there is *no evidence* that …");
- **denial** (``deny``): denial verbs (deny, reject, refute, dismiss, rebut, debunk, …) over
  their object or content clause ("X denied that Y": Y is denied, X is not), attacking verbs
  over an allegation ("denounced the allegations"), nominal denials ("the denial of …");
- **falsity labels** (``deny``): lies, rumors (with another label), disinformation,
  fabrication, hoax, smear, "so-called", "groundless", "nothing more than", … over what they
  label: the noun they modify, the subject they are predicated of ("the genocide charge is a
  lie"), the object of "denounce … as a setup".

Operators nest: one sits inside another's scope ("it is *not* true that the report is
*false*"; "China can*not* *deny* that …"). The flips over a proposition word are counted along
the deepest chain of nested operators that cover it: each negation flips; a denial flips
unless it sits directly inside another denial ("*rejected* the *false* claims",
"*denounced* the allegations as a *setup*": one denial, not two). A negation nests a denial
only when it negates that denial itself ("not groundless", "cannot deny", "not true that … is
false"), not when the label merely sits in the negated clause ("the hoax isn't real" is one
denial). An odd count denies the word, an even non-zero count is a double negation. A leading
"No," counts only when nothing else does ("No, X didn't …" is one negation). The proposition
is the claim's content words found in the text, or, with no claim, the text's own.

Headline conventions: a label before a colon ("Rumor debunked: …", "Hoax: …") covers only its
own part; questions deny nothing; "won't say", "no idea", "not only", imperative "don't" and
"confirm or deny" are not negations of the proposition.

Hedges and distancing ("reportedly", "may", "claimed", "allegedly", a question mark) do not
flip anything: they mark the text as reporting rather than asserting.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from ..extract.doctext import doc_text, memo

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

NEG = "neg"
DENY = "deny"
EMPH = "emph"  # a leading "No,": counts only when nothing else negates

DENIAL_VERBS = frozenset(
    "deny reject refute dismiss rebut debunk disprove repudiate dispute contradict retract "
    "discredit disavow quash scotch negate belie unravel dispel bust".split()
)
# Attacking verbs deny only what they attack as an allegation ("denounced the allegations").
ATTACK_VERBS = frozenset(
    "denounce slam blast condemn ridicule mock lambast decry criticize criticise rubbish "
    "deride scorn slam counter challenge".split()
)
DENIAL_NOUNS = frozenset("denial rejection refutation rebuttal dismissal debunking".split())
ALLEGATION_NOUNS = frozenset(
    "allegation accusation claim charge report rumor rumour story narrative assertion "
    "remark determination assessment speculation suggestion theory smear".split()
)
FALSITY_NOUNS = frozenset(
    "lie disinformation misinformation fabrication hoax smear myth fake fakery fiction "
    "falsehood slander libel nonsense setup set-up farce canard fraud sham untruth "
    "misrepresentation distortion slur".split()
)
WEAK_FALSITY_NOUNS = frozenset("rumor rumour propaganda gossip".split())
FALSITY_ADJS = frozenset(
    "false untrue baseless groundless unfounded fabricated fake bogus fictitious absurd "
    "preposterous spurious erroneous misleading debunked discredited trumped-up made-up "
    "concocted unsubstantiated ridiculous".split()
)
# Predicates that say an allegation has failed ("the lies have collapsed").
COLLAPSE_VERBS = frozenset("collapse crumble fall fail expose".split())
TRUTH_PREDICATES = frozenset(
    "true correct accurate right case fact so real evidence proof sign indication "
    "think believe say mean claim suggest show prove know indicate".split()
)
# Light verbs whose infinitive complement stays in a negation's scope ("is not going to").
LIGHT_VERBS = frozenset("go seem appear need have use manage able likely be begin".split())
HEDGE_WORDS = frozenset(
    "reportedly allegedly purportedly apparently possibly perhaps supposedly seemingly "
    "probably likely maybe rumored rumoured unconfirmed unverified".split()
)
MODALS = frozenset("may might could".split())
DISTANCING_VERBS = frozenset("claim allege purport contend rumor rumour speculate".split())
SPEECH_VERBS = frozenset(
    "say tell report state add note announce write tweet insist stress explain "
    "declare confirm reveal admit acknowledge".split()
)
NEG_WORDS = frozenset("not n't never no nothing nobody none neither nor nowhere cannot".split())
LABEL_FILLERS = frozenset("news story report rumor rumour claim debunk update alert".split())
SUBORDINATORS = frozenset("so because if unless although though while as since".split())
NOT_ONLY = frozenset("only just merely simply".split())
NO_IDIOMS = frozenset(
    "idea doubt wonder question surprise mistake limit secret stranger matter longer".split()
)
# Negated, these verbs withhold comment rather than deny ("won't say", "did not confirm").
NONCOMMITTAL = frozenset("say comment confirm disclose reveal specify elaborate".split())
CLAUSAL = frozenset("ccomp xcomp advcl relcl acl csubj parataxis conj mark".split())
CONTENT_POS = frozenset("NOUN PROPN VERB ADJ NUM ADV".split())
LIGHT_LEMMAS = frozenset("be have do say get make will would can also just".split())
_OPERATOR_WORDS = FALSITY_NOUNS | FALSITY_ADJS | DENIAL_VERBS | NEG_WORDS
# Every branch of `_deny_operator` needs the token's lemma or lower form in one of these, every
# branch of `_neg_operators` its lower form in the second set or a "neg" dependency: the rest
# of a doc's tokens are skipped without building a token.
_DENY_TRIGGERS = (
    DENIAL_VERBS
    | ATTACK_VERBS
    | DENIAL_NOUNS
    | FALSITY_NOUNS
    | FALSITY_ADJS
    | WEAK_FALSITY_NOUNS
    | COLLAPSE_VERBS
    | {"so-called", "called", "nothing"}
)
_NEG_TRIGGERS = frozenset({"no", "nope", "never", "n't", "nothing", "nobody", "none", "neither"})


@dataclass(frozen=True)
class Operator:
    kind: str  # NEG, DENY or EMPH
    i: int  # token index of the operator word
    scope: frozenset[int]
    reason: str
    negates: frozenset[int] = frozenset()  # NEG only: the denial operators it negates itself


@dataclass
class Polarity:
    """The rules' reading of one text (optionally toward one claim)."""

    flips: int = 0  # flips over the most-covered proposition word
    operators: list[Operator] = field(default_factory=list)
    matched: int = 0  # claim content words found in the text
    claim_words: int = 0
    hedges: list[str] = field(default_factory=list)
    distancing: list[str] = field(default_factory=list)
    speech: list[str] = field(default_factory=list)
    question: bool = False
    reasons: list[str] = field(default_factory=list)

    @property
    def denied(self) -> bool:
        return self.flips % 2 == 1

    @property
    def double_negation(self) -> bool:
        return self.flips > 0 and self.flips % 2 == 0

    @property
    def deny_any(self) -> bool:
        """A denial operator anywhere, on the proposition or not ("US lies and rumors")."""
        return any(op.kind == DENY for op in self.operators)

    @property
    def neg_any(self) -> bool:
        return any(op.kind in (NEG, EMPH) for op in self.operators)


def _lemma(t: Token) -> str:
    return t.lemma_.lower()


def _subtree(t: Token, skip: Iterable[int] = ()) -> set[int]:
    out = {w.i for w in t.subtree}
    for s in skip:
        out.discard(s)
    return out


def _is_truth(h: Token) -> bool:
    return _lemma(h) in TRUTH_PREDICATES or any(
        c.dep_ in ("acomp", "attr") and _lemma(c) in TRUTH_PREDICATES for c in h.children
    )


def _clause(h: Token) -> set[int]:
    """The predicate ``h``, its arguments and modifiers, without embedded clauses."""
    truth = _is_truth(h)
    out = {h.i}
    for c in h.children:
        if c.dep_ in CLAUSAL:
            if c.dep_ == "ccomp" and truth:
                out |= _subtree(c)
            elif c.dep_ == "xcomp" and _lemma(h) in LIGHT_VERBS:
                out |= _clause(c)
            continue
        out |= _subtree(c)
    return out


def _verb_ancestor(t: Token) -> Token | None:
    for a in t.ancestors:
        if a.pos_ in ("VERB", "AUX"):
            return a
    return None


def _args(v: Token, deps: Iterable[str]) -> set[int]:
    deps = set(deps)
    out: set[int] = set()
    for c in v.children:
        if c.dep_ in deps:
            out |= _subtree(c)
    return out


def _subject_scope(v: Token) -> set[int]:
    scope = _args(v, ("nsubj", "nsubjpass", "csubj"))
    if any(c.dep_ == "nsubj" and c.lower_ == "it" for c in v.children):  # "it is false that"
        scope |= _args(v, ("ccomp",))
    return scope


def _label_scope(t: Token) -> set[int]:
    """What a falsity label (noun or adjective) labels."""
    dep, head = t.dep_, t.head
    if dep == "conj":  # "lies and rumors": the second label labels what the first does
        first = t
        while first.dep_ == "conj" and first.head is not first:
            first = first.head
        return _label_scope(first) | {first.i}
    if dep in ("amod", "compound", "nmod") and t.pos_ in ("ADJ", "VERB", "NOUN", "PROPN"):
        if t.pos_ in ("ADJ", "VERB") or dep != "compound":
            return _subtree(head, skip=_subtree(t))
    if dep in ("acomp", "attr", "oprd"):
        scope = _subject_scope(head)
        if head.dep_ == "xcomp":  # "dismissed the report to be false"
            scope |= _args(head.head, ("dobj",))
        return scope | _subtree(t, skip=[t.i])
    if dep == "pobj" and head.lower_ == "as":  # "denounced X as the biggest setup"
        v = _verb_ancestor(head)
        if v is not None:
            return _args(v, ("dobj", "nsubjpass")) - _subtree(head)
    if dep == "appos":
        return _subtree(head, skip=_subtree(t))
    if t.i == head.i:  # a fragment headline: "Hoax!"
        return {w.i for w in t.doc if w.i != t.i}
    return _subtree(t, skip=[t.i])


def _is_weak_label_active(t: Token) -> bool:
    """ "rumor" is a falsity label beside another label or a denial, else a hedge."""
    if t.dep_ == "conj" and _lemma(t.head) in FALSITY_NOUNS:
        return True
    if any(c.dep_ == "conj" and _lemma(c) in FALSITY_NOUNS for c in t.children):
        return True
    if t.dep_ == "pobj" and t.head.lower_ == "as":
        return True
    return any(c.lower_ in ("mere", "just", "only", "baseless", "false") for c in t.children)


def _segments(doc: Doc) -> list[int]:
    """Segment number of each token: a colon in a headline ("Hoax: …") starts a new one."""
    seg, out = 0, []
    for t in doc:
        out.append(seg)
        if t.text == ":" or t.is_sent_end:
            seg += 1
    return out


def _question_flags(doc: Doc) -> list[bool]:
    """Whether each token's sentence is a question (``t.sent`` per token made this the rules'
    costliest line)."""
    flags = [False] * len(doc)
    for sent in doc.sents:
        if sent.text.rstrip().endswith("?"):
            flags[sent.start : sent.end] = [True] * (sent.end - sent.start)
    return flags


def _in_question(t: Token) -> bool:
    return memo(t.doc, "polarity.questions", _question_flags)[t.i]


def _confirm_or_deny(t: Token) -> bool:
    """ "refuses to confirm or deny": no denial."""
    pair = [c for c in t.children if c.dep_ == "conj"] + ([t.head] if t.dep_ == "conj" else [])
    return any(_lemma(c) in ("confirm", "verify", "accept") for c in pair)


def _denial_verb_scope(t: Token) -> set[int]:
    deps = ["dobj", "ccomp", "xcomp", "attr", "prep", "pcomp", "oprd"]
    if any(c.dep_ == "auxpass" for c in t.children):
        deps += ["nsubjpass", "csubjpass"]  # "the claims were denied", "that X … cannot be denied"
    scope: set[int] = set()
    for c in t.children:
        if c.dep_ in deps and not (c.dep_ == "prep" and c.lower_ in ("as", "by", "in")):
            scope |= _subtree(c)
    if t.dep_ in ("acl", "relcl") and t.head.pos_ in ("NOUN", "PROPN"):
        scope |= {t.head.i} | _subtree(t.head, skip=_subtree(t))  # "the claims denied by"
    if t.dep_ == "conj" and not scope:  # "rejected and refuted the claims"
        scope = _args(t.head, ("dobj", "ccomp"))
    return scope


def _deny_operator(t: Token) -> tuple[set[int], str] | None:
    """The scope and reason if ``t`` is a denial verb, denial noun or falsity label."""
    doc = t.doc
    lem, low = _lemma(t), t.lower_
    if t.pos_ in ("VERB", "AUX") and lem in DENIAL_VERBS and not _confirm_or_deny(t):
        return _denial_verb_scope(t), f"denial verb '{t.text}'"
    if t.pos_ == "VERB" and lem in ATTACK_VERBS:
        objs = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass")]
        if any(_lemma(o) in ALLEGATION_NOUNS | FALSITY_NOUNS for o in objs):
            return set().union(*(_subtree(o) for o in objs)), f"'{t.text}' the allegation"
    if t.pos_ == "NOUN" and lem in DENIAL_NOUNS:
        return _subtree(t, skip=[t.i]), f"denial '{t.text}'"
    if (t.pos_ in ("NOUN", "PROPN") and lem in FALSITY_NOUNS) or (
        t.pos_ in ("ADJ", "VERB", "NOUN", "PROPN") and (lem in FALSITY_ADJS or low in FALSITY_ADJS)
    ):
        return _label_scope(t), f"label '{t.text}'"
    if t.pos_ == "NOUN" and lem in WEAK_FALSITY_NOUNS and _is_weak_label_active(t):
        return _label_scope(t), f"label '{t.text}'"
    if low == "so-called" or (
        low == "called" and t.i > 0 and any(c.lower_ == "so" for c in t.children)
    ):
        return _subtree(t.head, skip=_subtree(t)), "'so-called'"
    if low == "nothing" and t.i + 2 < len(doc) and doc[t.i + 1].lower_ in ("more", "but"):
        scope = _subject_scope(t.head) if t.dep_ in ("attr", "acomp") else set()
        return scope, f"'nothing {doc[t.i + 1].text}'"
    if t.pos_ == "VERB" and lem in COLLAPSE_VERBS:
        subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
        if any(_lemma(s) in ALLEGATION_NOUNS | FALSITY_NOUNS for s in subj):
            if lem != "expose" or any(c.dep_ == "auxpass" for c in t.children):
                return set().union(*(_subtree(s) for s in subj)), f"allegation '{t.text}'"
    return None


def _label_only_segment(doc: Doc, seg: list[int], n: int, op_tokens: set[int]) -> bool:
    """Segment ``n`` holds nothing but labels ("Fake news:", "Hoax:") and ends in a colon."""
    toks = [t for t in doc if seg[t.i] == n]
    if not toks or toks[-1].text != ":":
        return False
    return all(
        t.i in op_tokens or t.is_punct or t.is_stop or _lemma(t) in LABEL_FILLERS for t in toks
    )


def _deny_operators(doc: Doc) -> list[Operator]:
    found: list[tuple[Token, tuple[set[int], str]]] = []
    for i, tk in enumerate(token_rows(doc)):
        if tk.lemma not in _DENY_TRIGGERS and tk.lower not in _DENY_TRIGGERS:
            continue
        t = doc[i]
        op = _deny_operator(t)
        if op is not None and not _in_question(t):
            found.append((t, op))
    if not found:
        return []
    seg = _segments(doc)
    op_tokens = {t.i for t, _ in found}
    ops: list[Operator] = []
    for t, (scope, reason) in found:
        n = seg[t.i]
        scope = {i for i in scope if seg[i] == n}  # "Rumor debunked: …" covers its own part
        if _label_only_segment(doc, seg, n, op_tokens):
            rest = [w for w in doc if seg[w.i] == n + 1]
            if not any(w.dep_ == "neg" or w.lower_ in NEG_WORDS for w in rest):
                scope = {w.i for w in rest}  # "Fake news: McDonald's will stop serving …"
        ops.append(Operator(DENY, t.i, frozenset(scope), reason))
    return ops


def _negated_head(t: Token) -> Token | None:
    """The word a negation word negates, or None when it negates no proposition."""
    low = t.lower_
    if t.dep_ == "neg" or low in ("never", "n't"):
        h = t.head
        nxt = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
        if nxt is not None and nxt.lower_ in NOT_ONLY:  # "not only", "not just"
            return None
        if _lemma(h) in NONCOMMITTAL and h.pos_ == "VERB":  # "won't say", "did not confirm"
            return None
        if (
            h.tag_ == "VB"
            and not any(
                c.dep_ in ("nsubj", "nsubjpass", "aux") and c.lower_ != "do" for c in h.children
            )
            and h.dep_ in ("ROOT", "conj", "parataxis")
        ):
            return None  # imperative: "Don't reset all settings"
        if h.dep_ in ("advcl", "relcl") and any(
            c.dep_ == "mark" and c.lower_ in SUBORDINATORS for c in h.children
        ):
            return None  # "… so he won't turn into a werewolf": not the main proposition
        return h
    if low == "no" and t.dep_ == "det":
        noun = t.head
        if _lemma(noun) in NO_IDIOMS:  # "no idea", "no doubt"
            return None
        return noun.head if noun.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") else noun
    if low in ("nothing", "nobody", "none", "neither") and t.dep_ in (
        "nsubj",
        "nsubjpass",
        "dobj",
        "attr",
        "preconj",
    ):
        if t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ in ("more", "but"):
            return None  # "nothing more than" is a falsity label
        return t.head
    return None


def _neg_operators(doc: Doc, deny_ops: list[Operator]) -> list[Operator]:
    by_token = {op.i: op for op in deny_ops}
    ops: list[Operator] = []
    for i, tk in enumerate(token_rows(doc)):
        if tk.dep != "neg" and tk.lower not in _NEG_TRIGGERS:
            continue
        t = doc[i]
        if _in_question(t):
            continue
        low = t.lower_
        if low in ("no", "nope") and (t.dep_ == "intj" or t.i == 0) and t.dep_ != "det":
            everything = frozenset(range(len(doc))) - {t.i}
            ops.append(Operator(EMPH, t.i, everything, f"'{t.text},'"))
            continue
        h = _negated_head(t)
        if h is None:
            continue
        negates: set[int] = set()
        scope: set[int]
        if h.i in by_token:  # "cannot deny", "not a lie"
            negates.add(h.i)
            scope = set(by_token[h.i].scope) | {h.i}
        elif h.pos_ in ("NOUN", "PROPN", "NUM") and h.i < t.i:  # "in Nevada, not Texas"
            scope = {w.i for w in h.subtree if w.i > t.i}
        elif h.dep_ == "amod" and _lemma(h) in TRUTH_PREDICATES:  # "Update: Not True"
            scope = set(range(len(doc)))
        else:
            scope = _clause(h)
            direct = {c.i for c in h.children if c.dep_ in ("acomp", "attr")}
            if _is_truth(h):
                direct |= _args(h, ("ccomp",))
            negates = {op.i for op in deny_ops if op.i in direct}
        for i in negates:
            scope |= by_token[i].scope
        scope.discard(t.i)
        ops.append(
            Operator(
                NEG, t.i, frozenset(scope), f"negation '{t.text}' on '{h.text}'", frozenset(negates)
            )
        )
    return ops


def _nested(inner: Operator, outer: Operator) -> bool:
    if inner is outer:
        return False
    if outer.kind == NEG and inner.kind == DENY:
        return inner.i in outer.negates
    return inner.i in outer.scope


def _chain(
    op: Operator, covering: list[Operator], parent: str | None, depth: int = 0
) -> tuple[int, list[Operator]]:
    """Flips along the deepest chain of operators nested in ``op`` (``op`` included)."""
    own = 0 if op.kind == DENY and parent == DENY else 1
    best: tuple[int, list[Operator]] = (0, [])
    if depth < 6:
        for inner in covering:
            if inner.kind != EMPH and _nested(inner, op):
                best = max(best, _chain(inner, covering, op.kind, depth + 1), key=lambda b: b[0])
    return own + best[0], [op, *best[1]]


def _flips(covering: list[Operator]) -> tuple[int, list[Operator]]:
    real = [op for op in covering if op.kind != EMPH]
    best: tuple[int, list[Operator]] = (0, [])
    for op in real:
        if not any(_nested(op, outer) for outer in real):  # outermost operators only
            best = max(best, _chain(op, real, None), key=lambda b: b[0])
    if best[0] == 0:
        emph = [op for op in covering if op.kind == EMPH]
        if emph:
            return 1, emph[:1]
    return best


def content_lemmas(doc: Doc) -> set[str]:
    """Lower-cased lemmas of a text's content words (no stop words, no operator words);
    worked out once per doc (a claim's doc is read against each of its members)."""
    return memo(doc, "polarity.content_lemmas", _content_lemmas)


def _content_lemmas(doc: Doc) -> set[str]:
    out = set()
    operator_words = _OPERATOR_WORDS
    for t in doc:
        lem = _lemma(t)
        content = t.pos_ == "PROPN" or (t.pos_ in CONTENT_POS and not t.is_stop)  # "US"
        if content and lem not in LIGHT_LEMMAS and t.is_alpha and lem not in operator_words:
            out.add(lem)
    return out


def operators(doc: Doc) -> tuple[list[Operator], list[Operator]]:
    """The denial and the negation operators of ``doc``, found once per doc (`memo`): the
    clustering (proposition, bare denials, labels) and the stance read the same doc several
    times. Operators are immutable; callers must not mutate the lists."""
    return memo(doc, "polarity.operators", _operators)


def _operators(doc: Doc) -> tuple[list[Operator], list[Operator]]:
    deny_ops = _deny_operators(doc)
    return deny_ops, _neg_operators(doc, deny_ops)


class _Tok(NamedTuple):
    """What the polarity rules read of a token, read once per doc (`_tokens`)."""

    lemma: str
    lower: str
    tag: str
    pos: str
    dep: str
    text: str
    head_lemma: str
    head_text: str


def token_rows(doc: Doc) -> list[_Tok]:
    """The doc's tokens as `_Tok` rows, once per doc: `analyze` reads a member's doc toward
    its claim and on its own, and a claim's doc against each member (a spaCy token object
    is built anew at every access)."""
    return memo(
        doc,
        "polarity.tokens",
        lambda d: [
            _Tok(_lemma(t), t.lower_, t.tag_, t.pos_, t.dep_, t.text, _lemma(t.head), t.head.text)
            for t in d
        ],
    )


def analyze(doc: Doc, claim: Doc | None = None) -> Polarity:
    """Read the polarity of ``doc``, toward ``claim`` if given (else its own content). A doc's
    own polarity is worked out once (`memo`: the clustering and the stance both read it);
    callers must not mutate the result."""
    if claim is None:
        return memo(doc, "polarity.own", _analyze)
    return _analyze(doc, claim)


def _analyze(doc: Doc, claim: Doc | None = None) -> Polarity:
    deny_ops, neg_ops = operators(doc)
    ops = deny_ops + neg_ops
    toks = token_rows(doc)
    if claim is not None:  # a negation the claim itself quotes ("Hands up, don't shoot")
        quoted = {tk.head_lemma for tk in token_rows(claim) if tk.dep == "neg"}
        ops = [op for op in ops if not (op.kind == NEG and toks[op.i].head_lemma in quoted)]
    op_tokens = {op.i for op in ops}
    if claim is not None:
        words = content_lemmas(claim)
        targets = [
            i
            for i, tk in enumerate(toks)
            if i not in op_tokens and (tk.lemma in words or tk.lower in words)
        ]
        matched = len({toks[i].lemma for i in targets})
    else:
        words = content_lemmas(doc)
        targets = [i for i, tk in enumerate(toks) if i not in op_tokens and tk.lemma in words]
        matched = len(words)
    pol = Polarity(operators=ops, matched=matched, claim_words=len(words))
    flips: dict[tuple[int, ...], tuple[int, list[Operator]]] = {}  # by the covering operators
    for i in targets:
        covering = tuple(k for k, op in enumerate(ops) if i in op.scope)
        if covering not in flips:
            flips[covering] = _flips([ops[k] for k in covering])
        n, chain = flips[covering]
        if n > pol.flips:
            pol.flips, pol.reasons = n, [op.reason for op in chain]
    for i, tk in enumerate(toks):
        lem = tk.lemma
        if lem in HEDGE_WORDS or tk.lower in HEDGE_WORDS:
            pol.hedges.append(tk.text)
        elif tk.tag == "MD" and tk.lower in MODALS:
            pol.hedges.append(tk.text)
        elif tk.pos == "NOUN" and lem in WEAK_FALSITY_NOUNS and i not in op_tokens:
            pol.hedges.append(tk.text)
        elif tk.dep == "neg" and tk.head_lemma in NONCOMMITTAL:
            pol.hedges.append(f"{tk.text} {tk.head_text}")
        if tk.pos == "VERB" and lem in DISTANCING_VERBS:
            pol.distancing.append(tk.text)
        elif tk.pos == "VERB" and lem in SPEECH_VERBS:
            pol.speech.append(tk.text)
    pol.question = "?" in doc_text(doc)
    return pol
