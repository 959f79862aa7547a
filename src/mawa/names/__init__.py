"""Names and duplicates: the duplicate check at registration, batch de-duplication runs, the
review queue, and reversible merges. The matching itself lives in the pure packages
`mawa.namekeys` (name keys) and `mawa.linkage` (record comparison and Splink linkage)."""
