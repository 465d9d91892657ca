"""The adversarial corpus: generated from a valid task tree by named mutations (see generate.py),
and the byte-level mutation operators shared by the fuzz test and benchmarks/fuzz_campaign.py."""
