"""Every write to the registry, one module per concern (docs/architecture.md §3):

- ``imports``: importing a run of files, all or nothing, with its report and rejected rows;
  ``resolver`` (a row against the reference data) and ``writer`` (a file's batches) serve it;
- ``vocabularies``: the label vocabularies and their names;
- ``corrections``: a person correcting a record.

A record's identity and public id, which are computed and never written alone, are in
``hrcoop.recommendations.identity``.
"""
