"""The data model of newsprism: articles as read, and the report (schema ``newsprism.report/1``).

The names and meanings of the report's fields are a contract: later versions may add fields, never rename or
repurpose them. ``schema/report.schema.json`` is generated from these models (``newsprism schema``) and kept in
the repository; a test fails when the two drift apart.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_ID = "newsprism.report/1"

Lean = Literal["left", "lean_left", "center", "lean_right", "right"]
Ownership = Literal["public", "private", "state-owned", "state-affiliated", "nonprofit", "cooperative"]
ArticleKind = Literal["article", "aggregator", "snippet"]
Agreement = Literal["all", "most", "some", "single"]
ConflictKind = Literal["number", "date", "entity", "certainty", "claim"]
ActorKind = Literal["person", "organization", "place", "group"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Outlet(_Model):
    """A news outlet as the registry knows it. ``lean`` is only set where a published rating exists."""

    name: str
    domain: str | None = None
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code of the outlet's home country")
    ownership: Ownership | None = None
    owner: str | None = Field(None, description="Who owns or funds the outlet, where the registry knows")
    lean: Lean | None = None
    rating_source: str | None = Field(None, description="Who published the lean rating, e.g. 'AllSides (2019)'")
    matched_by: Literal["url", "record", "text", "site_name"] | None = Field(
        None, description="How the outlet was recognised: the URL's domain, the input record, the text naming "
        "its publisher, or the page's site-name metadata"
    )


class Article(_Model):
    """One report as read and cleaned. ``text`` is the clean text every offset in the report refers to."""

    id: str
    source: str = Field(description="The path or URL as given, with '#N' for a record or snippet within it")
    kind: ArticleKind = "article"
    outlet: Outlet | None = None
    title: str | None = None
    published: str | None = Field(None, description="YYYY-MM-DD or null")
    published_from: Literal["metadata", "record", "url", "text"] | None = Field(
        None, description="Where the publication date was found"
    )
    authors: list[str] = Field(default_factory=list)
    language: str | None = Field(None, description="ISO 639-1 code of the detected language")
    text: str
    removed: list[str] = Field(default_factory=list, description="Lines taken out as page furniture, in order")
    captions: list[str] = Field(default_factory=list, description="Photo captions kept in the text")
    duplicate_of: str | None = None
    parent: str | None = Field(None, description="For a snippet: the id of the aggregator page it was on")
    url: str | None = None
    aggregator_claims: list[str] = Field(
        default_factory=list,
        description="Coverage figures an aggregator page states about itself (its claims, not ours)",
    )

    def excerpt(self, evidence: Evidence) -> str:
        """The text ``evidence`` points at: in the title when it is ``in_title``, else in the clean text."""
        source = (self.title or "") if evidence.in_title else self.text
        return source[evidence.start:evidence.end]


class Evidence(_Model):
    article: str
    text: str
    start: int
    end: int
    in_title: bool = Field(
        False, description="True when start/end refer to the article's title (its headline), not its clean text")
    truncated: bool = Field(
        False, description="The source cut this text off (an excerpt ending in '...'): it supports, never words")


class Detail(_Model):
    """A detail of a fact's wording (a figure, a date, a name, a qualifier) that not every cited article carries."""

    text: str
    start: int = Field(description="Offset of the detail in the fact's text (its wording)")
    end: int
    articles: list[str] = Field(description="The cited articles that carry this detail")


class Fact(_Model):
    id: str
    text: str = Field(description="The wording: one cited article's whole sentence, true for every cited article "
                                  "except for the details listed")
    articles: list[str]
    agreement: Agreement
    evidence: list[Evidence] = Field(default_factory=list)
    details: list[Detail] = Field(default_factory=list)


class ConflictClaim(_Model):
    article: str
    text: str
    value: str | None = None
    start: int | None = Field(None, description="Offset of the claim in the article's text")
    end: int | None = None


class Conflict(_Model):
    id: str
    kind: ConflictKind
    description: str
    claims: list[ConflictClaim]


