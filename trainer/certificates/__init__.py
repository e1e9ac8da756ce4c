"""Certificates: issuance, PDF, verification, credentials, revocation."""
