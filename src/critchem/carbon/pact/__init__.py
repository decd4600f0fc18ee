"""A host and a client of the PACT Technical Specifications v3 (PCF data exchange).

``host`` (clients, tokens, publication, Action Events), ``filters`` (the ListFootprints
criteria), ``events`` (the CloudEvents), ``client`` (calls to another host), ``models``
(the tables).
"""
