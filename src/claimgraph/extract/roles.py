"""Lexicon of speakers: role nouns, documents, organisations, countries, and the helpers
that read a title ("Chinese Foreign Ministry spokesperson") into a role and an affiliation."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from .verbs import default_lexicon

PERSON, ORGANISATION, COUNTRY, DOCUMENT, COLLECTIVE = (
    "person",
    "organisation",
    "country",
    "document",
    "collective",
)

_ROLE_WORDS: dict[str, str] = {}
for _role, _words in {
    "spokesperson": "spokesman spokeswoman spokesperson spokespeople spokesmen",
    "official": "official rapporteur minister secretary ambassador envoy diplomat head chief director "
    "commissioner chairman chairwoman chair deputy governor mayor administrator officer "
    "president premier leader representative delegate counselor consul commander judge "
    "justice sheriff general gov gov.",
    "politician": "senator congressman congresswoman lawmaker legislator rep. rep mp sen sen. "
    "candidate politician nominee speaker assemblyman assemblywoman councilman councilwoman "
    "councilmember",
    "expert": "expert analyst professor researcher scholar economist scientist academic "
    "lawyer attorney specialist historian fellow author counsel",
    "activist": "activist campaigner advocate dissident",
    "victim_witness": "survivor witness victim detainee resident relative refugee eyewitness",
    "journalist": "journalist reporter correspondent editor columnist host anchor pundit "
    "commentator",
    "anonymous": "source insider aide person",
}.items():
    for _w in _words.split():
        _ROLE_WORDS[_w] = _role

_DOCUMENT_WORDS = frozenset(
    "report statement document study survey poll letter assessment resolution law bill "
    "paper white-paper communique memo filing lawsuit complaint ruling verdict data analysis "
    "article editorial investigation review audit website post tweet release ad advertisement "
    "commercial email e-mail video recording page headline transcript book memoir op-ed "
    "account message footage broadcast result figure statistic number".split()
)
_ORG_WORDS = frozenset(
    "panel committee commission council agency ministry department office government court "
    "organization organisation party campaign company firm group union bureau administration "
    "embassy consulate parliament congress senate house university institute association "
    "network newspaper outlet media foundation authority authorities police military army "
    "dept govt board tribunal secretariat caucus".split()
)
# Headline abbreviations of body words, written out in an actor's name so that "State Dept."
# and "the State Department" are one actor.
_BODY_ABBREVIATIONS = {"Dept": "Department", "Govt": "Government"}
_BODY_ABBREVIATION = re.compile(r"\b(Dept|Govt)\b\.?")


def expand_body_abbreviations(name: str) -> str:
    """``State Dept.`` -> ``State Department``."""
    return _BODY_ABBREVIATION.sub(lambda m: _BODY_ABBREVIATIONS[m.group(1)], name)


_TITLE_ADJECTIVES = frozenset("senior deputy former chief high top acting vice another".split())
_COLLECTIVE_ROLES = {
    "critic": "collective",
    "activist": "activist",
    "campaigner": "activist",
    "expert": "expert",
    "analyst": "expert",
    "official": "official",
    "observer": "expert",
    "resident": "victim_witness",
    "survivor": "victim_witness",
    "witness": "victim_witness",
    "people": "collective",
    "group": "collective",
    "government": "organisation",
    # a body of people, not one person ("the raucous crowd, which chanted his name")
    "crowd": "collective",
    "audience": "collective",
    "mob": "collective",
    "public": "collective",
    "electorate": "collective",
    "congregation": "collective",
}
_COUNTRIES: dict[str, str] = {
    alias: country
    for country, aliases in {
        "United States": "us|u.s.|united states|the united states|america|washington|american",
        "China": "china|beijing|chinese|prc",
        "United Kingdom": "uk|u.k.|britain|british|london",
        "Russia": "russia|moscow|russian",
    }.items()
    for alias in aliases.split("|")
}
_MALE = frozenset(["he", "him", "his", "himself", "mr.", "mr"])
_FEMALE = frozenset(["she", "her", "hers", "herself", "ms.", "ms", "mrs.", "mrs"])
_PERSON_PRONOUNS = _MALE | _FEMALE
# First names of one usual gender (English-language news), a weak signal of whom "he" or
# "she" may refer to: used only where the article says nothing of the person's gender.
_MALE_FIRST_NAMES = frozenset(
    "aaron adam alan albert alex alexander andrew anthony antony arthur barack ben benjamin bryan "
    "bernie bill bob bobby brad brian bruce carl carlos charles charlie chris christopher "
    "chuck dan daniel darrell dave david dennis dick don donald doug douglas ed eddie edward "
    "elijah eric erik frank fred gary george gerald greg gregory harold harry henry howard "
    "ian jack jacob jake james jason jeb jeff jeffrey jeremy jerry jim jimmy joe joel john "
    "johnny jon jonathan jorge jose joseph josh joshua juan justin keith ken kenneth kevin "
    "larry lawrence lee-roy lindsey luis marco mark martin matt matthew michael mike mitch "
    "mitt nathan newt nicholas nick noah oscar patrick paul pete peter phil philip ralph rand "
    "randy ray raymond reince richard rick rob robert roger ron ronald roy rudy russell ryan "
    "sam samuel scott sean sergei stephen steve steven ted terry thomas tim timothy todd tom "
    "tony vladimir walter wayne william willie xi".split()
)
_FEMALE_FIRST_NAMES = frozenset(
    "abigail adaeze alice alicia amanda amy andrea angela ann anna anne barbara betty beverly "
    "brenda carly carol caroline carolyn catherine cheryl chelsea christina christine claire "
    "cynthia dana deborah debbie debra diana diane donna doris dorothy elena elizabeth ellen "
    "emily emma evelyn frances gloria grace hannah heather helen hillary huma irene jane janet "
    "janice jean jennifer jessica jill joan joyce judith judy julia julie karen kate katherine "
    "kathleen kathy kelly kellyanne kimberly laura lauren lena linda lisa loretta lori louise "
    "lynn madeleine margaret maria marie marilyn martha mary megan melania melissa michelle "
    "mika nancy nicole nikki olivia pamela patricia paula rachel rebecca rose rosa ruth sandra "
    "sara sarah sharon shirley stephanie susan teresa theresa tiffany virginia wendy".split()
)


def first_name_gender(name: str) -> str | None:
    """ "m" or "f" for a name whose first word is a first name of one usual gender."""
    first = name.split()[0].lower().strip(".,") if name.split() else ""
    if first in _MALE_FIRST_NAMES:
        return "m"
    if first in _FEMALE_FIRST_NAMES:
        return "f"
    return None


_PLURAL_PRONOUNS = frozenset(["they", "them", "their"])
_HONORIFICS = frozenset("mr. mrs. ms. dr. mr mrs ms dr sen. rep. gov. president".split())
# Descriptions written before a name as if a title ("Billionaire Donald Trump", "Hacker
# Guccifer"): not part of the name, and no role of the issue's kinds.
_DESCRIPTORS = frozenset(
    "billionaire businessman businesswoman mogul tycoon hacker comedian actor actress singer "
    "rapper novelist pastor reverend rev. celebrity magnate donor hopeful star".split()
)
# Common nouns for one person that the article may not name ("a woman", "one man in
# Manchester"): an anonymous voice. Other common nouns heading a speaker mention ("the
# sentence, albeit severe", "their instinctive preference") are no one's: no role.
_PERSON_NOUNS = _DESCRIPTORS | frozenset(
    "man woman guy boy girl person individual someone somebody child mother father friend "
    "neighbor neighbour worker student teacher doctor nurse farmer owner customer fan "
    "supporter voter protester member employee staffer veteran parent".split()
)
# Heads of a share or count of people ("72 percent of Democrats", "about half of voters",
# "nearly three in four"): a collective.
_QUANTITY_WORDS = frozenset(
    "percent per cent half third quarter majority majorities minority most many some few all "
    "both one two three four five six seven eight nine ten".split()
)


def is_agent_noun(tok: Token) -> bool:
    """Can this common noun say something? (a role, a document, a group)"""
    lemma = tok.lemma_.lower()
    return (
        lemma in _ROLE_WORDS
        or lemma in _DOCUMENT_WORDS
        or lemma in _COLLECTIVE_ROLES
        or lemma in _ORG_WORDS
        or tok.tag_ in ("NNS", "NNPS")
    )


def country_of(text: str) -> str | None:
    key = text.lower().removesuffix("'s").removesuffix("’s").strip()
    return _COUNTRIES.get(key)


# A state body named without its state ("foreign ministry spokesperson", "Foreign ministry:
# …"): the context says whose (`claimgraph.extract.speakers`, `claimgraph.analyze.profiles`).
_BARE_BODY = re.compile(
    r"(?:the\s+)?(?:foreign\s+|defen[cs]e\s+|commerce\s+|interior\s+)?"
    r"(?:ministry|embassy|consulate|foreign office)",
    re.I,
)
# Names only the People's Republic gives its own bodies: "Information Office of People's
# Government of Xinjiang Uygur Autonomous Region" is a Chinese body though no word of it is
# "China" (a bare region name is not enough: a Tibetan exile body is not Chinese).
_PRC_BODY = re.compile(r"People['’]s Government|Autonomous (?:Region|Prefecture)\b", re.I)
# Institutions only one state has, named without the state: "State Dept. Again Accuses …".
_STATE_INSTITUTIONS = [
    (re.compile(r"\bState\s+Dep(?:artmen)?t\b|\bWhite House\b|\bPentagon\b"), "United States"),
    (re.compile(r"\bKremlin\b"), "Russia"),
    (re.compile(r"\bDowning Street\b|\bWhitehall\b"), "United Kingdom"),
]


# Bodies of many states, not of one: a voice of theirs has no country ("U.N. High
# Commissioner for Human Rights Michelle Bachelet", "a UN human rights panel", "the E.U.").
# Upper-case abbreviations are matched case-sensitively ("WHO", not "who").
_INTERNATIONAL = re.compile(
    r"\b(?:U\.N\.|UN|E\.U\.|EU|ILO|WHO|WTO|IMF|NATO|ICC|ICJ|OSCE|ASEAN|OHCHR|UNHCR|UNICEF"
    r"|UNESCO|OECD|Interpol)(?![\w.])"
    r"|(?i:\bUnited Nations\b|\bEuropean (?:Union|Commission|Parliament)\b"
    r"|\bInternational (?:Labou?r Organi[sz]ation|Monetary Fund|Criminal Court"
    r"|Court of Justice|Atomic Energy Agency)\b|\bWorld (?:Health|Trade) Organi[sz]ation\b"
    r"|\bWorld Bank\b|\bAfrican Union\b|\bHuman Rights Council\b|\bSecurity Council\b"
    r"|\bGeneral Assembly\b)"
)


def international_body(name: str) -> bool:
    """Does ``name`` name a body of many states (the U.N. and its agencies, the E.U., NATO,
    the IMF …)? Its voices belong to no one country."""
    return _INTERNATIONAL.search(name) is not None


def is_bare_body(name: str) -> bool:
    """Is ``name`` a state body without its state ("foreign ministry", "the embassy")?"""
    return _BARE_BODY.fullmatch(name.strip()) is not None


def state_of_body(name: str) -> str | None:
    """The state a body's own name implies though it names none: PRC names ("People's
    Government of …") and institutions only one state has (State Department, Kremlin)."""
    if _PRC_BODY.search(name):
        return "China"
    return next((c for pattern, c in _STATE_INSTITUTIONS if pattern.search(name)), None)


