"""Inputs that once made ``context`` slow, huge or fail, each a repository as {path: content}.

Issue 9 measured the first six (items 5 and 6); the rest are the same mistakes found in
other detectors: a line anchor that runs on over blank lines (``^\\s*``), a search that
restarts from the top per dependency, a scan that runs to the end of the file from every
opening it cannot close. `tests/robustness/test_hostile_manifests.py` asserts what each
must still report; ``make bench`` can import `SLOW_CASES` to time the same bytes. A line
anchor is only slow where its match fails, so blank runs come after the declarations.

Every manifest stays under the file index's 1 MiB read limit, so that it is parsed rather
than skipped for its size.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

GO_MOD = "module example.com/baseline\n\ngo 1.22\n\nrequire github.com/jackc/pgx/v5 v5.5.0\n"


@dataclass(frozen=True)
class SlowCase:
    """A repository, and one technology it must still report with this evidence."""

    files: dict[str, str]
    technology: str
    evidence: str


def package_json(unknown: int = 23_000) -> str:
    """About 920 KB: ``express`` last, on line 23,005, after dependencies nobody knows."""
    dependencies = {f"unknown-package-{n:05d}": f"^1.{n % 50}.0" for n in range(unknown)}
    dependencies["express"] = "^4.19.2"
    return json.dumps({"name": "big", "version": "1.0.0", "dependencies": dependencies},
                      indent=2) + "\n"


def requirements_txt(lines: int = 40_000) -> str:
    """About 1 MB of pinned unknown packages, then ``psycopg`` on line 40,001."""
    body = "".join(f"unknown-pkg-{n:05d}==1.{n % 90}.0\n" for n in range(lines))
    return body + "psycopg[binary]==3.1.18\n"


def known_requirements_txt(lines: int = 30_000) -> str:
    """About 430 KB: every line a different pin of ``redis``, so every line is cited."""
    return "".join(f"redis=={n // 900}.{n // 30 % 30}.{n % 30}\n" for n in range(lines))


def requirements_chain(files: int = 1_000) -> dict[str, str]:
    """A thousand requirements files, each including the next with ``-r``; Redis in each."""
    chain = {}
    for n in range(files):
        include = f"-r requirements-{n + 1:04d}.txt\n" if n + 1 < files else ""
        chain[f"requirements-{n:04d}.txt"] = f"{include}unknown-{n}==1.0\nredis==5.0.{n}\n"
    return chain


def application_properties(lines: int = 7_000) -> str:
    """About 250 KB of JDBC URLs and broker keys, every line a pattern match."""
    rows = []
    for n in range(lines):
        rows.append(f"app.ds{n}.url=jdbc:postgresql://db/app{n}" if n % 2 else
                    f"spring.rabbitmq.host{n}=mq")
    return "\n".join(rows) + "\n"


def application_yaml_blank_lines(blank: int = 250_000) -> str:
    """250 KB of blank lines, then a ``kafka:`` key on line 250,002."""
    return "spring:\n" + "\n" * blank + "  kafka:\n    bootstrap-servers: broker:9092\n"


def application_properties_long_key(repeats: int = 40_000) -> str:
    """A 200 KB key made of ``kafka`` over and over, then a real broker key on line 2."""
    return "kafka" * repeats + "=x\nspring.kafka.bootstrap-servers=broker:9092\n"


def schema_prisma(blocks: int = 47_000) -> str:
    """About 750 KB: one real datasource, then unclosed ``datasource`` openings."""
    head = 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n'
    return head + "datasource db {\n" * blocks


def build_gradle_blank_lines(blank: int = 100_000) -> str:
    """100 KB of blank lines before the dependencies block; the driver is on line 100,004."""
    return ("plugins {\n    id 'java'\n" + "\n" * blank
            + "dependencies {\n    implementation 'org.postgresql:postgresql:42.7.3'\n}\n")


def maven_bom(artifacts: int = 6_400) -> str:
    """About 1 MB: 6,400 managed Quarkus artifacts, then the last one declared, on line 32,010.

    A pin names nothing, but each is cited in turn: the declaration below them all must be
    cited at its own line, after one pass over the pins, not 6,400.
    """
    entries = "".join(
        "    <dependency>\n      <groupId>io.quarkus</groupId>\n"
        f"      <artifactId>quarkus-extension-{n:05d}</artifactId>\n"
        "      <version>3.8.1</version>\n    </dependency>\n"
        for n in range(artifacts))
    last = f"quarkus-extension-{artifacts - 1:05d}"
    return ("<project>\n  <artifactId>bom</artifactId>\n  <dependencyManagement>\n"
            f"  <dependencies>\n{entries}  </dependencies>\n  </dependencyManagement>\n"
            "  <dependencies>\n    <dependency>\n      <groupId>io.quarkus</groupId>\n"
            f"      <artifactId>{last}</artifactId>\n    </dependency>\n  </dependencies>\n"
            "</project>\n")


def pipfile(unknown: int = 30_000) -> str:
    """About 800 KB: 30,000 unknown packages, whose names all start like the known last one.

    Each is cited from where the last citation stopped, so the file is scanned about once:
    `psycopg` on line 30,004 after 30,000 `psycopg-plugin-N` lines, not a search from the top
    for each.
    """
    entries = "".join(f'psycopg-plugin-{n} = "*"\n' for n in range(unknown))
    return f'[[source]]\nname = "pypi"\n[packages]\n{entries}psycopg = "~=3.2"\n'


def kubernetes_blank_lines(blank: int = 100_000) -> str:
    """A Deployment's image on line 5, then 100 KB of blank lines where no image follows."""
    return ("apiVersion: apps/v1\nkind: Deployment\nspec:\n  containers:\n"
            "    - image: postgres:16.3\n" + "\n" * blank)


