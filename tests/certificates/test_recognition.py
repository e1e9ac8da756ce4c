"""What a certificate says it is: the organisation's own (not accreditation by any professional
body), or aligned with a named body's standard; on the PDF, the verification page, the
holder's page and the signed credential."""

import io
from pathlib import Path

import pypdfium2
import pytest
import yaml

from tests.certificates import independent
from trainer.certificates import credential as cred
from trainer.certificates.models import Certificate
from trainer.certificates.services import recognition_of
from trainer.extensions import db

ROOT = Path(__file__).resolve().parents[2]
NOT_ACCREDITATION = "not accreditation by any professional body"
ALIGNED = ("Aligned with the Example Society's therapist criteria (2021). Issued by the "
           "organisation, not by the Example Society.")


@pytest.fixture
def world(make):
    org = make.org(slug="acme", name="Acme IPT Institute")
    admin = make.user(org=org, role="admin", name="Ada Admin")
    trainee = make.user(org=org, role="trainee", name="Tia Trainee")
    module = make.module("mod-a")
    make.pathway()
    aligned = make.pathway(key="aligned-pathway", title="IPT Therapist, aligned route")
    aligned.data = {**aligned.data, "aligned_with": ALIGNED,
                    "description": "What the platform checks."}
    db.session.commit()
    make.passed_module(org, trainee, module)
    return {"org": org, "admin": admin, "trainee": trainee, "make": make}


def pdf_text(data: bytes) -> str:
    page = pypdfium2.PdfDocument(io.BytesIO(data))[0]
    return " ".join(page.get_textpage().get_text_range().split())


def achievement(certificate: Certificate) -> dict:
    return certificate.credential["credentialSubject"]["achievement"]


@pytest.mark.parametrize("description", [None, "", "Aligned with the Example Society.",
                                         "This route is aligned with a body's standard."])
def test_a_pathway_without_aligned_with_is_the_organisations_own(description):
    pathway = {"id": "p", "description": description} if description is not None else {}

    assert cred.recognition(pathway, "Acme") == (
        "Issued by Acme as its own certificate; it is not accreditation by any professional "
        "body.")
    assert NOT_ACCREDITATION in cred.recognition(pathway)


def test_aligned_with_is_used_as_written_with_its_lines_joined():
    pathway = {"aligned_with": "Aligned with the Example Society's\n  criteria.",
               "description": "More."}

    assert cred.recognition(pathway, "Acme") == "Aligned with the Example Society's criteria."


def test_own_pathway_certificate_says_it_is_not_accreditation_everywhere(
        client, world, login_as, make):
    certificate = make.certificate(world["org"], world["trainee"], world["admin"])
    statement = ("Issued by Acme IPT Institute as its own certificate; it is not "
                 "accreditation by any professional body.")

    assert certificate.evidence["recognition"] == statement
    assert achievement(certificate)["description"].endswith(statement)
    assert independent.schema_errors(certificate.credential) == []
    assert statement in client.get(f"/verify/{certificate.id}").get_data(as_text=True)
    login_as(world["admin"])
    assert statement in client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    pdf = client.get(f"/certificates/{certificate.id}/certificate.pdf")
    assert statement in pdf_text(pdf.data)


def test_aligned_pathway_certificate_names_the_standard_and_never_the_disclaimer(
        client, world, login_as, make):
    certificate = make.certificate(world["org"], world["trainee"], world["admin"],
                                   pathway_key="aligned-pathway")

    assert achievement(certificate)["description"].endswith(ALIGNED)
    verify = client.get(f"/verify/{certificate.id}").get_data(as_text=True)
    login_as(world["admin"])
    pdf = pdf_text(client.get(f"/certificates/{certificate.id}/certificate.pdf").data)
    for text in (verify, pdf, str(certificate.credential)):
        assert "Example Society" in text.replace("&#39;", "'")
        assert NOT_ACCREDITATION not in text


def test_statement_is_the_one_fixed_at_issue(world, make):
    certificate = make.certificate(world["org"], world["trainee"], world["admin"],
                                   pathway_key="aligned-pathway")
    assert recognition_of(certificate) == ALIGNED

    evidence = dict(certificate.evidence)
    del evidence["recognition"]  # a certificate issued before the statement was kept
    certificate.evidence = evidence
    db.session.commit()
    assert recognition_of(certificate) == ALIGNED  # from the pathway version it was issued on


def test_public_pathway_page_shows_what_its_certificates_are(client, world):
    own = client.get("/pathways/test-pathway").get_data(as_text=True)
    aligned = client.get("/pathways/aligned-pathway").get_data(as_text=True)

    assert NOT_ACCREDITATION in own
    assert "Example Society" in aligned.replace("&#39;", "'")
    assert NOT_ACCREDITATION not in aligned


def test_shipped_pathways_include_one_of_each_kind():
    kinds = {}
    for path in sorted((ROOT / "curriculum" / "pathways").glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        description = " ".join(data["description"].split())
        statement = cred.recognition(data, "Acme")
        kinds[data["id"]] = "own" if NOT_ACCREDITATION in statement else "aligned"
        if kinds[data["id"]] == "own":
            assert NOT_ACCREDITATION in description, data["id"]
        else:
            assert NOT_ACCREDITATION not in description, data["id"]
    assert {"own", "aligned"} <= set(kinds.values())
    assert kinds["ipt-practitioner"] == "own"