def name_core(span: Span) -> Span:
    """The name proper inside an entity that swallowed a title: "Foreign Ministry
    spokesperson Ilka Dorn" / "Ilka Dorn spokesperson" -> "Ilka Dorn"."""
    titled = [t.i for t in span if t.lower_ in _ROLE_WORDS or t.lower_ in _ORG_WORDS]
    if not titled or len(span) < 2:
        return span
    doc, start = span.doc, titled[-1] + 1
    if start < span.end and doc[start].lower_ == "of":
        start += 2  # "Secretary of State Antony Blinken"
    if start < span.end and any(t.text[:1].isupper() for t in doc[start : span.end]):
        return doc[start : span.end]
    if titled[0] > span.start:
        return doc[span.start : titled[0]]
    return span


_IRREGULAR_PAST = frozenset("said told wrote spoke".split())


@lru_cache(maxsize=1)
def _headline_lemmas() -> frozenset[str]:
    lex = default_lexicon()
    return lex.cue_lemmas | lex.headline_extra


def _headline_verb(word: str) -> bool:
    """A title-case reporting verb of a headline ("Blasts", "Defends", "Says", "Explained"),
    which the model took into a name: "Glenn Beck Blasts Drudge", "Ben Carson Defends …"."""
    low = word.lower()
    if len(low) < 4 or not word[:1].isupper():
        return False
    if low in _IRREGULAR_PAST:
        return True
    lemmas = _headline_lemmas()
    if low.endswith("s"):
        return low[:-1] in lemmas or (low.endswith("es") and low[:-2] in lemmas)
    if low.endswith("ed"):
        stems = (low[:-1], low[:-2], low[:-3] if low[-3:-2] == low[-4:-3] else "")
        return any(s in lemmas for s in stems)  # explained, praised, slammed
    return False


