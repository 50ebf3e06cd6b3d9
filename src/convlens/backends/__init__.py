"""One module per array family: ``numpy``, ``torch`` (autograd, devices) and ``dask`` (lazy,
chunked). ``convlens.ops`` picks the family; each family asks the planner for an engine."""
