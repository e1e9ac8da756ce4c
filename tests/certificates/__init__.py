"""Tests of certificates: issuance, PDF, verification, credentials, revocation."""
