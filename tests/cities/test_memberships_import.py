"""CSV import of programme memberships: format variants, all-or-nothing on bad rows, bundled lists' policy."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from cities.memberships import MembershipFileError
from cities.models import Programme, ProgrammeMembership
from cities.services import import_memberships, load_programmes
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db

HEADER = "insee_code;programme;territory_code;territory_name;since;source\n"


@pytest.fixture
def communes():
    return CommuneFactory(insee_code="71076", name="Chalon-sur-Saône"), CommuneFactory(
        insee_code="80001", name="Abbeville"
    )


def test_import_with_bom_and_semicolons_creates_memberships(communes):
    content = (
        "\ufeff" + HEADER + "71076;acv;acv-050;Chalon-sur-Saône;18/10/2018;ANCT 2024\n"
        "80001;ti;ti-3201;Vimeu;;Liste TI 2022\n"
    ).encode()
    counts = import_memberships(content=content, filename="m.csv")
    assert counts.created == 2
    acv = ProgrammeMembership.objects.get(commune=communes[0])
    assert (acv.programme, acv.territory_code, acv.since, acv.source) == (
        Programme.ACV,
        "acv-050",
        date(2018, 10, 18),
        "ANCT 2024",
    )


def test_import_with_commas_iso_dates_and_programme_labels(communes):
    content = HEADER.replace(";", ",") + '80001,Action Cœur de Ville,,,2018-09-28,"ANCT, 2024"\n'
    import_memberships(content=content, filename="m.csv")
    membership = ProgrammeMembership.objects.get()
    assert (membership.programme, membership.since, membership.source) == (
        Programme.ACV,
        date(2018, 9, 28),
        "ANCT, 2024",
    )


def test_import_overwrites_the_same_commune_and_programme(communes):
    import_memberships(content=HEADER + "71076;acv;;;;first\n", filename="m.csv")
    counts = import_memberships(content=HEADER + "71076;acv;;;2019-01-01;second\n", filename="m.csv")
    assert (counts.created, counts.updated) == (0, 1)
    assert ProgrammeMembership.objects.get().source == "second"


def test_bad_rows_are_all_named_and_nothing_is_imported(communes):
    content = (
        HEADER + "71076;acv;;;;ok\n"
        "99999;acv;;;;unknown commune\n"
        "80001;cdv;;;;bad programme\n"
        "80001;ti;;;31/02/2020;bad date\n"
    )
    with pytest.raises(MembershipFileError) as error:
        import_memberships(content=content, filename="m.csv")
    messages = "\n".join(error.value.errors)
    assert "m.csv, ligne 4" in messages and "cdv" in messages
    assert "m.csv, ligne 5" in messages and "31/02/2020" in messages
    assert not ProgrammeMembership.objects.exists()


def test_unknown_insee_code_is_named_in_french_and_nothing_is_imported(communes):
    content = HEADER + "71076;acv;;;;ok\n99999;acv;;;;x\n"
    with pytest.raises(MembershipFileError, match=r"m\.csv, ligne 3 : code INSEE inconnu « 99999 »"):
        import_memberships(content=content, filename="m.csv")
    assert not ProgrammeMembership.objects.exists()


def test_missing_source_and_duplicate_lines_are_refused(communes):
    content = HEADER + "71076;acv;;;;\n80001;ti;;;;s\n80001;ti;;;;s\n"
    with pytest.raises(MembershipFileError) as error:
        import_memberships(content=content, filename="m.csv")
    assert [e.split(" : ")[0] for e in error.value.errors] == ["m.csv, ligne 2", "m.csv, ligne 4"]


def test_missing_columns_are_named(communes):
    with pytest.raises(MembershipFileError, match="source"):
        import_memberships(content="insee_code;programme\n71076;acv\n", filename="m.csv")


def test_non_utf8_file_is_refused(communes):
    with pytest.raises(MembershipFileError, match="UTF-8"):
        import_memberships(content=(HEADER + "71076;acv;;Chalon-sur-Saône;;s\n").encode("latin-1"), filename="m.csv")


def test_import_command_reports_errors_and_counts(communes, tmp_path, capsys):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(HEADER + "71076;acv;;;;s\n", encoding="utf-8")
    bad.write_text(HEADER + "71076;xyz;;;;s\n", encoding="utf-8")
    with pytest.raises(CommandError, match="bad.csv, ligne 2"):
        call_command("import_memberships", str(bad))
    call_command("import_memberships", str(good))
    assert "1 " in capsys.readouterr().out
    assert ProgrammeMembership.objects.count() == 1


def _bundled(tmp_path, acv_rows, ti_rows=""):
    acv = tmp_path / "acv.csv"
    acv.write_text("insee_com,lib_com,id_acv,lib_acv,acv_phase,date_signature\n" + acv_rows, encoding="utf-8")
    ti = tmp_path / "ti.csv"
    ti.write_text("insee_com,lib_com,id_ti,lib_ti\n" + ti_rows, encoding="utf-8")
    return {"acv_file": acv, "ti_file": ti}


def test_bundled_lists_load_idempotently(communes, tmp_path):
    files = _bundled(
        tmp_path,
        "71076,Chalon-sur-Saône,acv-050,Chalon-sur-Saône,ACV1 (2018),18/10/2018\n",
        "80001,Abbeville,ti-3201,Vimeu\n",
    )
    assert load_programmes(**files).created == 2
    again = load_programmes(**files)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_bundled_list_leaves_a_membership_recorded_from_another_source(communes, tmp_path):
    import_memberships(content=HEADER + "71076;acv;x;Edited;2020-01-01;Arrêté 2020\n", filename="m.csv")
    counts = load_programmes(**_bundled(tmp_path, "71076,Chalon,acv-050,Chalon,ACV1,18/10/2018\n"))
    assert counts.kept == 1
    assert ProgrammeMembership.objects.get().source == "Arrêté 2020"


def test_bundled_list_with_unknown_commune_keeps_nothing(communes, tmp_path):
    files = _bundled(tmp_path, "71076,Chalon,acv-050,Chalon,ACV1,18/10/2018\n12345,X,acv-9,X,ACV1,\n")
    with pytest.raises(MembershipFileError, match=r"acv\.csv, ligne 3"):
        load_programmes(**files)
    assert not ProgrammeMembership.objects.exists()
