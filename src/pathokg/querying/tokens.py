"""Read a SPARQL text once, into tokens, and write those tokens back as one canonical text.

This is the one reading of a query (see :mod:`pathokg.querying.safety`): the safety rules look at
these tokens, and what the engine parses is the canonical text written from the same tokens, in a
form whose tokens no SPARQL parser can split differently:

* comments are dropped; whitespace between tokens becomes a single space, or the original number
  of line breaks (so that line numbers stay those of the text the user wrote); tokens written
  together stay together (Oxigraph refuses ``CONCAT (`` though SPARQL allows the space);
* strings are written as ``"..."`` with only the escapes ``\\\\ \\" \\n \\r \\t \\b \\f``;
* an IRI ``<...>`` is written with its escapes decoded and its first character as a ``\\u``
  escape: a parser can then read it only as an IRI (or fail), never as a ``<`` operator followed
  by an expression (``?a<?b&&?c>?d`` is an IRI by SPARQL's longest-token rule, as here);
* codepoint escapes (``\\u``, ``\\U``) outside strings and IRIs are refused: SPARQL 1.1 reads
  them anywhere, Oxigraph does not, so such a text would mean two different queries.

The terminals are those of the SPARQL 1.1 grammar (section 19.8); a comment ends at a carriage
return or a line feed, as the grammar says (rdflib read a bare carriage return as part of the
comment, Oxigraph does not: that disagreement is what let ``# x<CR>SERVICE`` through before).
Python's regular expressions do the scanning, with possessive repeats so that no input makes them
backtrack.

>>> [t.kind for t in tokenize("SELECT * { ?s <p> 'x' } # done")]
['WORD', 'PUNCT', 'PUNCT', 'VAR', 'IRI', 'STRING', 'PUNCT']
>>> canonical("SELECT ?x WHERE { ?x <p> 'it' . # a comment\\r }")
'SELECT ?x WHERE { ?x <\\\\u0070> "it" .\\n}'
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from ..errors import QuerySyntaxError

_HEX = "[0-9A-Fa-f]"
_UCHAR = rf"\\u{_HEX}{{4}}|\\U{_HEX}{{8}}"
_ECHAR = r"""\\[tbnrf"'\\]"""
_PN_CHARS_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
                  "\u200c\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
                  "\U00010000-\U000effff")
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
# "No trailing dot" written as "dots only before a character", with possessive repeats: a long
# word that is not a prefixed name fails at once instead of backtracking.
_PN_PREFIX = rf"[{_PN_CHARS_BASE}](?:\.*+[{_PN_CHARS}])*+"
_PN_LOCAL = rf"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:\.*+(?:[{_PN_CHARS}:]|{_PLX}))*+"
_VARNAME = rf"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f\u2040]*+"
_EXP = "[eE][+-]?[0-9]+"
_LONG2 = rf'"""(?:(?:"|"")?(?:[^"\\]|{_ECHAR}|{_UCHAR}))*+"""'
_LONG1 = _LONG2.replace('"', "'")

#: Token kinds, tried in this order at each position (longest forms first where two overlap).
_SPEC = [
    ("IRI", rf"<(?:[^<>\"{{}}|^`\\\x00-\x20]|{_UCHAR})*+>"),
    ("LSTRING", f"{_LONG2}|{_LONG1}"),
    ("STRING", rf'"(?:[^"\\\r\n]|{_ECHAR}|{_UCHAR})*+"|\'(?:[^\'\\\r\n]|{_ECHAR}|{_UCHAR})*+\''),
    ("VAR", rf"[?$]{_VARNAME}"),
    ("BNODE", rf"_:[{_PN_CHARS_U}0-9](?:\.*+[{_PN_CHARS}])*+"),
    ("PNAME", rf"(?>{_PN_PREFIX})?:(?:{_PN_LOCAL})?+"),
    ("NUMBER", rf"[+-]?(?:[0-9]+\.[0-9]*{_EXP}|\.[0-9]+{_EXP}|[0-9]+{_EXP}|[0-9]*\.[0-9]+|[0-9]+)"),
    ("LANGTAG", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?"),
    ("WORD", r"[A-Za-z][A-Za-z0-9_]*+"),
    ("PUNCT", r"\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.=<>!+\-*/^|?]"),
]
#: Whitespace and comments (a comment ends at CR or LF), skipped before each token.
_TRIVIA = r"(?:[ \t\r\n]++|#[^\r\n]*+)*+"
_MASTER = re.compile(_TRIVIA + "(?:" + "|".join(f"(?P<{k}>{p})" for k, p in _SPEC) + ")")
_ONLY_TRIVIA = re.compile(_TRIVIA)
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(rf"{_ECHAR}|{_UCHAR}")
_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_WRITE = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
                        "\b": "\\b", "\f": "\\f"})
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class Token(NamedTuple):
    """One token: its kind, its value (decoded for strings and IRIs) and where it is in the text."""

    kind: str
    value: str
    start: int
    end: int


def position(text: str, offset: int) -> tuple[int, int]:
    """The line and column (both from 1) of a character offset; CR, LF and CRLF end lines.

    >>> position("ab\\r\\ncd", 5)
    (2, 2)
    """
    breaks = list(_LINE_BREAK.finditer(text, 0, offset))
    line_start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, offset - line_start + 1


