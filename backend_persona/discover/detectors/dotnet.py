"""C# and .NET: ``*.csproj`` package references and central ``Directory.Packages.props``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from backend_persona.discover.catalog import Known, k, technologies
from backend_persona.discover.evidence import source
from backend_persona.discover.index import FileIndex, display, parent_of
from backend_persona.discover.perfile import per_file
from backend_persona.discover.registry import Finding, detector
from backend_persona.models import Component, Scope, Technology

CATALOG: dict[str, tuple[Known, ...]] = {
    "Microsoft.AspNetCore.": k("ASP.NET Core", "framework"),
    "Microsoft.EntityFrameworkCore": k("EF Core", "data-access"),
    "Microsoft.EntityFrameworkCore.": k("EF Core", "data-access"),
    "Npgsql": k("PostgreSQL", "datastore"),
    "Npgsql.EntityFrameworkCore.PostgreSQL": (Known("EF Core", "data-access"),
                                              Known("PostgreSQL", "datastore")),
    "Pomelo.EntityFrameworkCore.MySql": (Known("EF Core", "data-access"),
                                         Known("MySQL", "datastore")),
    "Microsoft.EntityFrameworkCore.SqlServer": (Known("EF Core", "data-access"),
                                                Known("SQL Server", "datastore")),
    "Microsoft.Data.SqlClient": k("SQL Server", "datastore"),
    "MySqlConnector": k("MySQL", "datastore"),
    "MongoDB.Driver": k("MongoDB", "datastore"),
    "StackExchange.Redis": k("Redis", "datastore"),
    "Confluent.Kafka": k("Kafka", "broker"),
    "RabbitMQ.Client": k("RabbitMQ", "broker"),
    "MassTransit": k("MassTransit", "library"),
    "MassTransit.RabbitMQ": k("RabbitMQ", "broker"),
    "Grpc.AspNetCore": (Known("ASP.NET Core", "framework"), Known("gRPC", "rpc")),
    "Grpc.Net.Client": k("gRPC", "rpc"),
    "Dapper": k("Dapper", "data-access"),
    "xunit": k("xUnit", "testing"),
    "NUnit": k("NUnit", "testing"),
    "MSTest.TestFramework": k("MSTest", "testing"),
    "Testcontainers": k("Testcontainers", "testing"),
    "Testcontainers.": k("Testcontainers", "testing"),
    "xunit.v3": k("xUnit", "testing"),
    "Google.Cloud.Spanner.": k("Spanner", "datastore"),
    "Google.Cloud.Firestore": k("Firestore", "datastore"),
    "Google.Cloud.PubSub.V1": k("Google Pub/Sub", "broker"),
    "NATS.Client": k("NATS", "broker"),
    "NATS.Net": k("NATS", "broker"),
    "Elastic.Clients.Elasticsearch": k("Elasticsearch", "datastore"),
    "NEST": k("Elasticsearch", "datastore"),
    # .NET Aspire: hosting packages start a server, client packages connect to one.
    "Aspire.": k(".NET Aspire", "framework"),
    **{f"Aspire.Hosting.{server}": (Known(".NET Aspire", "framework"), *known)
       for server, known in {
           "PostgreSQL": k("PostgreSQL", "datastore"),
           "Redis": k("Redis", "datastore"),
           "Valkey": k("Valkey", "datastore"),
           "MongoDB": k("MongoDB", "datastore"),
           "MySql": k("MySQL", "datastore"),
           "SqlServer": k("SQL Server", "datastore"),
           "Elasticsearch": k("Elasticsearch", "datastore"),
           "RabbitMQ": k("RabbitMQ", "broker"),
           "Kafka": k("Kafka", "broker"),
           "Nats": k("NATS", "broker"),
       }.items()},
    "Aspire.StackExchange.Redis.": (Known(".NET Aspire", "framework"),
                                    Known("Redis", "datastore")),
}
# An Aspire client package is the plain client it wraps, plus Aspire itself.
CATALOG.update({
    f"Aspire.{client}": (Known(".NET Aspire", "framework"), *CATALOG[client])
    for client in ("Npgsql", "Npgsql.EntityFrameworkCore.PostgreSQL",
                   "Pomelo.EntityFrameworkCore.MySql", "Microsoft.EntityFrameworkCore.SqlServer",
                   "Microsoft.Data.SqlClient", "StackExchange.Redis", "MongoDB.Driver",
                   "RabbitMQ.Client", "Confluent.Kafka", "NATS.Net")
})

# The version is looked for up to the next tag at most: `[^>]` alone would let an unclosed
# tag send every reference's search to the end of the file.
_REFERENCE = re.compile(
    r"""<Package(?:Reference|Version)\s+(?:Include|Update)\s*=\s*"([\w.-]+)"(?:[^<>]*?"""
    r"""Version\s*=\s*"([^"]*)")?""", re.IGNORECASE)
_WEB_SDK = re.compile(r"""<Project\s+Sdk\s*=\s*"Microsoft\.NET\.Sdk\.Web""", re.IGNORECASE)
_ASPIRE_SDK = re.compile(r"""<Project\s+Sdk\s*=\s*"Aspire\.AppHost\.Sdk""", re.IGNORECASE)
_TEST_PROJECT = re.compile(r"<IsTestProject>\s*true|Microsoft\.NET\.Test\.Sdk", re.IGNORECASE)


@detector("dotnet")
def detect(index: FileIndex) -> Iterator[Finding]:
    """.NET projects, ASP.NET Core, EF Core and their drivers."""
    # Central package management: the props file pins versions, but only a project's own
    # references say which packages it uses, and in which scope.
    central = {parent_of(path): _pinned(index.read_text(path) or "")
               for path in index.named("Directory.Packages.props")}
    for path in index.with_suffix(".csproj", ".fsproj"):
        yield from per_file(index, path, _project, index, path, central)


def _project(
    index: FileIndex, path: str, central: dict[str, dict[str, str]]
) -> Iterator[Finding]:
    text = index.read_text(path)
    if text is None:
        return
    stem = path.rpartition("/")[2].rsplit(".", 1)[0]
    yield Component(path=display(parent_of(path)), name=display(stem),
                    ecosystems=["dotnet"], manifests=[display(path)])
    cited = source(index, path, text)
    if _WEB_SDK.search(text):
        yield Technology(name="ASP.NET Core", category="framework",
                         evidence=[cited.cite("Microsoft.NET.Sdk.Web")])
    if _ASPIRE_SDK.search(text):
        yield Technology(name=".NET Aspire", category="framework",
                         evidence=[cited.cite("Aspire.AppHost.Sdk")])
    scope: Scope = "test" if _TEST_PROJECT.search(text) else "runtime"
    versions = _nearest(central, parent_of(path))
    for match in _REFERENCE.finditer(text):
        package, version = match.groups()
        yield from technologies(CATALOG, package, partial(cited.cite_at, match.start()),
                                version or versions.get(package), scope)


def _pinned(text: str) -> dict[str, str]:
    return {package: version for package, version in _REFERENCE.findall(text) if version}


def _nearest(central: dict[str, dict[str, str]], folder: str) -> dict[str, str]:
    while True:
        if folder in central:
            return central[folder]
        if folder == ".":
            return {}
        folder = parent_of(folder)
