"""Page models: what each page of the dashboard shows, gathered from the services.

Each module returns one public schema per page (its JSON is the page's JSON twin) for the
routes of :mod:`critchem.web.routes`. The use cases that the API, the web pages and the CLI
share stay in :mod:`critchem.services`; what only a page needs lives here.
"""
