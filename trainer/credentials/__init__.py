"""Open Badges 3.0 credentials: Data Integrity proofs, VC-JWT and status lists; pure, offline.

Nothing here imports Flask or the database: the modules work on plain dicts, bytes and
`cryptography` Ed25519 keys, and JSON-LD contexts come from files shipped in `contexts/`.
"""