class QuoteVariant(_Model):
    article: str
    text: str
    start: int | None = Field(None, description="Offset of the quoted words in the article's text")
    end: int | None = None
    differs: bool = Field(False, description="This outlet's wording differs from the quote's main wording")


class Quote(_Model):
    id: str
    speaker: str | None
    text: str
    articles: list[str]
    variants: list[QuoteVariant] = Field(default_factory=list)
    single_outlet: bool = Field(False, description="Only one outlet carries this quote")


class Position(_Model):
    stance: str
    text: str
    articles: list[str]
    evidence: list[Evidence] = Field(default_factory=list)


class Actor(_Model):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: ActorKind
    role: str | None = None
    articles: list[str] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)


class FramingContrast(_Model):
    id: str
    concept: str
    terms: dict[str, list[str]]
    note: str
    source: Literal["lexicon", "statistic"] = "lexicon"
    quoted: dict[str, list[str]] = Field(
        default_factory=dict, description="Term → articles where it appears only inside a quotation (the speaker's word)")
    distancing: dict[str, list[str]] = Field(
        default_factory=dict, description="Term → articles that put it in scare quotes")
    evidence: list[Evidence] = Field(default_factory=list)


class Headline(_Model):
    article: str
    title: str
    verb: str | None = None
    certainty: str | None = Field(None, description="e.g. done, offered, conditional, reported, denied")


class TimelineEntry(_Model):
    date: str = Field(description="YYYY, YYYY-MM or YYYY-MM-DD")
    text: str
    articles: list[str]
    background: bool = Field(False, description="Past context rather than the story's own events")
    evidence: list[Evidence] = Field(default_factory=list)


class LeanCounts(_Model):
    left: int = 0
    lean_left: int = 0
    center: int = 0
    lean_right: int = 0
    right: int = 0
    unknown: int = 0


class Coverage(_Model):
    articles: int = 0
    outlets: int = 0
    lean: LeanCounts = Field(default_factory=LeanCounts)
    countries: dict[str, int] = Field(default_factory=dict)
    ownership: dict[str, int] = Field(default_factory=dict)
    blindspot: str | None = None
    first_published: str | None = None
    last_published: str | None = None
    state_media: list[str] = Field(default_factory=list, description="Names of state-owned or state-affiliated outlets")
    rating_sources: list[str] = Field(default_factory=list, description="Who published the lean ratings counted")
    aggregator_claims: list[ConflictClaim] = Field(
        default_factory=list, description="Coverage figures aggregator pages state about themselves, attributed")


class SummarySentence(_Model):
    text: str = Field(description="A cited article's statement of the fact (with an attribution when it is an "
                                  "outlet's evaluation)")
    articles: list[str]
    evidence: list[Evidence] = Field(default_factory=list)
    fact: str | None = Field(None, description="The id of the fact the sentence states")
    note: str | None = Field(None, description="e.g. that only one source reports this sentence")


class Story(_Model):
    title: str | None = None
    first_published: str | None = None
    last_published: str | None = None


class InputProblem(_Model):
    """An input that could not be read, kept in the report so nothing a user gave is dropped silently."""

    source: str
    message: str


class Report(_Model):
    schema_: str = Field(SCHEMA_ID, alias="schema")
    newsprism_version: str
    generated_at: str
    story: Story = Field(default_factory=Story)
    articles: list[Article] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    framing: list[FramingContrast] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    coverage: Coverage = Field(default_factory=Coverage)
    summary: list[SummarySentence] = Field(default_factory=list)
    omissions: dict[str, list[str]] = Field(
        default_factory=dict, description="Article id → ids of 'all'/'most' facts that article does not carry")
    headlines: list[Headline] = Field(default_factory=list)
    problems: list[InputProblem] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(by_alias=True, indent=indent)


def report_json_schema() -> dict:
    """The JSON Schema of the report, as kept in ``schema/report.schema.json``."""
    schema = Report.model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    return schema
