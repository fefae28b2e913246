"""A model of Dataverse's tabular ingest: which files it reads, and what it makes of them."""
