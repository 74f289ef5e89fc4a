-- claimgraph store, migration 10: an article no input names the outlet of gets a label of its
-- own instead of NULL, "unnamed source: SITE" (its URL's host, "www." left out) or "unnamed
-- source: FILE" (its first source's file name), so that no view pools different unknown
-- outlets into one row (`claimgraph.ingest.outlets.unnamed_outlet` labels new articles).
UPDATE articles SET outlet_prov = CASE
    WHEN url LIKE 'http%://%.%' THEN 'unnamed:url' ELSE 'unnamed:source' END
WHERE outlet IS NULL OR outlet = '';
UPDATE articles SET outlet = 'unnamed source: ' || (
    SELECT CASE WHEN articles.outlet_prov = 'unnamed:url'
        THEN CASE WHEN h LIKE 'www.%' THEN substr(h, 5) ELSE h END
        ELSE coalesce(
            (SELECT replace(source, rtrim(source, replace(source, '/', '')), '')
             FROM article_sources s WHERE s.article_id = articles.id
             ORDER BY added_at, source LIMIT 1),
            articles.id)
    END
    FROM (SELECT lower(CASE WHEN instr(r, '/') > 0 THEN substr(r, 1, instr(r, '/') - 1) ELSE r END) AS h
          FROM (SELECT substr(articles.url, instr(articles.url, '://') + 3) AS r))
)
WHERE outlet IS NULL OR outlet = '';
