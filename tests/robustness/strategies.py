"""Hypothesis strategies for hostile project trees: odd names, broken manifests, bad links.

A `TreePlan` is pure data, so that hypothesis can shrink it and a failing case can be kept
as an explicit ``@example``; `build_tree` turns it into real files (and a real repository).
"""

from __future__ import annotations

import json
import os
import string
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from tests.conftest import init_repo

NAME_MAX = 255
# Files planted under these names are always ignored (see `IGNORE_RULES`); random names
# never contain the marker, so the marker must never reach the output.
IGNORED_MARKER = "zzignored"
IGNORE_RULES = f"/{IGNORED_MARKER}-dir/\n{IGNORED_MARKER}-*\n"
# The secret slot of every manifest template; replaced by the example's planted token.
SECRET = "\x00SECRET\x00"  # noqa: S105  (a placeholder, not a credential)
_TOKEN_ALPHABET = string.ascii_letters + string.digits

MANIFEST_NAMES = (
    "go.mod", "Cargo.toml", "pom.xml", "build.gradle", "build.gradle.kts", "package.json",
    "pyproject.toml", "requirements.txt", "compose.yaml", "Chart.yaml", "values.yaml", "main.tf",
    ".env", ".env.example", "application.properties", "application.yml", "appsettings.json",
    "Api.csproj", "Gemfile", "composer.json", "mix.exs", "CMakeLists.txt", "openapi.yaml",
    "deployment.yaml", "gradle.properties", "Dockerfile", "alembic.ini",
)

# Real dependency names, so that detectors take their deep paths, mixed with random text.
_KNOWN = (
    "github.com/gin-gonic/gin", "github.com/jackc/pgx/v5", "express", "@nestjs/core", "pg",
    "org.springframework.boot", "spring-boot-starter-web", "postgresql", "django", "fastapi",
    "sqlalchemy", "redis", "tokio", "axum", "sqlx", "serde", "rails", "pg", "laravel/framework",
    "phoenix", "ecto_sql", "Npgsql.EntityFrameworkCore.PostgreSQL", "Microsoft.AspNetCore",
    "Boost", "kafka", "postgres:16", "bitnami/kafka:3.7", "mongo", "rabbitmq",
)


def _clean_name(name: bytes) -> bool:
    lowered = name.lower()
    # git itself refuses .git look-alikes (".GIT", "git~1"), and .gitignore files are
    # planned separately.
    return (name not in (b".", b"..") and not lowered.startswith(b".git")
            and lowered.rstrip(b". ") != b"git~1" and IGNORED_MARKER.encode() not in lowered
            and b"/" not in name and b"\0" not in name)


# Names as raw bytes: UTF-8 text with control characters and newlines, arbitrary
# non-UTF-8 bytes, and names at or near NAME_MAX.
_text_names = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="/\0"),
    min_size=1, max_size=24,
).map(lambda s: s.encode("utf-8")).filter(lambda b: len(b) <= NAME_MAX)
_byte_names = st.binary(min_size=1, max_size=24)
_long_names = st.builds(
    lambda n, tail: (b"L" * n + tail)[:NAME_MAX],
    st.integers(NAME_MAX - 16, NAME_MAX), st.sampled_from([b"", b".json", b".yaml", b"\xff"]),
)
names = st.one_of(_text_names, _byte_names, _long_names,
                  st.sampled_from([n.encode() for n in MANIFEST_NAMES])).filter(_clean_name)

_known = st.sampled_from(_KNOWN)
_atom = st.one_of(_known, _known, _known, st.text(max_size=12),
                  st.sampled_from(["", "\"", "'", "{", "}", "${X}", "{{ .V }}", "\n", "*&a", "<"]))
_version = st.one_of(st.from_regex(r"\A[v^~]?\d{1,2}\.\d{1,2}(\.\d{1,2})?\Z"), _atom)


def _q(value: str) -> str:
    return json.dumps(value)


