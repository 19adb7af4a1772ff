import pytest, io
from pypdf import PdfReader
from inspections.outputs.documents import build_round_report_pdf
from tests.inspections.outputs.conftest import TODAY

@pytest.mark.django_db
def test_try(full_round):
    pdf = build_round_report_pdf(full_round, today=TODAY)
    open("/tmp/f_round.pdf","wb").write(pdf)
