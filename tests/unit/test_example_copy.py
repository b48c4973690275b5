"""tests/example is a copy of the contract's worked example (../shared/spec/example), so the suite
stands on its own; while the specification is beside the project, the copy must still equal it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.settings import PROJECT_ROOT
from tests.conftest import EXAMPLE

SPEC_EXAMPLE = PROJECT_ROOT.parent / "shared" / "spec" / "example"


def _files(root: Path) -> dict[str, bytes]:
    # the spec folder may hold a problem report a load wrote beside the extract: not part of the example
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.startswith("validation_report")}


@pytest.mark.skipif(not SPEC_EXAMPLE.is_dir(), reason=f"the specification is not beside the project ({SPEC_EXAMPLE})")
def test_the_copy_equals_the_specification():
    assert _files(EXAMPLE) == _files(SPEC_EXAMPLE)
