import gzip
import json

import pytest

from cities.extract import FORMAT, VERSION

HEADER = {"format": FORMAT, "version": VERSION, "source": "test"}

# A tiny but complete extract: two régions (one overseas), three départements, one EPCI, four communes.
RECORDS = [
    ["R", "27", "Bourgogne-Franche-Comté"],
    ["R", "04", "La Réunion"],
    ["D", "71", "Saône-et-Loire", "27"],
    ["D", "21", "Côte-d'Or", "27"],
    ["D", "974", "La Réunion", "04"],
    ["E", "247100589", "CA Le Grand Chalon", "CA", "27"],
    ["C", "71076", "Chalon-sur-Saône", "71", "27", "247100589", ["71100"], 45102, "217100767", 46.7897, 4.8521],
    ["C", "71100", "Chardonnay", "71", "27", None, ["71700"], 207, "217101005", None, None],
    ["C", "21231", "Dijon", "21", "27", None, ["21000"], 159346, "212102313", 47.3216, 5.0415],
    ["C", "97411", "Saint-Denis", "974", "04", None, ["97400", "97490"], 155634, "219740115", -20.88, 55.45],
]


def write_extract(path, records=RECORDS, header=HEADER, raw_lines=()):
    lines = [json.dumps(header, ensure_ascii=False)] + [json.dumps(r, ensure_ascii=False) for r in records]
    lines += list(raw_lines)
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


@pytest.fixture
def small_extract(tmp_path):
    return write_extract(tmp_path / "territories.jsonl.gz")
