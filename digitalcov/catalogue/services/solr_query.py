"""The subset of Solr query syntax CKAN clients send in `fq` (and as `field:value` terms in `q`),
turned into database conditions. CKAN passes these straight to Solr (ckan/lib/search/query.py); we
have no Solr, so we parse the part people use and refuse the rest with CKAN's "Search Error" (409).

Supported:
- fields: `organization`, `owner_org`, `tags`, `res_format`, `license_id` (or `license`), `groups`,
  `name`, `id`, `capacity` (`public`/`private`), `dataset_type`/`type` (`dataset`);
- values: bare words (`tags:economy`) or "quoted phrases" (`tags:"air quality"`), and a list of values
  in brackets (`res_format:(CSV OR JSON)`);
- `AND`, `OR`, `NOT`, `+`/`-` prefixes and brackets; terms side by side mean AND (CKAN's q.op).
Not supported (Search Error): wildcards (`*`, `?`), ranges (`[a TO b]`), fuzzy/boost (`~`, `^`), other
fields, and `*:*` inside an expression (it is accepted alone, meaning "everything").
"""

from __future__ import annotations

import re
import uuid

from django.db.models import Q

from ..models import Dataset, Resource
from .errors import SearchError

_TOKEN = re.compile(r'\s*(\(|\)|"(?:[^"\\]|\\.)*"|[^\s()"\\]+:(?="|\()|(?:\\.|[^\s()"\\])+)')
FIELDS = (
    "organization",
    "owner_org",
    "tags",
    "res_format",
    "license_id",
    "license",
    "groups",
    "name",
    "id",
    "capacity",
    "dataset_type",
    "type",
)


def _through(field: str):
    return getattr(Dataset, field).through.objects


def leaf(field: str, value: str) -> Q:
    """The condition for one `field:value` clause. Many-valued fields use `id IN (subquery)` so that
    `tags:a AND tags:b` means two different tags, not one tag named both."""
    if field == "organization":
        return Q(organisation__name=value)
    if field == "owner_org":
        return Q(organisation_id=_uuid(value)) if _uuid(value) else Q(organisation__name=value)
    if field == "tags":
        return Q(id__in=_through("tags").filter(tag__name=value).values("dataset_id"))
    if field == "groups":
        return Q(id__in=_through("themes").filter(theme__name=value).values("dataset_id"))
    if field == "res_format":
        return Q(id__in=Resource.objects.filter(format__iexact=value).values("dataset_id"))
    if field in ("license_id", "license"):
        return Q(licence_id=value) | Q(licence__ckan_id=value)
    if field == "name":
        return Q(name=value)
    if field == "id":
        return Q(id=_uuid(value)) if _uuid(value) else Q(pk__in=[])
    if field == "capacity":
        if value not in ("public", "private"):
            raise SearchError(f"capacity must be public or private, not {value!r}")
        return Q(private=value == "private")
    # dataset_type / type: every dataset here is of type "dataset".
    return Q() if value == "dataset" else Q(pk__in=[])


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = [match.group(1) for match in _TOKEN.finditer(text)]
        if "".join(self.tokens).replace(" ", "") != text.replace(" ", "").replace("\t", "").replace("\n", ""):
            raise SearchError(f"Cannot parse the query {text!r}: unbalanced quotes")
        self.position = 0

    def peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise SearchError(f"Cannot parse the query {self.text!r}: it ends too soon")
        self.position += 1
        return token

    def parse(self) -> Q:
        condition = self.or_expression()
        if self.peek() is not None:
            raise SearchError(f"Cannot parse the query {self.text!r} near {self.peek()!r}")
        return condition

    def or_expression(self) -> Q:
        condition = self.and_expression()
        while self.peek() in ("OR", "||"):
            self.take()
            condition = condition | self.and_expression()
        return condition

    def and_expression(self) -> Q:
        condition = self.unary()
        while self.peek() not in (None, ")", "OR", "||"):
            if self.peek() in ("AND", "&&"):
                self.take()
            condition = condition & self.unary()
        return condition

    def unary(self) -> Q:
        token = self.peek()
        if token in ("NOT", "!"):
            self.take()
            return ~self.unary()
        if token and token[0] in "+-" and len(token) > 1:
            self.tokens[self.position] = token[1:]
            return ~self.primary() if token[0] == "-" else self.primary()
        return self.primary()

    def primary(self) -> Q:
        token = self.take()
        if token == "(":  # noqa: S105 - a query token, not a password
            condition = self.or_expression()
            if self.take() != ")":
                raise SearchError(f"Cannot parse the query {self.text!r}: missing ')'")
            return condition
        field, colon, value = token.partition(":")
        if not colon or field not in FIELDS:
            raise SearchError(
                f"Unsupported query term {token!r}: fq accepts field:value clauses on {', '.join(FIELDS)}"
            )
        if value == "":
            return self.values(field)
        return leaf(field, _value(value))

    def values(self, field: str) -> Q:
        """`field:"a phrase"` or `field:(a OR b ...)`."""
        token = self.take()
        if token.startswith('"'):
            return leaf(field, _value(token))
        if token != "(":  # noqa: S105 - a query token, not a password
            raise SearchError(f"Cannot parse the value of {field!r} in {self.text!r}")
        condition, joiner = None, "OR"
        while self.peek() not in (None, ")"):
            token = self.take()
            if token in ("OR", "AND", "||", "&&"):
                joiner = "AND" if token in ("AND", "&&") else "OR"
                continue
            term = leaf(field, _value(token))
            condition = (
                term if condition is None else (condition & term if joiner == "AND" else condition | term)
            )
            joiner = "OR"  # Solr's default inside a field group is the query's q.op; CKAN lists mean any
        if self.take() != ")" or condition is None:
            raise SearchError(f"Cannot parse the values of {field!r} in {self.text!r}")
        return condition


def _value(token: str) -> str:
    if token.startswith('"'):
        return re.sub(r"\\(.)", r"\1", token[1:-1])
    if any(char in token for char in "*?~^[]{}"):
        raise SearchError(f"Wildcard, range, fuzzy and boost queries are not supported: {token!r}")
    return re.sub(r"\\(.)", r"\1", token)


def parse_filter(text: str) -> Q:
    """The condition an `fq` string stands for; SearchError when it is outside the subset."""
    text = (text or "").strip()
    if text in ("", "*:*"):
        return Q()
    return _Parser(text).parse()


_FIELD_TERM = re.compile(r"(?:^|\s)([+-]?(?:" + "|".join(FIELDS) + r'):(?:"[^"]*"|\([^)]*\)|\S+))')


def split_text_query(q: str) -> tuple[str, str]:
    """Split `q` into its free text and its `field:value` terms (CKAN clients put both in q)."""
    q = (q or "").strip()
    if q in ("", "*:*", "*"):
        return "", ""
    terms = [match.group(1) for match in _FIELD_TERM.finditer(q)]
    text = _FIELD_TERM.sub(" ", q).strip()
    return text, " ".join(terms)
