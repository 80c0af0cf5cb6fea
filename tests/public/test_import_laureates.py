"""import_laureates: a historical wave's laureates from a CSV of INSEE codes, all or nothing."""

import pytest
from django.core.management import CommandError, call_command

from applications.models import Dossier, DossierTransition
from applications.states import DossierStatus
from tests.factories import CampaignFactory, WaveFactory

from .conftest import PUBLISHES_AT

pytestmark = pytest.mark.django_db


@pytest.fixture
def historical_wave(db):
    return WaveFactory(
        campaign__slug="ami-2019",
        campaign__is_historical=True,
        number=1,
        opens_at=PUBLISHES_AT.replace(year=2019, month=4),
        closes_at=PUBLISHES_AT.replace(year=2019, month=7),
        publishes_at=PUBLISHES_AT.replace(year=2019, month=9, day=26),
    )


def write(tmp_path, text):
    path = tmp_path / "laureats.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(path, campaign="ami-2019", wave=1):
    call_command("import_laureates", "--campaign", campaign, "--wave", str(wave), path)


def test_import_creates_laureate_dossiers_decided_at_the_announcement(historical_wave, chalon, evry, tmp_path):
    run(
        write(
            tmp_path, "\ufeffcode_insee;titre;resume\n71076;Antenne de Chalon;Formations à Chalon-sur-Saône\n91228;;\n"
        )
    )
    dossiers = Dossier.objects.filter(campaign=historical_wave.campaign)
    assert {d.commune.name for d in dossiers} == {"Chalon-sur-Saône", "Évry-Courcouronnes"}
    assert {d.status for d in dossiers} == {DossierStatus.LAUREATE}
    assert {d.decided_at for d in dossiers} == {historical_wave.publishes_at}
    assert dossiers.get(commune=chalon).public_summary == "Formations à Chalon-sur-Saône"
    assert DossierTransition.objects.filter(dossier__in=dossiers, to_status=DossierStatus.LAUREATE).count() == 2


def test_imported_laureates_appear_on_the_public_page(historical_wave, chalon, tmp_path, client):
    run(write(tmp_path, "code_insee\n71076\n"))
    assert "Chalon-sur-Saône" in client.get("/resultats/ami-2019/").content.decode()


def test_import_accepts_commas_and_short_codes(historical_wave, burgundy, tmp_path):
    from tests.factories import CommuneFactory

    CommuneFactory(insee_code="01053", name="Bourg-en-Bresse")
    run(write(tmp_path, "code_insee,titre\n1053,Bourg\n"))
    assert Dossier.objects.get().commune.insee_code == "01053"


def test_unknown_insee_code_names_the_line_and_imports_nothing(historical_wave, chalon, evry, tmp_path):
    path = write(tmp_path, "code_insee;titre\n71076;A\n99999;B\n91228;C\n")
    with pytest.raises(CommandError) as error:
        run(path)
    assert "3" in str(error.value) and "99999" in str(error.value)
    assert not Dossier.objects.exists()


def test_duplicate_line_is_refused(historical_wave, chalon, tmp_path):
    with pytest.raises(CommandError, match="71076"):
        run(write(tmp_path, "code_insee\n71076\n71076\n"))
    assert not Dossier.objects.exists()


def test_import_twice_changes_nothing(historical_wave, chalon, tmp_path):
    path = write(tmp_path, "code_insee\n71076\n")
    run(path)
    run(path)
    assert Dossier.objects.count() == 1


def test_import_into_a_live_campaign_is_refused(chalon, tmp_path):
    WaveFactory(campaign=CampaignFactory(slug="live"), number=1)
    with pytest.raises(CommandError):
        run(write(tmp_path, "code_insee\n71076\n"), campaign="live")
    assert not Dossier.objects.exists()


def test_file_without_code_insee_header_is_refused(historical_wave, tmp_path):
    with pytest.raises(CommandError, match="code_insee"):
        run(write(tmp_path, "insee\n71076\n"))


def test_help_documents_the_csv_format(capsys):
    with pytest.raises(SystemExit):
        call_command("import_laureates", "--help")
    assert "code_insee;titre;resume" in capsys.readouterr().out


# --- broken files are refused whole, naming the line ----------------------------------------------------------------


def refused(tmp_path, content: bytes) -> str:
    path = tmp_path / "laureats.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        run(str(path))
    assert not Dossier.objects.exists()
    return str(error.value)


def test_quotation_mark_left_open_is_refused_naming_its_line(historical_wave, chalon, evry, tmp_path):
    # Read loosely, the open quote swallowed line 3: Chalon was imported and Évry silently lost.
    message = refused(tmp_path, 'code_insee;titre\n71076;"Antenne de Chalon\n91228;Évry\n'.encode())
    assert message.startswith("Rien n’a été importé.")
    assert 'Ligne 2 : un guillemet (") est resté ouvert ou est mal placé' in message


def test_quoted_field_spanning_two_lines_is_refused_naming_the_line_where_it_opens(
    historical_wave, chalon, evry, tmp_path
):
    message = refused(tmp_path, 'code_insee;titre\n71076;"Antenne\n de Chalon"\n91228;Évry\n'.encode())
    assert "Ligne 2 : un guillemet" in message


def test_text_after_a_closing_quotation_mark_is_refused(historical_wave, chalon, tmp_path):
    message = refused(tmp_path, b'code_insee;titre\n71076;"Antenne" de Chalon\n')
    assert "Ligne 2 : un guillemet" in message


def test_line_with_more_fields_than_the_header_is_refused(historical_wave, chalon, evry, tmp_path):
    message = refused(tmp_path, "code_insee;titre\n71076;Antenne;de;Chalon\n91228;Évry\n".encode())
    assert "Ligne 2 : 4 champs alors que l’en-tête en a 2" in message


def test_nul_character_is_refused_naming_its_line_without_a_traceback(historical_wave, chalon, evry, tmp_path):
    message = refused(tmp_path, b"code_insee;titre\n71076;Chalon\n91228;\x00vry\n")
    assert "Ligne 3 : contient un caractère NUL" in message
    assert "Traceback" not in message


def test_windows_1252_file_is_refused_with_advice_to_save_it_as_utf8(historical_wave, chalon, evry, tmp_path):
    message = refused(tmp_path, "code_insee;titre\n71076;Chalon\n91228;Évry\n".encode("cp1252"))
    assert "Ligne 3 : le fichier n’est pas encodé en UTF-8" in message
    assert "enregistrez-le de nouveau au format « CSV UTF-8 »" in message


def test_a_separator_inside_a_quoted_field_is_kept(historical_wave, chalon, tmp_path):
    run(write(tmp_path, 'code_insee;titre\n71076;"Chalon; Saône"\n'))
    assert Dossier.objects.get().title == "Chalon; Saône"