def terraform_blank_lines(blank: int = 100_000) -> str:
    """An MSK cluster on line 1, then 100 KB of blank lines where no resource follows."""
    return 'resource "aws_msk_cluster" "events" {\n  kafka_version = "3.6.0"\n}\n' + "\n" * blank


def proto_blank_lines(blank: int = 100_000) -> str:
    """A service on line 3, then 100 KB of blank lines where no service follows."""
    return 'syntax = "proto3";\n\nservice Orders {}\n' + "\n" * blank


def csproj_unclosed(references: int = 10_000) -> str:
    """About 500 KB: Npgsql on line 2, then package references whose tags never close."""
    junk = "".join(f'<PackageReference Include="Unknown.Package.{n:05d}"\n'
                   for n in range(references))
    return ('<Project Sdk="Microsoft.NET.Sdk">\n'
            '  <ItemGroup><PackageReference Include="Npgsql" Version="8.0.3" /></ItemGroup>\n'
            + junk)


def mix_exs_unclosed(tuples: int = 26_000) -> str:
    """About 600 KB: Phoenix on line 3, then dependency tuples that never close."""
    return ("defmodule Shop.MixProject do\n  defp deps do\n    [{:phoenix, \"~> 1.7.14\"},\n"
            + "{:unknown_dependency, \n" * tuples)


def gemfile_long_group(spaces: int = 5_000) -> str:
    """A ``group`` line of 5,000 spaces and no ``do``, then Rails on line 3."""
    return ('source "https://rubygems.org"\ngroup' + " " * spaces + 'x\ngem "rails", "7.1.3"\n')


def alias_bomb(key: str, depth: int = 9) -> str:
    """A billion-laughs Compose file, about 530 bytes: each level lists the previous nine times.

    The bomb sits where the detector reads a built service's links (``depends_on``, or a
    value of ``environment``), as in the attack; the file also runs Postgres.
    """
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, depth):
        refs = ",".join(f"*a{level - 1}" for _ in range(9))
        lines.append(f"a{level}: &a{level} [{refs}]")
    body = "\n".join(f"x-{line}" for line in lines)
    value = f"*a{depth - 1}"
    if key == "environment":
        service = f"  app:\n    build: .\n    environment:\n      BOMB: {value}\n"
    else:
        service = f"  app:\n    build: .\n    depends_on: {value}\n"
    return f"{body}\nservices:\n{service}  db:\n    image: postgres:16\n"


def dockerfile_installs(repeats: int = 5_000) -> str:
    """About 230 KB: ffmpeg first, then one install command after another on one line."""
    return ("FROM debian:12\nRUN apt-get install -y ffmpeg && "
            + "apt-get install -y --no-install-recommends -q " * repeats + "\n")


SLOW_CASES: dict[str, SlowCase] = {
    "package.json, 920 KB": SlowCase(
        {"package.json": package_json()}, "Express", "package.json:23005"),
    "requirements.txt, 1 MB": SlowCase(
        {"requirements.txt": requirements_txt()}, "PostgreSQL", "requirements.txt:40001"),
    "requirements.txt, 30k known pins": SlowCase(
        {"requirements.txt": known_requirements_txt()}, "Redis", "requirements.txt:30000"),
    "requirements chain, 1,000 files": SlowCase(
        requirements_chain(), "Redis", "requirements-0000.txt:3"),
    "application.properties, 250 KB": SlowCase(
        {"src/main/resources/application.properties": application_properties()},
        "PostgreSQL", "src/main/resources/application.properties:2"),
    "application.yml, 250 KB of blank lines": SlowCase(
        {"src/main/resources/application.yml": application_yaml_blank_lines()},
        "Kafka", "src/main/resources/application.yml:250002"),
    "application.properties, 200 KB key": SlowCase(
        {"src/main/resources/application.properties": application_properties_long_key()},
        "Kafka", "src/main/resources/application.properties:2"),
    "schema.prisma, 750 KB": SlowCase(
        {"prisma/schema.prisma": schema_prisma()}, "PostgreSQL", "prisma/schema.prisma:2"),
    "build.gradle, 100 KB of blank lines": SlowCase(
        {"build.gradle": build_gradle_blank_lines()}, "PostgreSQL", "build.gradle:100004"),
    "Pipfile, 800 KB": SlowCase(
        {"Pipfile": pipfile()}, "PostgreSQL", "Pipfile:30004"),
    "pom.xml, 1 MB BOM": SlowCase(
        {"pom.xml": maven_bom()}, "Quarkus", "pom.xml:32010"),
    "Kubernetes manifest, 100 KB of blank lines": SlowCase(
        {"k8s/db.yaml": kubernetes_blank_lines()}, "PostgreSQL", "k8s/db.yaml:5"),
    "Terraform, 100 KB of blank lines": SlowCase(
        {"infra/main.tf": terraform_blank_lines()}, "Kafka", "infra/main.tf:1"),
    "csproj, 500 KB of unclosed tags": SlowCase(
        {"src/Shop/Shop.csproj": csproj_unclosed()}, "PostgreSQL", "src/Shop/Shop.csproj:2"),
    "mix.exs, 600 KB of unclosed tuples": SlowCase(
        {"mix.exs": mix_exs_unclosed()}, "Phoenix", "mix.exs:3"),
    "Dockerfile, 230 KB of install commands": SlowCase(
        {"Dockerfile": dockerfile_installs()}, "FFmpeg", "Dockerfile:2"),
    "Gemfile, 5,000 spaces after group": SlowCase(
        {"Gemfile": gemfile_long_group()}, "Rails", "Gemfile:3"),
}
