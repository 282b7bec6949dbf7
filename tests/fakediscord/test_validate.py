"""Unit tests for the application-command validator."""

from __future__ import annotations

from typing import Any

from .validate import command_size, validate_command_payloads


def cmd(name: str = "summary", description: str = "Summarise an article", **extra: Any) -> dict:
    return {"name": name, "description": description, "type": 1, **extra}


def opt(name: str, otype: int = 3, required: bool = False, **extra: Any) -> dict:
    return {
        "name": name,
        "description": f"The {name}",
        "type": otype,
        "required": required,
        **extra,
    }


def test_valid_command_has_no_violations() -> None:
    choices = [{"name": n, "value": n} for n in ("short", "medium", "long")]
    command = cmd(options=[opt("article", required=True), opt("length", choices=choices)])
    assert validate_command_payloads([command]) == []


def test_bad_names_are_reported() -> None:
    errors = validate_command_payloads([cmd("Summary"), cmd("has space"), cmd("x" * 33)])
    assert any("'Summary'" in e and "lower case" in e for e in errors)
    assert any("'has space'" in e for e in errors)
    assert any("1-32" in e for e in errors)


def test_non_latin_lowercase_names_pass() -> None:
    assert validate_command_payloads([cmd("résumé"), cmd("新闻"), cmd("news-2_0")]) == []


def test_description_of_101_chars_is_reported() -> None:
    errors = validate_command_payloads([cmd(description="d" * 101)])
    assert errors == ["commands[0](summary): description must be 1-100 characters (got 101)"]


def test_required_after_optional_is_reported() -> None:
    errors = validate_command_payloads([cmd(options=[opt("a"), opt("b", required=True)])])
    assert any("required option after an optional option" in e for e in errors)


def test_counts_and_uniqueness() -> None:
    many = [opt(f"o{i}") for i in range(26)]
    choices = [{"name": f"c{i}", "value": f"c{i}"} for i in range(26)]
    errors = validate_command_payloads(
        [cmd(options=many), cmd("b", options=[opt("q", choices=choices)]), cmd("b")]
    )
    assert any("26 options" in e for e in errors)
    assert any("26 choices" in e for e in errors)
    assert any("duplicate command name 'b'" in e for e in errors)
    too_many = [cmd(f"c{i}") for i in range(101)]
    assert validate_command_payloads(too_many) == ["101 commands of type 1 (max 100)"]


def test_option_rules() -> None:
    errors = validate_command_payloads(
        [
            cmd(options=[opt("a"), opt("a")]),
            cmd(
                "auto", options=[opt("q", autocomplete=True, choices=[{"name": "x", "value": "x"}])]
            ),
            cmd("kind", options=[opt("n", otype=4, choices=[{"name": "x", "value": "x"}])]),
        ]
    )
    assert any("duplicate option name 'a'" in e for e in errors)
    assert any("autocomplete may not be combined with choices" in e for e in errors)
    assert any("does not fit option type 4" in e for e in errors)


def test_subcommand_nesting() -> None:
    sub = opt("latest", otype=1, options=[opt("topic", required=True)])
    group = opt("feed", otype=2, options=[sub])
    assert validate_command_payloads([cmd("news", options=[group])]) == []
    nested_group = opt("outer", otype=2, options=[opt("inner", otype=2, options=[sub])])
    mixed = [sub, opt("plain")]
    sub_in_sub = opt("bad", otype=1, options=[sub])
    errors = validate_command_payloads(
        [cmd("a", options=[nested_group]), cmd("b", options=mixed), cmd("c", options=[sub_in_sub])]
    )
    assert any("may only contain subcommands" in e for e in errors)
    assert any("cannot be mixed" in e for e in errors)
    assert any("may not contain subcommands" in e for e in errors)


def test_total_size_limit() -> None:
    options = [opt(f"o{i}", description="d" * 100) for i in range(25)]
    choices = [{"name": "n" * 100, "value": "v" * 100} for _ in range(25)]
    options[0]["choices"] = choices
    command = cmd(options=options)
    assert command_size(command) > 4000
    assert any("max 4000" in e for e in validate_command_payloads([command]))


def test_context_menu_commands() -> None:
    user_cmd = {"name": "Who Is This", "description": "", "type": 2}
    assert validate_command_payloads([user_cmd]) == []
    assert validate_command_payloads([user_cmd | {"description": "x"}]) != []