def _clean_name(span: Span) -> list[str]:
    span = name_core(span)
    words = [t.text for t in span if t.pos_ != "PART" and t.text not in ("'s", "’s", "'", "’")]
    while len(words) > 1 and (words[0].lower() in _HONORIFICS or words[0].lower() in _DESCRIPTORS):
        words = words[1:]
    cut = next((i for i, w in enumerate(words) if i > 0 and _headline_verb(w)), None)
    if cut is not None:
        words = words[:cut]  # "Glenn Beck Blasts Drudge" is Glenn Beck
    return [w for w in words if w[:1].isupper()]


# What a country has and a person does not: "Marenne's government", "Korva's foreign minister".
_STATE_NOUNS = frozenset(
    "government ministry parliament army military embassy ambassador people capital border regime "
    "territory citizens economy navy".split()
)


def is_state_possessor(tok: Token) -> bool:
    """Is ``tok`` the possessor of something only a state has?"""
    head = tok.head
    if tok.dep_ not in ("poss", "compound") or head is tok:
        return False  # "Marenne's government", "the Korva regime"
    if head.lemma_.lower() in _STATE_NOUNS:
        return True
    return head.lower_ in ("minister", "ministry") and any(
        c.lower_ in ("foreign", "interior", "defence", "defense") for c in head.children
    )


