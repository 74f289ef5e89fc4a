"""Embedded posts: a paragraph signed on the next line "— Name (@handle) date" (what a web page
keeps of an embedded tweet) is Name's post, word for word."""

from __future__ import annotations

import json

from claimgraph.extract import extract_statements
from claimgraph.extract.records import DIRECT
from conftest import invoke_cli

POST = (
    "Candidates reacted within the hour.\n"
    "Praying for the victims and the first responders of Porvik. pic.twitter.com/xYz12\n"
    "— Oskar Lind (@OskarLind) December 2, 2015\n"
    "The police said the suspects had fled."
)


def test_a_signed_post_is_its_authors_direct_statement(nlp) -> None:
    statements = extract_statements(nlp(POST))
    (post,) = [s for s in statements if s.kind == DIRECT]
    assert post.text == "Praying for the victims and the first responders of Porvik."
    assert post.speaker == "Oskar Lind" and post.speaker_type == "person"
    assert POST[post.cue_start : post.cue_end].strip() == "—" and post.cue_class == "neutral"
    assert POST[post.speaker_start : post.speaker_end] == "Oskar Lind"
    # the next paragraph is not the post's
    assert [s.text for s in statements if s.cue == "said"] == ["the suspects had fled"]


def test_a_dash_and_a_name_without_a_handle_signs_no_post(nlp) -> None:
    text = (
        "Praying for the victims and the first responders of Porvik.\n"
        "— Oskar Lind, December 2, 2015\n"
    )
    assert extract_statements(nlp(text)) == []


def test_a_byline_with_a_handle_signs_no_post(nlp) -> None:
    text = "The river fell overnight and the bridge reopened.\n— Jane Doe (@janedoe)\n"
    assert [s for s in extract_statements(nlp(text)) if s.kind == DIRECT] == []
    # a post signed with the day before the month is one
    signed = "Stay off the river roads tonight.\n— Jane Doe (@janedoe) 4 May 2021\n"
    (post,) = extract_statements(nlp(signed))
    assert post.kind == DIRECT and post.speaker == "Jane Doe"


def test_a_report_inside_a_post_stays_nested_in_it(nlp) -> None:
    text = (
        "The mayor said the bridge would reopen on Monday. It will not.\n"
        "— Mara Ashby (@mara_ashby) May 4, 2021\n"
    )
    statements = extract_statements(nlp(text))
    post = next(s for s in statements if s.kind == DIRECT)
    said = next(s for s in statements if s.cue == "said")
    assert post.speaker == "Mara Ashby" and post.start <= said.start < said.end <= post.end
    assert said.speaker_mention == "The mayor"


EMBED = """<html><head><title>Porvik reacts</title></head><body><article>
<h1>Porvik reacts to the flood</h1>
<p>Officials took to Twitter on Wednesday as the river rose.</p>
<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Stay off the river roads tonight &amp;
check on your neighbours. <a href="https://t.co/ab12">pic.twitter.com/ab12</a></p>&mdash; Mara
Ashby (@mara_ashby) <a href="https://twitter.com/mara_ashby/status/1">May 4, 2021</a></blockquote>
<p>The water had reached the old bridge by midnight, the police said.</p>
</article></body></html>
"""


def test_an_embedded_tweet_in_a_web_page_is_a_voice(tmp_path) -> None:
    page = tmp_path / "porvik.html"
    page.write_text(EMBED, encoding="utf-8")
    db = tmp_path / "p.db"
    res = invoke_cli("analyze", str(page), "--db", str(db), "--no-link", "-q")
    assert res.returncode == 0, res.stderr.decode()
    res = invoke_cli("export", "statements", "--db", str(db), "--format", "jsonl")
    rows = [json.loads(line) for line in res.stdout.decode().splitlines()]
    (post,) = [r for r in rows if r["kind"] == "direct"]
    assert post["speaker"] == "Mara Ashby"
    assert post["text"].startswith("Stay off the river roads tonight")
    assert "pic.twitter.com" not in post["text"]


def test_a_verb_read_inside_markup_makes_no_statement(nlp) -> None:
    # raw embed markup left in a text: "tweet" is a tag name, not a reporting verb
    text = (
        "Candidates reacted quickly.\n"
        '<tweet pic="" author="OskarLind" timestamp="1449075600" tweet_id="67215302">'
        "Praying for the victims and the first responders of Porvik.</tweet>\n"
        "The police said the suspects had fled."
    )
    statements = extract_statements(nlp(text))
    assert [(s.cue, s.text) for s in statements] == [("said", "the suspects had fled")]