def error_at(text: str, offset: int, message: str) -> QuerySyntaxError:
    """A syntax error pointing at ``offset`` of ``text``: line, column, the line and a caret."""
    line, column = position(text, offset)
    lines = _LINE_BREAK.split(text)
    shown = lines[line - 1] if line <= len(lines) else ""
    return QuerySyntaxError(f"SPARQL syntax error at line {line}, column {column}: {message}"
                            f"\n  {shown}\n  {' ' * (column - 1)}^")


def _unescape(text: str, start: int, end: int) -> str:
    raw = text[start:end]
    if "\\" not in raw:
        return raw

    def one(match: re.Match[str]) -> str:
        escape = match.group()
        if escape[1] in "uU":
            code = int(escape[2:], 16)
            if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
                raise error_at(text, start + match.start(),
                               f"{escape} is not a character (a surrogate or beyond U+10FFFF)")
            return chr(code)
        return _ESCAPES[escape[1]]

    return _ESCAPE.sub(one, raw)


def tokenize(text: str) -> list[Token]:
    """The tokens of a query text, without whitespace and comments; a leading byte-order mark is
    skipped.

    :raises QuerySyntaxError: a character no token can start with, an unterminated string or IRI,
        an escape that is not a character, or a codepoint escape outside a string or an IRI.
    """
    tokens: list[Token] = []
    append = tokens.append
    make = Token._make
    pos = 1 if text.startswith("\ufeff") else 0
    for m in _MASTER.finditer(text, pos):
        if m.start() != pos:
            break
        kind: str = m.lastgroup  # type: ignore[assignment]
        start = m.start(kind)
        pos = m.end()
        if kind == "IRI":
            value = _unescape(text, start + 1, pos - 1)
            bad = _IRI_FORBIDDEN.search(value)
            if bad:
                raise error_at(text, start, "an escape in this IRI makes a character IRIs cannot "
                                            f"hold ({bad.group()!r})")
        elif kind == "STRING":
            value = _unescape(text, start + 1, pos - 1)
        elif kind == "LSTRING":
            kind, value = "STRING", _unescape(text, start + 3, pos - 3)
        else:
            value = m.group(kind)
        append(make((kind, value, start, pos)))
    rest = _ONLY_TRIVIA.match(text, pos)
    if rest is not None and rest.end() < len(text):
        raise _unreadable(text, rest.end())
    return tokens


def _unreadable(text: str, pos: int) -> QuerySyntaxError:
    char = text[pos]
    if text.startswith(("\\u", "\\U"), pos):
        return error_at(text, pos, "codepoint escapes (\\u, \\U) are accepted only inside strings "
                                   "and IRIs: write the character itself")
    if char in "\"'":
        return error_at(text, pos, "this string is not closed on its line (or has an escape "
                                   "SPARQL does not know); long strings use triple quotes")
    if 0xD800 <= ord(char) <= 0xDFFF:
        return error_at(text, pos, "the text holds a lone surrogate, which is not a character")
    return error_at(text, pos, f"unexpected character {char!r} (U+{ord(char):04X})")


def write_token(token: Token) -> str:
    """A token as the canonical text writes it."""
    if token.kind == "STRING":
        return f'"{token.value.translate(_WRITE)}"'
    if token.kind == "IRI":
        value = token.value
        if not value:
            return "<>"
        code = ord(value[0])
        first = f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"
        return f"<{first}{value[1:]}>"
    return token.value


def write_term(kind: str, value: str) -> str:
    """An IRI (``kind`` ``"IRI"``) or a string literal (``"STRING"``) as a canonical token.

    >>> write_term("STRING", 'a\\nb\\\\"')
    '"a\\\\nb\\\\\\\\\\\\""'
    """
    return write_token(Token(kind, value, 0, 0))


def write(text: str, tokens: list[Token]) -> tuple[str, list[int]]:
    """The canonical text of ``tokens`` (read from ``text``) and where each token starts in it."""
    parts: list[str] = []
    starts: list[int] = []
    length = 0
    previous = 0
    count = _LINE_BREAK.findall
    for token in tokens:
        start = token.start
        if start == previous:
            gap = ""
        elif start - previous == 1 and text[previous] == " ":
            gap = " "
        else:
            breaks = len(count(text, previous, start))
            gap = "\n" * breaks if breaks else " "
        if not parts and gap == " ":
            gap = ""
        written = write_token(token) if token.kind in ("STRING", "IRI") else token.value
        parts.append(gap)
        parts.append(written)
        length += len(gap)
        starts.append(length)
        length += len(written)
        previous = token.end
    return "".join(parts), starts


def canonical(text: str) -> str:
    """The canonical text of a query (see the module's description)."""
    return write(text, tokenize(text))[0]


def original_offset(text: str, tokens: list[Token], starts: list[int], offset: int) -> int:
    """The offset in the original ``text`` of a character offset of its canonical text: inside a
    token, the same place in that token as written; between tokens, the next token (or the end).

    >>> text = "ASK  {  # comment\\n"
    >>> tokens = tokenize(text)
    >>> written, starts = write(text, tokens)
    >>> written, original_offset(text, tokens, starts, len(written))
    ('ASK {', 18)
    """
    index = bisect.bisect_right(starts, offset) - 1
    if index >= 0:
        token = tokens[index]
        inside = offset - starts[index]
        if inside < len(write_token(token)):
            return min(token.start + inside, token.end - 1)
    following = index + 1
    return tokens[following].start if following < len(tokens) else len(text)
