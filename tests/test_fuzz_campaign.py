"""The fuzz campaign's attack families stay runnable and find nothing on a short seeded run
(issue 13: the attacks are part of what every later reader and writer must pass). The long run
is `python benchmarks/fuzz_campaign.py --minutes 10`; this one takes a few seconds a family."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("family", ["cache", "files", "forms"])
def test_a_short_campaign_finds_nothing(family: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZJTRACK_")}
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "fuzz_campaign.py"),
            "--families",
            f"tree,{family}",
            "--tree-burst",
            "3",
            "--max-iterations",
            "24",
            "--seed",
            "3",
            "--out",
            str(tmp_path / "findings"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    summary = json.loads(done.stdout)
    assert summary["attacks"][family] >= 4 and summary["attacks"]["tree"] >= 12
    assert summary["findings"] == {}, done.stderr[-3000:]
    assert done.returncode == 0
