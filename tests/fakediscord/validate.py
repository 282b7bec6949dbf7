"""Discord's documented rules for application commands and message bodies.

Every function returns a list of human-readable violations; an empty list means the
payload would be accepted by Discord.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

CHAT_INPUT, USER, MESSAGE = 1, 2, 3
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, NUMBER, CHANNEL = 3, 4, 10, 7
VALID_OPTION_TYPES = frozenset(range(1, 12))
CHOICE_TYPES = {STRING: (str,), INTEGER: (int,), NUMBER: (int, float)}
MAX_COMMANDS = {CHAT_INPUT: 100, USER: 15, MESSAGE: 15}
MAX_OPTIONS = 25
MAX_CHOICES = 25
MAX_COMMAND_CHARS = 4000

EMBED_LIMITS = {"title": 256, "description": 4096}
MAX_EMBED_FIELDS = 25
MAX_EMBED_TOTAL = 6000


def _name_char_ok(ch: str) -> bool:
    """One character of ``^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]``."""
    if ch in "-_'":
        return True
    if unicodedata.category(ch)[0] in "LN":
        return True
    return 0x0900 <= ord(ch) <= 0x097F or 0x0E00 <= ord(ch) <= 0x0E7F


def check_name(name: Any, where: str, *, chat_input: bool = True) -> list[str]:
    """Name rules: 1-32 chars; CHAT_INPUT names also lower case and from the regex."""
    if not isinstance(name, str) or not 1 <= len(name) <= 32:
        return [f"{where}: name {name!r} must be 1-32 characters"]
    if not chat_input:
        return []
    errors = []
    if not all(_name_char_ok(ch) for ch in name):
        errors.append(f"{where}: name {name!r} must match ^[-_'\\p{{L}}\\p{{N}}]{{1,32}}$")
    if name != name.lower():
        errors.append(f"{where}: name {name!r} must be lower case")
    return errors


def check_description(desc: Any, where: str) -> list[str]:
    """CHAT_INPUT commands and options need a 1-100 character description."""
    if not isinstance(desc, str) or not 1 <= len(desc) <= 100:
        size = len(desc) if isinstance(desc, str) else desc
        return [f"{where}: description must be 1-100 characters (got {size!r})"]
    return []


def _longest(text: Any, localizations: Mapping[str, str] | None) -> int:
    """Length of a field counting its longest localization, as Discord does."""
    values = [text or "", *(localizations or {}).values()]
    return max(len(str(v)) for v in values)


def command_size(command: Mapping[str, Any]) -> int:
    """Characters that count toward the 4,000 limit: names, descriptions, choice values."""

    def walk(node: Mapping[str, Any]) -> int:
        total = _longest(node.get("name"), node.get("name_localizations"))
        total += _longest(node.get("description"), node.get("description_localizations"))
        for choice in node.get("choices") or []:
            total += _longest(choice.get("name"), choice.get("name_localizations"))
            total += len(str(choice.get("value", "")))
        return total + sum(walk(opt) for opt in node.get("options") or [])

    return walk(command)


def _check_choices(opt: Mapping[str, Any], where: str) -> list[str]:
    choices = opt.get("choices") or []
    errors: list[str] = []
    if not choices:
        return errors
    otype = opt.get("type")
    if otype not in CHOICE_TYPES:
        return [f"{where}: choices are only allowed on string, integer and number options"]
    if len(choices) > MAX_CHOICES:
        errors.append(f"{where}: {len(choices)} choices (max {MAX_CHOICES})")
    if opt.get("autocomplete"):
        errors.append(f"{where}: autocomplete may not be combined with choices")
    for i, choice in enumerate(choices):
        cname, value = choice.get("name"), choice.get("value")
        if not isinstance(cname, str) or not 1 <= len(cname) <= 100:
            errors.append(f"{where}.choices[{i}]: name must be 1-100 characters")
        ok_types = CHOICE_TYPES[otype]
        if isinstance(value, bool) or not isinstance(value, ok_types):
            errors.append(f"{where}.choices[{i}]: value {value!r} does not fit option type {otype}")
        elif isinstance(value, str) and len(value) > 100:
            errors.append(f"{where}.choices[{i}]: string value longer than 100 characters")
    return errors


def _check_value_option(opt: Mapping[str, Any], where: str) -> list[str]:
    """Rules for a leaf (non-subcommand) option."""
    errors = _check_choices(opt, where)
    otype = opt.get("type")
    if opt.get("autocomplete") and otype not in CHOICE_TYPES:
        errors.append(f"{where}: autocomplete is only allowed on string, integer and number")
    if otype not in (INTEGER, NUMBER) and (
        opt.get("min_value") is not None or opt.get("max_value") is not None
    ):
        errors.append(f"{where}: min_value/max_value are only for integer and number options")
    for key in ("min_length", "max_length"):
        value = opt.get(key)
        if value is None:
            continue
        if otype != STRING:
            errors.append(f"{where}: {key} is only for string options")
        elif not 0 <= value <= 6000 or (key == "max_length" and value < 1):
            errors.append(f"{where}: {key} {value} out of range")
    if opt.get("channel_types") and otype != CHANNEL:
        errors.append(f"{where}: channel_types is only for channel options")
    return errors


def _check_options(options: list[Mapping[str, Any]], where: str, depth: int) -> list[str]:
    """Check one options array; depth 0 = command, 1 = group or subcommand, 2 = subcommand."""
    errors: list[str] = []
    if len(options) > MAX_OPTIONS:
        errors.append(f"{where}: {len(options)} options (max {MAX_OPTIONS})")
    names = Counter(opt.get("name") for opt in options)
    errors += [f"{where}: duplicate option name {n!r}" for n, c in names.items() if c > 1]
    kinds = {opt.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP) for opt in options}
    if len(kinds) > 1:
        errors.append(f"{where}: subcommands cannot be mixed with other options")
    seen_optional = False
    for i, opt in enumerate(options):
        owhere = f"{where}.options[{i}]({opt.get('name')})"
        otype = opt.get("type")
        errors += check_name(opt.get("name"), owhere)
        errors += check_description(opt.get("description"), owhere)
        if otype not in VALID_OPTION_TYPES:
            errors.append(f"{owhere}: unknown option type {otype!r}")
            continue
        if otype == SUB_COMMAND_GROUP:
            if depth != 0:
                errors.append(f"{owhere}: subcommand groups are only allowed at the top level")
            children = opt.get("options") or []
            if not children:
                errors.append(f"{owhere}: a subcommand group needs at least one subcommand")
            if any(child.get("type") != SUB_COMMAND for child in children):
                errors.append(f"{owhere}: a subcommand group may only contain subcommands")
            errors += _check_options(children, owhere, depth + 1)
        elif otype == SUB_COMMAND:
            if depth > 1:
                errors.append(f"{owhere}: subcommands nest at most two levels deep")
            children = opt.get("options") or []
            if any(child.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP) for child in children):
                errors.append(f"{owhere}: a subcommand may not contain subcommands")
            errors += _check_options(children, owhere, 2)
        else:
            if opt.get("options"):
                errors.append(f"{owhere}: only subcommands and groups may have options")
            errors += _check_value_option(opt, owhere)
            if opt.get("required"):
                if seen_optional:
                    errors.append(f"{owhere}: required option after an optional option")
            else:
                seen_optional = True
    return errors


def validate_command(command: Mapping[str, Any], where: str = "command") -> list[str]:
    """Check one application command payload."""
    ctype = command.get("type", CHAT_INPUT)
    where = f"{where}({command.get('name')})"
    if ctype not in MAX_COMMANDS:
        return [f"{where}: unsupported command type {ctype!r}"]
    errors = check_name(command.get("name"), where, chat_input=ctype == CHAT_INPUT)
    if ctype != CHAT_INPUT:
        if command.get("description"):
            errors.append(f"{where}: USER/MESSAGE commands must have an empty description")
        if command.get("options"):
            errors.append(f"{where}: only CHAT_INPUT commands may have options")
        return errors
    errors += check_description(command.get("description"), where)
    errors += _check_options(list(command.get("options") or []), where, 0)
    size = command_size(command)
    if size > MAX_COMMAND_CHARS:
        errors.append(f"{where}: {size} characters in names/descriptions/values (max 4000)")
    return errors


def validate_command_payloads(commands: Iterable[Mapping[str, Any]]) -> list[str]:
    """Check a bulk-overwrite payload: every command, per-type counts and name uniqueness."""
    commands = list(commands)
    errors: list[str] = []
    for i, command in enumerate(commands):
        errors += validate_command(command, f"commands[{i}]")
    by_type = Counter(command.get("type", CHAT_INPUT) for command in commands)
    for ctype, count in by_type.items():
        limit = MAX_COMMANDS.get(ctype)
        if limit is not None and count > limit:
            errors.append(f"{count} commands of type {ctype} (max {limit})")
    keys = Counter((command.get("type", CHAT_INPUT), command.get("name")) for command in commands)
    errors += [
        f"duplicate command name {name!r} (type {t})" for (t, name), c in keys.items() if c > 1
    ]
    return errors


def _embed_errors(embed: Mapping[str, Any], where: str) -> list[str]:
    errors = []
    for key, limit in EMBED_LIMITS.items():
        if len(embed.get(key) or "") > limit:
            errors.append(f"{where}: {key} longer than {limit}")
    fields = embed.get("fields") or []
    if len(fields) > MAX_EMBED_FIELDS:
        errors.append(f"{where}: {len(fields)} fields (max {MAX_EMBED_FIELDS})")
    for i, field in enumerate(fields):
        if not 1 <= len(field.get("name") or "") <= 256:
            errors.append(f"{where}.fields[{i}]: name must be 1-256 characters")
        if not 1 <= len(field.get("value") or "") <= 1024:
            errors.append(f"{where}.fields[{i}]: value must be 1-1024 characters")
    footer = (embed.get("footer") or {}).get("text") or ""
    author = (embed.get("author") or {}).get("name") or ""
    if len(footer) > 2048:
        errors.append(f"{where}: footer text longer than 2048")
    if len(author) > 256:
        errors.append(f"{where}: author name longer than 256")
    total = sum(len(embed.get(k) or "") for k in EMBED_LIMITS) + len(footer) + len(author)
    total += sum(len(f.get("name") or "") + len(f.get("value") or "") for f in fields)
    if total > MAX_EMBED_TOTAL:
        errors.append(f"{where}: {total} characters in total (max {MAX_EMBED_TOTAL})")
    return errors


def validate_message_payload(body: Mapping[str, Any]) -> list[str]:
    """Check a message body (content, embeds, components) against Discord's limits."""
    errors = []
    content = body.get("content")
    if content is not None and len(str(content)) > 2000:
        errors.append(f"content: {len(str(content))} characters (max 2000)")
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        errors.append(f"embeds: {len(embeds)} embeds (max 10)")
    for i, embed in enumerate(embeds):
        errors += _embed_errors(embed, f"embeds[{i}]")
    rows = [c for c in body.get("components") or [] if c.get("type") == 1]
    if len(rows) > 5:
        errors.append(f"components: {len(rows)} action rows (max 5)")
    for i, row in enumerate(rows):
        children = row.get("components") or []
        if len(children) > 5:
            errors.append(f"components[{i}]: {len(children)} components (max 5)")
        for child in children:
            if len(child.get("custom_id") or "") > 100:
                errors.append(f"components[{i}]: custom_id longer than 100")
    return errors