def _templates(a: str, b: str, v: str) -> dict[str, str]:
    """Every manifest kind, filled with two atoms and a version; SECRET marks secret slots."""
    return {
        "go.mod": (f"module {a}\n\ngo 1.22\n\nrequire (\n\t{b} {v}\n"
                   "\tgithub.com/lib/pq v1.10.9\n)\n"),
        "Cargo.toml": (f"[package]\nname = {_q(a)}\nversion = {_q(v)}\n\n[dependencies]\n"
                       f"{_q(b)} = {_q(v)}\ntokio = {{ version = \"1\", features = [{_q(a)}] }}\n"),
        "pom.xml": (f"<project><artifactId>{a}</artifactId><dependencies><dependency>"
                    f"<groupId>{b}</groupId><artifactId>{a}</artifactId><version>{v}</version>"
                    "</dependency></dependencies><properties><db.password>" + SECRET +
                    "</db.password></properties></project>\n"),
        "build.gradle": (f"plugins {{ id '{b}' version '{v}' }}\ndependencies {{\n"
                         f"  implementation '{b}:{a}:{v}'\n}}\n"),
        "build.gradle.kts": (f"plugins {{ id(\"{b}\") version \"{v}\" }}\ndependencies {{\n"
                             f"  implementation(\"{b}:{a}:{v}\")\n}}\n"),
        "package.json": json.dumps({
            "name": a, "workspaces": [b], "dependencies": {b: v, "express": "^4.18.0"},
            "devDependencies": {a: v},
            "config": {"registry": f"https://deploy:{SECRET}@npm.example.test/"},
        }),
        "pyproject.toml": (f"[project]\nname = {_q(a)}\ndependencies = [{_q(b + '>=' + v)}]\n"
                           f"[tool.poetry.dependencies]\n{_q(b)} = {_q(v)}\n"),
        "requirements.txt": (f"{b}=={v}\n-r {a}\n"
                             f"git+https://ci:{SECRET}@git.example.test/team/lib.git#egg=lib\n"),
        "compose.yaml": (f"services:\n  app:\n    build: {_q(a)}\n    environment:\n"
                         f"      DATABASE_URL: postgres://app:{SECRET}@db/app\n"
                         f"      API_KEY: {SECRET}\n  db:\n    image: {_q(b)}\n"),
        "Chart.yaml": (f"apiVersion: v2\nname: {_q(a)}\nversion: {_q(v)}\ndependencies:\n"
                       f"  - name: {_q(b)}\n    version: {_q(v)}\n"),
        "values.yaml": (f"image:\n  repository: {_q(b)}\n  tag: {_q(v)}\n"
                        f"auth:\n  postgresPassword: {SECRET}\n"),
        "main.tf": (f"resource \"aws_db_instance\" \"{a}\" {{\n  engine = \"{b}\"\n"
                    f"  password = \"{SECRET}\"\n}}\nvariable \"token\" {{\n"
                    f"  default = \"{SECRET}\"\n}}\n"),
        ".env": (f"DATABASE_URL=postgres://app:{SECRET}@db:5432/app\nSTRIPE_KEY={SECRET}\n"
                 f"CACHE_IMAGE={b}\n{a}={v}\n"),
        ".env.example": (f"DATABASE_URL=postgresql://app:{SECRET}@localhost/app\n"
                         f"SECRET_KEY={SECRET}\nBROKER_URL=amqp://u:{SECRET}@mq//\n"),
        "application.properties": (f"spring.datasource.url=jdbc:postgresql://db/{a}\n"
                                   f"spring.datasource.password={SECRET}\n{b}={v}\n"),
        "application.yml": (f"spring:\n  datasource:\n    url: jdbc:mysql://db/{_q(a)}\n"
                            f"    password: {SECRET}\n  kafka:\n    bootstrap-servers: {_q(b)}\n"),
        "appsettings.json": json.dumps({
            "ConnectionStrings": {"Db": f"Host=db;Username=app;Password={SECRET}"},
            a: b, "Version": v,
        }),
        "Api.csproj": (f"<Project Sdk=\"Microsoft.NET.Sdk.Web\"><ItemGroup>"
                       f"<PackageReference Include=\"{b}\" Version=\"{v}\" />"
                       f"<PackageReference Include=\"{a}\" /></ItemGroup></Project>\n"),
        "Gemfile": f"source 'https://rubygems.org'\ngem '{b}', '{v}'\ngem \"{a}\"\n",
        "composer.json": json.dumps({"require": {b: v, "php": ">=8.2"}, "name": a}),
        "mix.exs": (f"defmodule {a}.MixProject do\n  defp deps do\n"
                    f"    [{{:{b}, \"~> {v}\"}}, {{:ecto_sql, \"~> 3.10\"}}]\n  end\nend\n"),
        "CMakeLists.txt": (f"cmake_minimum_required(VERSION 3.20)\nproject({a})\n"
                           f"find_package({b})\n"),
        "openapi.yaml": (f"openapi: 3.0.0\ninfo:\n  title: {_q(a)}\n  version: {_q(v)}\n"
                         "paths: {}\n"),
        "deployment.yaml": (f"apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n"
                            f"    spec:\n      containers:\n        - image: {b}\n          env:\n"
                            f"            - name: PASSWORD\n              value: {SECRET}\n"),
        "gradle.properties": f"org.gradle.jvmargs=-Xmx2g\nnexusPassword={SECRET}\n{a}={v}\n",
        "Dockerfile": f"FROM {b}\nARG TOKEN={SECRET}\nRUN echo {_q(a)}\n",
        "alembic.ini": f"[alembic]\nsqlalchemy.url = postgresql://app:{SECRET}@db/{a}\n",
    }


