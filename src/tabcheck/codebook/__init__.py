"""The codebook Dataverse builds after ingest, predicted before the deposit.

- `unf`: the UNF v6 fingerprint of a variable, a file and a dataset, as Dataverse's UNF library
  (org.dataverse.unf, used by IngestServiceBean) computes it.
- `stats`: the summary statistics Dataverse stores for numeric variables (SumStatCalculator).
- `collect`: a second, streaming pass over a table that gives each variable the values Dataverse
  stores (after its own typing) and feeds them to both.
"""
