"""One bilingual error type (problems.UserError), raised by the core and turned into a message and
an exit code in one place (cli.common.edge), in the language of --lang or ZJTRACK_LANG."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from conftest import cli, runner

from zjtrack import dates, report, views
from zjtrack.cli.app import app
from zjtrack.cli.common import about, edge
from zjtrack.problems import ExitCode, UserError, problem

DEMO = [str(Path(__file__).resolve().parents[1] / p) for p in ("tasks", "examples/demo")]


# --- the type ----------------------------------------------------------------------------------------


def test_user_error_carries_both_languages_an_option_and_an_exit_code() -> None:
    e = UserError("中文", "English", option="--as-of", exit_code=ExitCode.INTERNAL)
    assert (e.message("zh"), e.message("en"), str(e)) == ("中文", "English", "English")
    assert (e.option, e.exit_code, e.problems) == ("--as-of", 3, ())
    assert isinstance(e, ValueError)
    plain = UserError("甲", "a")
    assert (plain.option, plain.exit_code) == (None, 2)


def test_the_old_names_are_the_one_type() -> None:
    """DateError and ReportError stay as aliases for one release; FilterError and RecordError are
    gone."""
    assert dates.DateError is UserError
    assert report.ReportError is UserError
    assert not hasattr(views, "FilterError")
    with pytest.raises(UserError) as info:
        dates.parse_iso("2025-02-30")
    assert info.value.en == "day 30 does not exist in 2025-02"
    with pytest.raises(UserError):
        report.parse_week("2026-W60")


def test_refusal_built_from_problems_reads_like_check() -> None:
    p = problem("percent-over-100", "", value=150)
    e = UserError.of([p])
    assert e.problems == (p,)
    assert e.en == (
        "error[percent-over-100] percentage 150% is not between 0 and 100\n"
        "  = hint: check the document; a percentage lies between 0 and 100."
    )
    assert e.zh.startswith("错误[percent-over-100] 百分比 150% 不在 0 到 100 之间\n  = 提示: ")


def test_about_names_the_option_unless_one_is_named() -> None:
    with pytest.raises(UserError) as info, about("--week"):
        raise UserError("甲", "a")
    assert info.value.option == "--week"
    with pytest.raises(UserError) as info, about("--week"):
        raise UserError("甲", "a", option="--as-of")
    assert info.value.option == "--as-of"


# --- the one place it is translated -------------------------------------------------------------------


def test_every_command_goes_through_the_edge() -> None:
    groups = [app]
    while groups:
        group = groups.pop()
        for info in group.registered_commands:
            assert getattr(info.callback, "__wrapped__", None) is not None, info.callback
        groups += [g.typer_instance for g in group.registered_groups if g.typer_instance]


def _tiny(error: UserError) -> typer.Typer:
    tiny = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False)

    @tiny.command()
    @edge
    def go(lang: str = "zh") -> None:
        raise error

    return tiny


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_edge_without_an_option_prints_the_message_and_exits_with_its_code(lang: str) -> None:
    tiny = _tiny(UserError("内部错误", "internal", exit_code=ExitCode.INTERNAL))
    result = runner().invoke(tiny, ["--lang", lang])
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == ("内部错误\n" if lang == "zh" else "internal\n")


def test_edge_with_an_option_shows_a_bad_parameter() -> None:
    result = runner().invoke(_tiny(UserError("坏", "bad", option="--when")), ["--lang", "en"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.endswith("Error: Invalid value for --when: bad\n")
    assert result.stderr.startswith("Usage: ")


@pytest.mark.parametrize(
    ("args", "option", "zh", "en"),
    [
        (["status", "--as-of", "2025-13-01"], "--as-of", "没有 13 月", "month 13 does not exist"),
        (
            ["status", "--status", "nope"],
            "--status",
            "没有状态 `nope`",
            "no status `nope`",
        ),
        (["units", "--doc", "nope"], "--doc", "没有文件 `nope`", "no document `nope`"),
        (
            ["report", "weekly", "--week", "2026-W60"],
            "--week",
            "2026 年没有第 60 周",
            "2026 has no week 60",
        ),
        (
            ["report", "ledger", "--columns", "nope", "-f", "csv"],
            "--columns",
            "没有列 `nope`",
            "no column `nope`",
        ),
    ],
)
def test_core_errors_reach_the_user_as_bad_parameters_in_their_language(
    args: list[str], option: str, zh: str, en: str
) -> None:
    command = args[:2] if args[0] == "report" else args[:1]
    for lang, text, env in (("zh", zh, {}), ("en", en, {}), ("en", en, {"ZJTRACK_LANG": "en"})):
        extra = [] if env else ["--lang", lang]
        result = cli(*args, *DEMO, *extra, env=env)
        assert (result.exit_code, result.stdout) == (2, ""), result.stderr
        assert result.stderr.startswith(f"Usage: zjtrack {' '.join(command)} [OPTIONS]")
        assert f"Error: Invalid value for {option}: {text}" in result.stderr


def test_a_plain_refusal_is_one_message_and_exit_2(tmp_path: Path) -> None:
    result = cli("units", "no-such-unit", *DEMO, "--lang", "en")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("no unit `no-such-unit`")
    assert "Usage" not in result.stderr