@st.composite
def manifests(draw: st.DrawFn, name: str) -> bytes:
    """A manifest for the file ``name``: well formed, truncated, empty, or random bytes."""
    filled = _templates(draw(_atom), draw(_atom), draw(_version))[name].encode()
    mode = draw(st.sampled_from(["whole", "whole", "truncated", "empty", "noise"]))
    if mode == "truncated":
        return filled[: draw(st.integers(0, max(0, len(filled) - 1)))]
    if mode == "empty":
        return b""
    if mode == "noise":
        return draw(st.binary(max_size=200))
    return filled


@dataclass(frozen=True)
class Entry:
    """One thing to create: a file, a manifest, a symlink or a FIFO, at ``parts``."""

    parts: tuple[bytes, ...]
    kind: str  # "file", "manifest", "symlink", "fifo"
    content: bytes = b""
    target: bytes = b""


@dataclass(frozen=True)
class TreePlan:
    """A random project: entries, ``.gitignore`` files by folder, and whether it is a repo."""

    entries: tuple[Entry, ...]
    gitignores: tuple[tuple[tuple[bytes, ...], str], ...] = ()
    git: bool = True
    token: str = "PLANTEDplantedPLANTED0000"  # noqa: S105  (a made-up value)


_folders = st.lists(names, max_size=3).map(tuple)
# Glob rules of every shape; negations only ever name a literal folder or file from the
# pool, so that they can never re-include an ignored marker.
_rule = st.one_of(
    st.sampled_from(["*", "*.json", "**/*.yaml", "build/", "/go.mod", "*.tf", "[a-m]*",
                     "\\#x", "# comment", "", "   ", "a/**/b", "*.env", "!go.mod",
                     "!/package.json", "node_modules/", "?", "**"]),
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="!\0\r\n"),
            max_size=10).filter(lambda r: not r.startswith("!")),
)


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    """One random entry in a random folder."""
    folder = draw(_folders)
    kind = draw(st.sampled_from(["file", "manifest", "manifest", "symlink", "fifo"]))
    if kind == "manifest":
        name = draw(st.sampled_from(MANIFEST_NAMES))
        return Entry((*folder, name.encode()), kind, draw(manifests(name)))
    if kind == "symlink":
        target = draw(st.sampled_from([
            b".", b"..", b"../..", b"/", b"/nonexistent/dangling", b"self", b"loop-b",
            b"OUTSIDE", b"OUTSIDE/application.properties", b"/dev/zero", b"/proc/self/environ",
        ]))
        name = draw(st.one_of(names, st.sampled_from([b"self", b"loop-a", b"loop-b", b".env",
                                                      b"package.json", b"config"])))
        return Entry((*folder, name), kind, target=target)
    return Entry((*folder, draw(names)), kind, draw(st.binary(max_size=64)))


