-- claimgraph store, migration 10: an article no input names the outlet of gets a label of its
-- own instead of NULL, "unnamed source: SITE" (its URL's host, "www." left out) or "unnamed
-- source: FILE" (its first source's file name), so that no view pools different unknown
-- outlets into one row (`claimgraph.ingest.outlets.unnamed_outlet` labels new articles).
UPDATE articles SET outlet_prov = CASE
    WHEN url ~* '^https?://[^/]+\.' THEN 'unnamed:url' ELSE 'unnamed:source' END
WHERE outlet IS NULL OR outlet = '';
UPDATE articles SET outlet = 'unnamed source: ' || CASE
    WHEN outlet_prov = 'unnamed:url'
    THEN regexp_replace(lower(substring(url from '://([^/]+)')), '^www\.', '')
    ELSE coalesce(
        (SELECT regexp_replace(source, '^.*/', '') FROM article_sources s
         WHERE s.article_id = articles.id ORDER BY added_at, source LIMIT 1),
        articles.id)
END
WHERE outlet IS NULL OR outlet = '';