def role_of(title: str | None) -> str | None:
    if not title:
        return None
    # "ambassador-at-large", "secretary-general": a hyphenated title is headed by its first part
    words = [w.strip(",.").lower() for w in title.split()]
    words = [w.split("-")[0] if "-" in w and w not in _ROLE_WORDS else w for w in words]
    # the head of a title is its last role word before "of"/"for" ("deputy head of ...")
    cut = next((i for i, w in enumerate(words) if w in ("of", "for", "at", "to")), len(words))
    for w in reversed(words[:cut]):
        if w in _ROLE_WORDS:
            return _ROLE_WORDS[w]
    for w in words:
        if w in _ROLE_WORDS:
            return _ROLE_WORDS[w]
    return None


# Words that start a phrase naming no organisation ("of their choice", "of this year").
_NOT_A_BODY = frozenset("their his her its our my your this that these those a an".split())
# Lower-case words after which the body's name has ended: "the state of Vermont and
# self-described democratic socialist", "… of the party who can support …".
_BODY_ENDS = frozenset("and or who which that whose since until when".split())


def _body_words(words: list[str]) -> list[str]:
    """The words of a body's name up to the first word that ends it: a comma, or a
    lower-case conjunction or relative word followed by a lower-case word."""
    out: list[str] = []
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if w in _BODY_ENDS and (not nxt or not nxt[:1].isupper()):
            break
        out.append(w)
        if w.endswith(","):
            break
    return out


_US_SECRETARY_OF_STATE = re.compile(r"(?:the\s+)?Secretary\s+of\s+State", re.I)


_NATION_ENTS = ("GPE", "NORP")


