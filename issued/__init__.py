"""Documents for people: the registration certificate and the rejection notice, rendered as PDF.

Rendering is pure: the same content gives the same bytes (fonts and dates are fixed by the input),
so a document's SHA-256 can be recomputed from what the database stores about it.
"""
