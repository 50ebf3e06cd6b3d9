"""``convlens serve``: the playground in the browser.

A Starlette app (:mod:`convlens.web.server`) over the public API, and a front end in plain
JavaScript and canvas under ``static/`` (no build step, no CDN, no external request).
"""