def affiliation_of(title: str | None, ents: list[Span] | None = None) -> str | None:
    """The organisation (or country) a title names: "deputy head of the Publicity Department
    of X" -> "the Publicity Department of X"; "Chinese Foreign Ministry spokesperson" ->
    "Chinese Foreign Ministry"."""
    if not title:
        return None
    if _US_SECRETARY_OF_STATE.fullmatch(title.strip()):
        # a state's only "Secretary of State" who heads a "State Department": the US one
        # (the UK's have a portfolio, "Secretary of State for Health"; a US state's, its name)
        return "US State Department"
    words = title.split()
    for i, w in enumerate(words):
        if w.lower() == "for" and i > 0:
            # "U.N. High Commissioner for Human Rights", "Minister for Foreign Affairs": after
            # "for" comes the portfolio, not the body; the body is a name before the role
            body = [x for x in words[:i] if x.strip(",").lower() not in _ROLE_WORDS]
            body = [x for x in body if x[:1].isupper() and x.lower() not in _TITLE_ADJECTIVES]
            if body and len(body) < i:
                return " ".join(body).strip(",")
            continue
        if w.lower() in ("of", "for", "at") and i + 1 < len(words):
            rest = words[i + 1 :]
            if rest[0].lower() == "the":
                rest = rest[1:]
            if len(rest) == 1 and rest[0].lower() in ("state", "defense", "defence"):
                continue  # "Secretary of State" is a title, not an affiliation
            if rest and rest[0].lower() in _NOT_A_BODY:
                continue  # "… the candidate of their choice": no body named
            return " ".join(_body_words(rest)).strip(",") or None
    for ent in ents or []:
        if ent.label_ == "ORG" and ent.text.lower() not in ("state", "defense"):
            before = [e for e in ents or [] if e.end == ent.start and e.label_ in _NATION_ENTS]
            if before and country_of(before[0].text):
                # "Chinese Foreign Ministry spokesman", the model's ORG being "Foreign Ministry"
                return ent.doc[before[0].start : ent.end].text
            return ent.text
    if words and words[-1].lower().strip(",") in _ROLE_WORDS and len(words) > 1:
        rest = [w for w in words[:-1] if w.lower() not in _TITLE_ADJECTIVES]
        if rest and rest[-1].lower() in _ORG_WORDS:
            return " ".join(rest)  # "foreign ministry spokesperson"
    for ent in ents or []:
        if ent.label_ in ("GPE", "NORP") and country_of(ent.text):
            return country_of(ent.text)
    return None


def _title_span(doc: Doc, ent: Span) -> tuple[int, int] | None:
    """Token span of the title attached to a person name, if any."""
    head = ent.root
    # pre-modifiers: "Chinese Foreign Ministry spokesperson Wang Wenbin"
    left = head.left_edge.i
    pre = [t for t in doc[left : ent.start] if t.dep_ not in ("det", "poss", "case", "punct")]
    pre = [t for t in pre if t.lower_ not in ("another", "former")]
    # a role noun ("general" the adjective of "the general election fight" is none), and no
    # preposition right before the name ("… fight against Hillary Clinton")
    if (
        pre
        and doc[ent.start - 1].pos_ != "ADP"
        and any(t.lower_ in _ROLE_WORDS and t.pos_ != "ADJ" for t in pre)
    ):
        return pre[0].i, ent.start
    # apposition after the name: "Xu Guixiang, deputy head of …"
    for child in head.children:
        if child.dep_ == "appos" and child.i > ent.end - 1:
            span = child.left_edge.i, child.right_edge.i + 1
            if role_of(doc[span[0] : span[1]].text):  # not "… Rashad Hussain both …"
                return span
    # name in apposition to a role noun: "Another ministry spokesperson, Hua Chunying"
    if head.dep_ == "appos" and head.head.i < ent.start and head.head.lower_ in _ROLE_WORDS:
        noun = head.head
        start = noun.left_edge.i
        while start < noun.i and (doc[start].dep_ == "det" or doc[start].lower_ == "another"):
            start += 1
        end = ent.start
        while end > start and doc[end - 1].is_punct:
            end -= 1
        return start, end
    return _lowercase_title_before(doc, ent)


_TITLE_LINKS = frozenset("for of at the on -".split())


def _lowercase_title_before(doc: Doc, ent: Span) -> tuple[int, int] | None:
    """A lower-case title right before the name that the parse did not hang on it:
    "… and ambassador-at-large for international religious freedom Rashad Hussain both …".
    The words back to a role word are lower-case words and links ("for", "of", hyphens),
    and a boundary (punctuation, "and", an article, the sentence start) comes before it."""
    i = ent.start - 1
    lo = max(ent.sent.start, ent.start - 10)
    if i >= lo and (doc[i].lower_ in _TITLE_LINKS or doc[i].pos_ == "ADP"):
        return None  # "the delegate lead for Hillary Clinton": the name is the link's object
    while i >= lo:
        t = doc[i]
        if t.pos_ in ("VERB", "AUX"):
            return None  # "A reporter asked Sanders …": a clause, not a title
        if t.lower_ in _ROLE_WORDS:
            before = doc[i - 1] if i > ent.sent.start else None
            if (
                before is None
                or before.is_punct
                or before.lower_ in ("and", "or", "the", "a", "an")
            ):
                return (i, ent.start) if i < ent.start - 1 or t.is_lower else None
            return None
        if not (t.is_lower and t.is_alpha) and t.lower_ not in _TITLE_LINKS:
            return None
        i -= 1
    return None
