"""The claims, members and topics the link step (claimgraph.claims) writes, and what it reads
back to link new articles incrementally (migrations 2 and 4-7), for both backends."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ..errors import StoreError
from .base import Peek, SqlStore
from .rows import (
    LINK_ROW_ORDER,
    LINK_TABLES,
    REBUTTALS_MIGRATION,
    TOPICS_MIGRATION,
    candidate_view,
    centroid_views,
    claim_view,
    claims_sql,
    link_read_sql,
    link_rows,
    link_sql,
    member_context_sql,
    member_via_sql,
    topic_rows,
    topic_sql,
    topics_sql,
)
from .rows import now as _now


class LinkedStore(SqlStore):
    """`SqlStore` with the link step's tables."""

    def _has_claims(self) -> bool:
        """False for a store opened read-only before migration 2: it has no claims yet."""
        return 2 in self.schema_versions()

    def claims(self) -> Iterator[dict[str, Any]]:
        """Claims, largest first: claim_id, label, key_terms (list), n_members, and the
        claim's topic (topic_id, topic: its label; None until topics are assigned)."""
        if not self._has_claims():
            return
        for row in self._stream(claims_sql(self.schema_versions(), self.dialect.collate)):
            yield claim_view(row)

    def claim_members(
        self, claim_id: str | None = None, *, context: int = 0
    ) -> Iterator[dict[str, Any]]:
        """Members of one claim (or all), with the article's first source and outlet; with
        ``context``, up to that many characters of the article before and after the
        member's words (context_before, context_after)."""
        if not self._has_claims():
            return iter(())
        around = f" {member_context_sql(context, self.dialect.greatest)}," if context > 0 else ""
        sql = (
            "SELECT m.member_id, m.claim_id, m.article_id, m.statement_id,"
            f" {self._first_source_sql()} AS source, a.outlet AS outlet, m.voice, m.speaker,"
            f' m.stance, m.text, m.start, m."end", m.similarity,{around}'
            f" {member_via_sql(self.schema_versions())}"
            " FROM claim_members m JOIN articles a ON a.id=m.article_id"
        )
        params: Sequence[Any] = ()
        if claim_id is not None:
            sql += " WHERE m.claim_id=?"
            params = (claim_id,)
        c = self.dialect.collate
        sql += f" ORDER BY m.claim_id{c}, m.article_id{c}, m.start, m.member_id{c}"
        return self._stream(sql, params)

    def dated_records(
        self,
    ) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
        """What the timeline dates, as tuples, for each article in stored order: (the article
        (id, text, published), its statements (article_id, id, speaker, start_char, end_char,
        cue_start, cue_end, speaker_start, speaker_end) by index, its claim members that a
        statement made or the outlet narrated (article_id, member_id, claim_id, statement_id,
        voice, start, end) by claim, start and member id). The three streams share one
        order and are merged as they come: one article's rows in memory at a time."""
        order = self._by_article()
        c = self.dialect.collate
        statements = Peek(
            self._tuple_rows(
                "SELECT st.article_id, st.id, st.speaker, st.start_char, st.end_char,"
                " st.cue_start, st.cue_end, st.speaker_start, st.speaker_end FROM statements st"
                f" JOIN articles a ON a.id=st.article_id ORDER BY {order}, st.idx"
            ),
            0,
        )
        members = Peek(
            self._tuple_rows(
                "SELECT m.article_id, m.member_id, m.claim_id, m.statement_id, m.voice,"
                ' m.start, m."end" FROM claim_members m JOIN articles a ON a.id=m.article_id'
                " WHERE m.statement_id IS NOT NULL OR m.voice='outlet'"
                f" ORDER BY {order}, m.claim_id{c}, m.start, m.member_id{c}"
            )
            if self._has_claims()
            else iter(()),
            0,
        )
        for art in self._tuple_rows(
            f"SELECT a.id, a.text, a.published FROM articles a ORDER BY {order}"
        ):
            aid = art[0]
            yield art, statements.take(aid), members.take(aid)

    def member_words(self) -> Iterator[dict[str, Any]]:
        """The words of every member that joined its claim by meaning: claim_id, text,
        speaker, in `claim_members` order, without the article's columns (what the topics
        read of the members)."""
        if not self._has_claims():
            return iter(())
        via = REBUTTALS_MIGRATION in self.schema_versions()
        c = self.dialect.collate
        return self._stream(
            "SELECT m.claim_id, m.text, m.speaker FROM claim_members m"
            + (" WHERE m.via='meaning'" if via else "")
            + f" ORDER BY m.claim_id{c}, m.article_id{c}, m.start, m.member_id{c}"
        )

    def member_stances(self) -> Iterator[dict[str, Any]]:
        """Every claim member without its words: member_id, claim_id, article_id,
        statement_id, voice, speaker, stance, via, in `claim_members` order (what the claim x
        outlet matrix lists of each member)."""
        if not self._has_claims():
            return iter(())
        c = self.dialect.collate
        return self._stream(
            "SELECT m.member_id, m.claim_id, m.article_id, m.statement_id, m.voice, m.speaker,"
            f" m.stance, {member_via_sql(self.schema_versions())} FROM claim_members m"
            f" ORDER BY m.claim_id{c}, m.article_id{c}, m.start, m.member_id{c}"
        )

    def member_stance_rows(self) -> Iterator[tuple[Any, ...]]:
        """`member_stances` as tuples: (claim_id, article_id, member_id, statement_id, voice,
        speaker, stance, via), what the claim x outlet matrix reads of millions of members."""
        if not self._has_claims():
            return iter(())
        c = self.dialect.collate
        return self._tuple_rows(
            "SELECT m.claim_id, m.article_id, m.member_id, m.statement_id, m.voice, m.speaker,"
            f" m.stance, {member_via_sql(self.schema_versions())} FROM claim_members m"
            f" ORDER BY m.claim_id{c}, m.article_id{c}, m.start, m.member_id{c}"
        )

    def topics(self) -> Iterator[dict[str, Any]]:
        """Topics, largest first: topic_id, label, key_terms (list), n_claims, n_members;
        none before migration 6 or before the link step assigned them."""
        if TOPICS_MIGRATION not in self.schema_versions():
            return
        for row in self._stream(topics_sql(self.dialect.collate)):
            yield claim_view(row)

    def write_topics(self, topics: Sequence[dict[str, Any]]) -> None:
        """Replace every topic and claim's topic in one transaction (`rows.topic_rows`)."""
        rows, links = topic_rows(topics, _now())
        insert_topic, insert_link = topic_sql()
        try:
            with self.transaction():
                self._execute("DELETE FROM claim_topics")
                self._execute("DELETE FROM topics")
                self._executemany(insert_topic, rows)
                self._executemany(insert_link, links)
        except self._integrity_error() as exc:
            raise StoreError(
                f"cannot store topics in {self.label}: {exc}; was 'claimgraph link' running? "
                "Rerun it"
            ) from exc

    def articles_to_link(self, *, all_articles: bool = False) -> Iterator[dict[str, Any]]:
        """id, outlet, title, published, text of the articles the link step has not gathered
        units from yet (of every article with ``all_articles``), by id: the batches a run links
        are the same whenever the articles were stored."""
        sql = "SELECT a.id, a.outlet, a.title, a.published, a.text FROM articles a"
        if not all_articles:
            sql += " WHERE NOT EXISTS (SELECT 1 FROM linked_articles l WHERE l.article_id=a.id)"
        return self._stream(sql + f" ORDER BY a.id{self.dialect.collate}")

    def claim_centroids(self, articles: Sequence[str] | None = None) -> Iterator[dict[str, Any]]:
        """The link step's view of each claim (`rows.centroid_views`). With ``articles``,
        each claim's per-article counts are of those articles only and its dates are read
        grouped by day: what linking a batch of articles needs, in memory that does not grow
        with the articles stored."""
        if articles is None:
            reads = link_read_sql(self.dialect.collate)
            counts = self._stream(reads["member_counts"])
            days: Iterator[dict[str, Any]] | None = None
        else:
            ids = sorted(set(articles))
            reads = link_read_sql(self.dialect.collate, len(ids))
            counts = self._stream(reads["member_counts"], ids) if ids else iter(())
            days = self._stream(reads["member_days"])
        claims = self._stream(reads["centroids"])
        try:
            yield from centroid_views(counts, claims, days)
        finally:  # a reader that stops early closes the cursors now
            for rows in (counts, claims, days):
                close = getattr(rows, "close", None)
                if close is not None:
                    close()

    def claim_candidates(self) -> Iterator[dict[str, Any]]:
        """Units no other unit has joined yet (terms as a list), in candidate id order."""
        for row in self._stream(link_read_sql(self.dialect.collate)["candidates"]):
            yield candidate_view(row)

    def write_actors(self, actors: dict[str, str]) -> None:
        """Replace the speaker -> actor map (`claimgraph.link.actors`) in one transaction."""
        with self.transaction():
            self._execute("DELETE FROM speaker_actors")
            self._executemany(
                "INSERT INTO speaker_actors (speaker, actor) VALUES (?, ?)", list(actors.items())
            )

    def write_links(
        self,
        *,
        claims: Sequence[dict[str, Any]],
        members: Sequence[dict[str, Any]],
        candidates: Sequence[dict[str, Any]],
        drop_candidates: Sequence[str],
        linked: Sequence[tuple[str, int]],
        replace: bool = False,
    ) -> None:
        """Apply one link run atomically. ``claims`` are new (``new`` true) or grown ones;
        ``replace`` first empties every claims table (a full relink)."""
        rows = link_rows(
            claims=claims, members=members, candidates=candidates, linked=linked, at=_now()
        )
        sql = link_sql()
        try:
            with self.transaction():
                if replace:
                    self._empty(LINK_TABLES)
                if drop_candidates:
                    self._execute(
                        f"DELETE FROM claim_candidates WHERE candidate_id IN {self._ids_sql()}",
                        (self._ids_param(drop_candidates),),
                    )
                for what in LINK_ROW_ORDER:
                    self._executemany(sql[what], getattr(rows, what))
        except self._integrity_error() as exc:
            raise StoreError(
                f"cannot store claims in {self.label}: {exc}; was another 'claimgraph link' "
                "running? Rerun it"
            ) from exc
