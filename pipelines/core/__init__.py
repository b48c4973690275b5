"""Domain code with no Dagster imports: the contract and its rule registry, reading and loading
extracts, the Great Expectations suites, publishing, the report, exports and privacy. The Dagster
wiring (pipelines/defs) and the command line (pipelines/cli) call into it."""