@st.composite
def tree_plans(draw: st.DrawFn, git: bool | None = None) -> TreePlan:
    """A whole random project, with always-ignored markers planted next to real entries."""
    items = draw(st.lists(entries(), max_size=10))
    # A service folder holding many manifest kinds at once, so that every detector's deep
    # path (not only its file-name match) meets broken input in every run.
    service = draw(st.sampled_from([(), (b"services", b"api"), (b"app",)]))
    for name in draw(st.lists(st.sampled_from(MANIFEST_NAMES), unique=True, max_size=12)):
        items.append(Entry((*service, name.encode()), "manifest", draw(manifests(name))))
    ignores = draw(st.lists(st.tuples(_folders, st.lists(_rule, max_size=5).map("\n".join)),
                            max_size=3))
    token = "PLANTED" + draw(st.text(_TOKEN_ALPHABET, min_size=20, max_size=20))
    return TreePlan(
        entries=tuple(items), gitignores=tuple(ignores),
        git=draw(st.booleans()) if git is None else git, token=token,
    )


def _create(root: bytes, entry: Entry, token: bytes, outside: bytes) -> None:
    path = os.path.join(root, *entry.parts)
    parent = os.path.dirname(path)
    try:
        os.makedirs(parent, exist_ok=True)
    except OSError:
        return  # a file or link already sits where this folder would go
    if os.path.lexists(path):
        return
    if entry.kind == "symlink":
        os.symlink(entry.target.replace(b"OUTSIDE", outside, 1), path)
    elif entry.kind == "fifo":
        os.mkfifo(path)
    else:
        with open(path, "wb") as handle:
            handle.write(entry.content.replace(SECRET.encode(), token))


def build_tree(plan: TreePlan, root: Path, outside: Path) -> Path:
    """Create ``plan`` under the new folder ``root``; ``outside`` holds a secret to link to.

    FIFOs are created after the commit: git refuses to add them, as it would on any
    developer's machine, and they stay as untracked entries.
    """
    root.mkdir(parents=True)
    token = plan.token.encode()
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "application.properties").write_bytes(b"spring.datasource.password=" + token)
    (outside / "package.json").write_bytes(b'{"dependencies": {"express": "' + token + b'"}}')
    raw_root, raw_outside = os.fsencode(root), os.fsencode(outside)
    for folder, rules in plan.gitignores:
        target = os.path.join(raw_root, *folder)
        try:
            os.makedirs(target, exist_ok=True)
            with open(os.path.join(target, b".gitignore"), "ab") as handle:
                handle.write(rules.encode("utf-8", "surrogateescape") + b"\n")
        except OSError:
            continue
    for entry in plan.entries:
        if entry.kind != "fifo":
            _create(raw_root, entry, token, raw_outside)
    _plant_ignored(root, token)
    if plan.git:
        init_repo(root)
    for entry in plan.entries:
        if entry.kind == "fifo":
            _create(raw_root, entry, token, raw_outside)
    return root


def _plant_ignored(root: Path, token: bytes) -> None:
    # The rules come last in the root .gitignore, and no random rule can negate them.
    with open(root / ".gitignore", "ab") as handle:
        handle.write(b"\n" + IGNORE_RULES.encode())
    folder = root / f"{IGNORED_MARKER}-dir"
    folder.mkdir(exist_ok=True)
    (folder / "package.json").write_text('{"dependencies": {"fastify": "4.0.0"}}')
    (folder / "go.mod").write_text("module zz\n\nrequire github.com/labstack/echo/v4 v4.11.0\n")
    (root / f"{IGNORED_MARKER}-api.yaml").write_text("openapi: 3.0.0\n")
    (root / f"{IGNORED_MARKER}-compose.yaml").write_text("services:\n  q:\n    image: nats:2\n")
    (root / f"{IGNORED_MARKER}-x.env").write_bytes(b"PASSWORD=" + token + b"\n")
