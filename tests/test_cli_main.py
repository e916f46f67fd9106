"""main.py: global options before or after the command, one-line errors with exit status 2."""
from __future__ import annotations

import pytest

import main


def _parse(argv: list[str]):
    return main.build_parser().parse_args(argv)


def test_global_option_after_the_command_is_taken() -> None:
    args = _parse(["score", "--instrument", "csc", "in.csv", "--lang", "zh_CN",
                   "--database", "sqlite:///x.db"])
    assert args.lang == "zh_CN"
    assert args.database == "sqlite:///x.db"


def test_global_option_before_the_command_is_not_reset_by_the_command(monkeypatch) -> None:
    monkeypatch.delenv("EPRO_LANG", raising=False)
    args = _parse(["--lang", "zh_CN", "--demo", "score", "--instrument", "csc", "in.csv"])
    assert args.lang == "zh_CN" and args.demo is True


def test_global_option_after_a_sub_command_of_a_group() -> None:
    args = _parse(["audit", "verify", "--database", "sqlite:///y.db"])
    assert args.database == "sqlite:///y.db"


@pytest.mark.parametrize("argv, env, needle", [
    (["--lang", "fr", "score"], {}, "invalid choice"),
    (["score", "--instrument", "csc", "x.csv"], {"EPRO_LANG": "fr"}, "EPRO_LANG"),
    (["--database", "notaurl", "audit", "verify"], {}, "not valid"),
    (["audit", "verify", "--database", "mysql://h/db"], {}, "not valid"),
    (["audit"], {}, "needs a sub-command"),
])
def test_bad_input_is_one_line_and_status_2(monkeypatch, capsys, argv, env, needle) -> None:
    monkeypatch.delenv("EPRO_LANG", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(SystemExit) as exc_info:
        code = main.main(argv)
        raise SystemExit(code)
    assert exc_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err and needle in err[-1]
    assert not any("Traceback" in line for line in err)


@pytest.mark.parametrize("url", ["sqlite:///tmp/x.db", "postgresql+psycopg://u:p@h/db",
                                 "postgresql://h/db", None])
def test_valid_database_urls_pass_the_form_check(url) -> None:
    main.check_database_url(url)
