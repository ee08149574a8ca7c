"""POSIX regular expressions (regcomp/regexec, as the server's `cmp_regex` uses) on Python's `re`.

Flags are regcomp's: REG_EXTENDED 1, REG_ICASE 2, REG_NOSUB 4, REG_NEWLINE 8. Without
REG_EXTENDED the pattern is a basic RE (BRE, with the GNU extensions `\\+ \\? \\|`): `( ) { } + ? |`
are literals and their backslashed forms are operators. Bracket expressions keep POSIX meaning
(backslash is literal inside them, `[:class:]` names work). Without REG_NEWLINE `.` matches a
newline and `^`/`$` only match at the ends; with it, as Python's MULTILINE without DOTALL.
regexec searches anywhere in the subject, so `search` is used; only match/no match matters, which
makes POSIX leftmost-longest versus Python leftmost-first irrelevant.
"""

from __future__ import annotations

import re

REG_EXTENDED = 1
REG_ICASE = 2
REG_NOSUB = 4
REG_NEWLINE = 8

_CLASSES = {
    "alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
    "space": " \\t\\n\\r\\f\\v", "blank": " \\t", "xdigit": "0-9A-Fa-f", "cntrl": "\\x00-\\x1f\\x7f",
    "print": "\\x20-\\x7e", "graph": "\\x21-\\x7e",
    "punct": re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
}


def _bracket(pattern: str, i: int, newline: bool) -> tuple[str, int]:
    """Translate the bracket expression starting at pattern[i] == '['; returns (text, next i)."""
    n = len(pattern)
    i += 1
    out = ["["]
    negate = i < n and pattern[i] == "^"
    if negate:
        out.append("^")
        if newline:
            out.append("\\n")
        i += 1
    first = True
    while True:
        if i >= n:
            raise re.error("unterminated bracket expression")
        c = pattern[i]
        if c == "]" and not first:
            out.append("]")
            return "".join(out), i + 1
        first = False
        if c == "[" and i + 1 < n and pattern[i + 1] in ":=.":
            kind = pattern[i + 1]
            end = pattern.find(kind + "]", i + 2)
            if end < 0:
                raise re.error("unterminated [%s" % kind)
            name = pattern[i + 2:end]
            if kind == ":":
                if name not in _CLASSES:
                    raise re.error("unknown character class %r" % name)
                out.append(_CLASSES[name])
            else:
                out.append(re.escape(name))
            i = end + 2
            continue
        if c == "-" and out[-1] not in ("[", "^") and i + 1 < n and pattern[i + 1] != "]":
            out.append("-")
        elif c in "\\[]^-&~|":
            out.append("\\" + c)
        else:
            out.append(c)
        i += 1


def translate(pattern: str, flags: int) -> str:
    extended = bool(flags & REG_EXTENDED)
    newline = bool(flags & REG_NEWLINE)
    out: list[str] = []
    i, n = 0, len(pattern)
    at_start = True  # where a BRE '*' is literal
    while i < n:
        c = pattern[i]
        if c == "[":
            text, i = _bracket(pattern, i, newline)
            out.append(text)
            at_start = False
            continue
        if c == "\\":
            if i + 1 >= n:
                raise re.error("trailing backslash")
            d = pattern[i + 1]
            i += 2
            if not extended and d in "(){}|+?":
                out.append(d)
                at_start = d in "(|"
                continue
            if d == "<":
                out.append(r"\b(?=\w)")
            elif d == ">":
                out.append(r"\b(?<=\w)")
            elif d in "wWsSbB" or d.isdigit():
                out.append("\\" + d)
            elif d == "`":
                out.append(r"\A")
            elif d == "'":
                out.append(r"\Z")
            else:
                out.append(re.escape(d))
            at_start = False
            continue
        if not extended and c in "(){}|+?":
            out.append("\\" + c)
        elif not extended and c == "*" and at_start:
            out.append("\\*")
        elif c == "^":
            out.append("^" if (extended or at_start) else "\\^")
            at_start = not extended
            i += 1
            continue
        elif c == "$":
            last = i + 1 == n or (not extended and pattern.startswith("\\)", i + 1))
            anchor = "$" if newline else r"\Z"  # Python's bare $ also matches before a final newline
            out.append(anchor if (extended or last) else "\\$")
        elif c in ".*(){}|+?":
            out.append(c)
        else:
            out.append(re.escape(c))
        at_start = extended and c in "(|"
        i += 1
    return "".join(out)


def compile_posix(pattern: str, flags: int) -> re.Pattern:
    """A compiled pattern; re.error when regcomp would fail."""
    py_flags = 0
    if flags & REG_ICASE:
        py_flags |= re.IGNORECASE
    if flags & REG_NEWLINE:
        py_flags |= re.MULTILINE
    else:
        py_flags |= re.DOTALL
    return re.compile(translate(pattern, flags), py_flags)
