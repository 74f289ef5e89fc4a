"""Analyses that read the store: the comparison of outlets (`compare`, `profiles`, `matrix`,
`variants`, `wire`, `timeline`), each imported from its own module. Claims and stance are
`claimgraph.claims`'s; these modules only read what it stored."""
