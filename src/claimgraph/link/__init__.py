"""Linking across articles: actors (one id per person or body, `actors`) and the article
parses handed from extraction to the link step (`parses`). Claims are `claimgraph.claims`."""
