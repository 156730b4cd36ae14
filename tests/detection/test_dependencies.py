"""Every direct dependency a package manifest declares is listed, known to the catalog or not.

Each ecosystem's case declares one dependency the catalog knows and one it does not (the
``acme`` ones), in more than one scope, beside what a manifest only mentions: an image, an
SDK, a BOM it imports, a parent POM, a plugin, a platform requirement. Mentions still prove
technologies; they are no dependencies.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest

from backend_persona.models import Dependency, ProjectContext, Scope
from backend_persona.render import to_json, to_markdown
from tests.detection.conftest import Detect
from tests.detection.corpus import Case, row_id
from tests.detection.test_ecosystems import EXPECTED

NPM = Case("deps-npm", {
    "package.json": """{
  "name": "shop-web",
  "engines": {"node": ">=20"},
  "scripts": {"test": "vitest run", "lint": "acme-lint"},
  "dependencies": {
    "express": "^4.19.2",
    "@acme/money": "workspace:*"
  },
  "devDependencies": {
    "vitest": "^2.1.4",
    "acme-lint": "git+https://github.com/acme/lint.git"
  }
}
""",
    "compose.yaml": "services:\n  db:\n    image: postgres:16.4\n",
})

PYPI = Case("deps-pypi", {
    "pyproject.toml": """[project]
name = "ingest"
dependencies = [
    "fastapi>=0.115.4",
    "acme-money[decimal]>=1.2",
    "acme-common @ git+https://github.com/acme/common.git",
]

[project.optional-dependencies]
cache = ["redis>=5.2"]
test = ["pytest>=8.3", "acme-fixtures==0.3.1"]

[dependency-groups]
lint = ["ruff>=0.7", "fastapi>=0.115"]
""",
})

REQUIREMENTS = Case("deps-requirements", {
    "requirements.txt": """--index-url https://pypi.org/simple
Flask==3.0.3
acme_money==1.2.0 ; python_version >= "3.11"
acme-common @ git+https://github.com/acme/common.git@v1.2.0
git+https://github.com/acme/other.git#egg=acme-other
""",
    "requirements-dev.txt": "-r requirements.txt\npytest==8.3.3\n",
    "requirements.in": "flask\nacme-money\n",
})

POETRY = Case("deps-poetry", {
    "pyproject.toml": """[tool.poetry]
name = "shop"

[tool.poetry.dependencies]
python = "^3.12"
django = "^5.1.3"
acme-money = { version = "^1.2", extras = ["decimal"] }

[tool.poetry.group.test.dependencies]
pytest = "^8.3.3"
""",
})

MAVEN = Case("deps-maven", {
    "pom.xml": """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>3.3.5</version>
  </parent>
  <artifactId>billing</artifactId>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>io.grpc</groupId>
        <artifactId>grpc-bom</artifactId>
        <version>1.66.0</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-web</artifactId>
    </dependency>
    <dependency>
      <groupId>com.acme</groupId>
      <artifactId>acme-money</artifactId>
      <version>${money.version}</version>
    </dependency>
    <dependency>
      <groupId>com.acme</groupId>
      <artifactId>acme-fixtures</artifactId>
      <version>0.3.1</version>
      <scope>test</scope>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.flywaydb</groupId>
        <artifactId>flyway-maven-plugin</artifactId>
      </plugin>
    </plugins>
  </build>
</project>
""",
})

GRADLE = Case("deps-gradle", {
    "build.gradle.kts": """plugins {
    id("org.springframework.boot") version "3.3.4"
}

dependencies {
    implementation(platform("org.springframework.boot:spring-boot-dependencies:3.3.4"))
    implementation("org.springframework.boot:spring-boot-starter-web")
    implementation("com.acme:acme-money:1.2.0")
    testImplementation("com.acme:acme-fixtures:0.3.1")
}
""",
})

GO = Case("deps-go", {
    "go.mod": """module example.com/ledger

go 1.23

require (
\tgithub.com/labstack/echo/v4 v4.12.0
\tgithub.com/acme/money v1.2.0
\tgolang.org/x/sync v0.8.0 // indirect
)
""",
})

CARGO = Case("deps-cargo", {
    "Cargo.toml": """[package]
name = "ledger"
version = "0.1.0"

[dev-dependencies]
acme-fixtures = "0.3.1"

[dependencies]
axum = "0.7.9"
acme-money = { version = "1.2", features = ["serde"] }
sqlx = { version = "0.8.2", features = ["postgres"] }
""",
})

GEMS = Case("deps-gems", {
    "Gemfile": """source "https://rubygems.org"

gem "rails", "~> 7.2.2"
gem "acme-money", "~> 1.2"

group :test do
  gem "rspec-rails", "~> 7.1"
  gem "acme-fixtures"
end
""",
})

HEX = Case("deps-hex", {
    "mix.exs": """defmodule Ledger.MixProject do
  use Mix.Project

  defp deps do
    [
      {:phoenix, "~> 1.7.14"},
      {:acme_money, "~> 1.2"},
      {:acme_fixtures, "~> 0.3", only: :test}
    ]
  end
end
""",
})

COMPOSER = Case("deps-composer", {
    "composer.json": """{
  "name": "acme/billing",
  "require": {
    "php": "^8.2",
    "ext-intl": "*",
    "laravel/framework": "^11.31",
    "acme/money": "^1.2"
  },
  "require-dev": {
    "acme/fixtures": "^0.3"
  }
}
""",
})

NUGET = Case("deps-nuget", {
    "src/Ledger/Ledger.csproj": """<Project Sdk="Microsoft.NET.Sdk.Web">
  <ItemGroup>
    <PackageReference Include="StackExchange.Redis" Version="2.8.16" />
    <PackageReference Include="Acme.Money" Version="1.2.0" />
    <PackageReference Update="Microsoft.NET.ILLink.Tasks" Version="8.0.8" />
  </ItemGroup>
</Project>
""",
})


@dataclass(frozen=True)
class Dep:
    """One dependency a case must list, exactly so; ``needle`` finds its declaring line."""

    name: str
    version: str | None
    scope: Scope
    path: str
    needle: str
    technologies: tuple[str, ...] = ()

    def expected(self, case: Case) -> Dependency:
        return Dependency(name=self.name, version=self.version, scope=self.scope,
                          evidence=case.at(self.path, self.needle),
                          technologies=list(self.technologies))


DECLARED: list[tuple[Case, list[Dep]]] = [
    (NPM, [
        # Scoped names, and a workspace or git "version" that is no version.
        Dep("@acme/money", None, "runtime", "package.json", '"@acme/money"'),
        # Cited in devDependencies, not in the script that runs it above.
        Dep("acme-lint", None, "dev", "package.json", '"acme-lint": '),
        Dep("express", "^4.19.2", "runtime", "package.json", '"express"', ("Express",)),
        Dep("vitest", "^2.1.4", "dev", "package.json", '"vitest": ', ("Vitest",)),
    ]),
    (PYPI, [
        Dep("acme-common", None, "runtime", "pyproject.toml", '"acme-common @'),
        # Extras and markers are not part of the name.
        Dep("acme-fixtures", "0.3.1", "test", "pyproject.toml", "acme-fixtures=="),
        Dep("acme-money", ">=1.2", "runtime", "pyproject.toml", "acme-money["),
        # Declared again in the lint group: the runtime declaration is the one kept.
        Dep("fastapi", ">=0.115.4", "runtime", "pyproject.toml", "fastapi>=0.115.4",
            ("FastAPI",)),
        Dep("pytest", ">=8.3", "test", "pyproject.toml", "pytest>=", ("pytest",)),
        # An optional extra named for what it adds ships: it is no development tool.
        Dep("redis", ">=5.2", "runtime", "pyproject.toml", "redis>=", ("Redis",)),
        Dep("ruff", ">=0.7", "dev", "pyproject.toml", "ruff>=", ("Ruff",)),
    ]),
    (REQUIREMENTS, [
        # `name @ URL` names its package; the bare URL below it names none.
        Dep("acme-common", None, "runtime", "requirements.txt", "acme-common @"),
        # Declared by two manifests of one folder: each declaration is listed. PyPI names
        # are normalised, as pip compares them.
        Dep("acme-money", None, "runtime", "requirements.in", "acme-money"),
        Dep("acme-money", "1.2.0", "runtime", "requirements.txt", "acme_money=="),
        Dep("flask", None, "runtime", "requirements.in", "flask", ("Flask",)),
        Dep("flask", "3.0.3", "runtime", "requirements.txt", "Flask==", ("Flask",)),
        Dep("pytest", "8.3.3", "dev", "requirements-dev.txt", "pytest==", ("pytest",)),
    ]),
    (POETRY, [
        Dep("acme-money", "^1.2", "runtime", "pyproject.toml", "acme-money ="),
        Dep("django", "^5.1.3", "runtime", "pyproject.toml", "django =", ("Django",)),
        Dep("pytest", "^8.3.3", "test", "pyproject.toml", "pytest =", ("pytest",)),
    ]),
    (MAVEN, [
        Dep("com.acme:acme-fixtures", "0.3.1", "test", "pom.xml", ">acme-fixtures<"),
        # A property reference is no version.
        Dep("com.acme:acme-money", None, "runtime", "pom.xml", ">acme-money<"),
        Dep("org.springframework.boot:spring-boot-starter-web", None, "runtime", "pom.xml",
            ">spring-boot-starter-web<", ("Spring Boot", "Spring MVC")),
    ]),
    (GRADLE, [
        Dep("com.acme:acme-fixtures", "0.3.1", "test", "build.gradle.kts", "acme-fixtures"),
        Dep("com.acme:acme-money", "1.2.0", "runtime", "build.gradle.kts", "acme-money"),
        Dep("org.springframework.boot:spring-boot-starter-web", None, "runtime",
            "build.gradle.kts", "spring-boot-starter-web", ("Spring Boot", "Spring MVC")),
    ]),
    (GO, [
        Dep("github.com/acme/money", "v1.2.0", "runtime", "go.mod", "acme/money"),
        Dep("github.com/labstack/echo/v4", "v4.12.0", "runtime", "go.mod", "labstack/echo",
            ("Echo",)),
    ]),
    (CARGO, [
        # [dev-dependencies] comes first in the file, though it is read after [dependencies].
        Dep("acme-fixtures", "0.3.1", "test", "Cargo.toml", "acme-fixtures"),
        Dep("acme-money", "1.2", "runtime", "Cargo.toml", "acme-money"),
        Dep("axum", "0.7.9", "runtime", "Cargo.toml", "axum", ("Axum",)),
        Dep("sqlx", "0.8.2", "runtime", "Cargo.toml", "sqlx", ("SQLx",)),
    ]),
    (GEMS, [
        Dep("acme-fixtures", None, "test", "Gemfile", '"acme-fixtures"'),
        Dep("acme-money", "~> 1.2", "runtime", "Gemfile", '"acme-money"'),
        Dep("rails", "~> 7.2.2", "runtime", "Gemfile", '"rails"', ("Rails",)),
        Dep("rspec-rails", "~> 7.1", "test", "Gemfile", '"rspec-rails"', ("RSpec",)),
    ]),
    (HEX, [
        Dep("acme_fixtures", "~> 0.3", "test", "mix.exs", "acme_fixtures"),
        Dep("acme_money", "~> 1.2", "runtime", "mix.exs", "acme_money"),
        Dep("phoenix", "~> 1.7.14", "runtime", "mix.exs", "phoenix", ("Phoenix",)),
    ]),
    (COMPOSER, [
        Dep("acme/fixtures", "^0.3", "dev", "composer.json", '"acme/fixtures"'),
        Dep("acme/money", "^1.2", "runtime", "composer.json", '"acme/money"'),
        Dep("laravel/framework", "^11.31", "runtime", "composer.json", '"laravel/framework"',
            ("Laravel",)),
    ]),
    (NUGET, [
        Dep("Acme.Money", "1.2.0", "runtime", "src/Ledger/Ledger.csproj", '"Acme.Money"'),
        Dep("StackExchange.Redis", "2.8.16", "runtime", "src/Ledger/Ledger.csproj",
            '"StackExchange.Redis"', ("Redis",)),
    ]),
]

@dataclass(frozen=True)
class Mention:
    """What a manifest only mentions, the technology it still proves, and where."""

    name: str
    technology: str
    path: str
    needle: str | None


# None of these is a dependency.
MENTIONED: list[tuple[Case, Mention]] = [
    (NPM, Mention("postgres", "PostgreSQL", "compose.yaml", "image: postgres")),
    (NPM, Mention("node", "Node.js", "package.json", None)),  # engines
    (MAVEN, Mention("org.springframework.boot:spring-boot-starter-parent", "Spring Boot",
                    "pom.xml", ">spring-boot-starter-parent<")),
    (MAVEN, Mention("io.grpc:grpc-bom", "gRPC", "pom.xml", ">grpc-bom<")),
    (MAVEN, Mention("org.flywaydb:flyway-maven-plugin", "Flyway", "pom.xml",
                    ">flyway-maven-plugin<")),
    (GRADLE, Mention("org.springframework.boot:spring-boot-dependencies", "Spring Boot",
                     "build.gradle.kts", "implementation(platform(")),
    (GRADLE, Mention("org.springframework.boot", "Spring Boot", "build.gradle.kts",
                     'id("org.spring')),
    (CARGO, Mention("postgres", "PostgreSQL", "Cargo.toml", "sqlx")),  # a feature
    (NUGET, Mention("Microsoft.NET.Sdk.Web", "ASP.NET Core", "src/Ledger/Ledger.csproj", "Sdk=")),
]

# Packages a manifest names that are not its own direct dependencies.
NOT_DECLARED: list[tuple[Case, list[str]]] = [
    (GO, ["golang.org/x/sync"]),  # indirect
    (NUGET, ["Microsoft.NET.ILLink.Tasks"]),  # `Update` changes a reference made elsewhere
    (COMPOSER, ["php", "ext-intl"]),  # platform requirements
    (POETRY, ["python"]),
    (REQUIREMENTS, ["acme-other", "git", "git-https"]),  # a bare URL
]

CASES = [case for case, _ in DECLARED]


def dependencies(context: ProjectContext) -> list[Dependency]:
    return [d for component in context.components for d in component.dependencies]


@pytest.mark.parametrize(("case", "deps"), DECLARED, ids=row_id)
def test_lists_every_declared_dependency(detect: Detect, case: Case, deps: list[Dep]) -> None:
    assert dependencies(detect(case)) == [dep.expected(case) for dep in deps]


@pytest.mark.parametrize(("case", "mention"), MENTIONED,
                         ids=lambda v: v.name if isinstance(v, Case | Mention) else None)
def test_a_mention_proves_a_technology_but_is_no_dependency(
    detect: Detect, case: Case, mention: Mention
) -> None:
    context = detect(case)
    assert mention.name not in {d.name for d in dependencies(context)}
    [found] = [t for t in context.technologies if t.name == mention.technology]
    assert case.at(mention.path, mention.needle) in found.evidence


@pytest.mark.parametrize(("case", "names"), NOT_DECLARED, ids=row_id)
def test_what_is_no_direct_dependency_is_not_listed(
    detect: Detect, case: Case, names: list[str]
) -> None:
    assert {d.name for d in dependencies(detect(case))}.isdisjoint(names)


def _normalised(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


@pytest.mark.parametrize("case", CASES + [case for case, _ in EXPECTED], ids=row_id)
def test_each_dependency_cites_a_line_that_names_it(detect: Detect, case: Case) -> None:
    listed = dependencies(detect(case))
    assert listed or case.name == "cmake"
    for dependency in listed:
        path, _, line = dependency.evidence.rpartition(":")
        text = case.text(path).split("\n")[int(line) - 1]
        # A Maven coordinate is cited by its artifactId; PyPI names are compared normalised.
        artifact = dependency.name.rpartition(":")[2]
        assert _normalised(artifact) in _normalised(text), (dependency, text)


@pytest.mark.parametrize("case", CASES, ids=row_id)
def test_json_lists_dependencies_and_round_trips(detect: Detect, case: Case) -> None:
    context = detect(case)
    assert ProjectContext.model_validate_json(context.model_dump_json()) == context
    printed = json.loads(to_json(context))
    listed = [d for c in printed["components"] for d in c["dependencies"]]
    assert listed == [d.model_dump(mode="json") for d in dependencies(context)]
    assert {"name", "version", "scope", "evidence", "technologies"} == set(listed[0])


@pytest.mark.parametrize(("case", "row"), [
    # Languages by their common names, from the manifest's ecosystem when no source says more.
    (NPM, "| `.` | shop-web | JavaScript/TypeScript | Express | PostgreSQL | - | 2 |"),
    (PYPI, "| `.` | ingest | Python | FastAPI | Redis | - | 3 |"),
    # acme-money, declared by requirements.txt and requirements.in, counts once; a manifest
    # without a name gives the component its directory's (the case's, numbered by pytest).
    (REQUIREMENTS, "| `.` | deps-requirements0 | Python | Flask | - | - | 2 |"),
    (MAVEN, "| `.` | billing | Java | Spring Boot, Spring MVC | - | gRPC | 2 |"),
    (NUGET, "| `src/Ledger` | Ledger | C# | ASP.NET Core | Redis | - | 1 |"),
])
def test_markdown_counts_the_other_dependencies(detect: Detect, case: Case, row: str) -> None:
    markdown = to_markdown(detect(case))
    assert "| APIs | Other deps |" in markdown
    assert row in markdown.splitlines()
    assert "_Other deps: direct dependencies that name no known technology" in markdown


def test_markdown_names_no_unknown_dependency(detect: Detect) -> None:
    markdown = to_markdown(detect(NPM))
    assert "acme" not in markdown


GITHUB_TOKEN = "gho_" + "Q7x2Lm9Pz4Kd8Wv1Rt6Yb3Nc5Hs0Jf2Ga7Ue"
GITLAB_TOKEN = "glpat-" + "x9Kq2Lm7Pz4Rd8Wv1Tb6Y"
CREDENTIALS = Case("deps-credentials", {
    "package.json": json.dumps({"name": "web", "dependencies": {
        "acme-ui": f"git+https://{GITHUB_TOKEN}:x-oauth-basic@github.com/acme/ui.git",
        # A name is the manifest's own text, too.
        f"x-{GITHUB_TOKEN}": "1.0.0",
    }}, indent=2),
    "services/search/requirements.txt":
        f"acme-common @ git+https://oauth2:{GITLAB_TOKEN}@gitlab.com/acme/common.git@v1.2.0\n",
})


def test_no_credential_in_a_declaration_is_printed(detect: Detect) -> None:
    context = detect(CREDENTIALS)
    printed = to_json(context)
    assert GITHUB_TOKEN not in printed
    assert GITLAB_TOKEN not in printed
    assert GITHUB_TOKEN not in to_markdown(context)
    listed = {(d["name"], d["version"])
              for c in json.loads(printed)["components"] for d in c["dependencies"]}
    # Listed, without the URL that holds the token, and with a credential-shaped name redacted.
    assert listed == {("acme-ui", None), ("acme-common", None), ("x-[redacted]", "1.0.0")}


DUPLICATES = Case("deps-duplicates", {
    "Gemfile": 'group :test do\n  gem "acme-money", "~> 1.0"\nend\ngem "acme-money", "~> 1.2"\n',
    "requirements.txt": "redis==5.0.0\nacme-common==1.0\nredis==5.2.0\n",
})


def test_a_name_declared_again_in_one_manifest_is_listed_once(detect: Detect) -> None:
    context = detect(DUPLICATES)
    [component] = context.components
    # The declaration in the strongest scope, and the first of two in the same scope.
    assert [(d.name, d.version, d.scope, d.evidence) for d in component.dependencies] == [
        ("acme-common", "1.0", "runtime", "requirements.txt:2"),
        ("acme-money", "~> 1.2", "runtime", "Gemfile:4"),
        ("redis", "5.0.0", "runtime", "requirements.txt:1"),
    ]
    # Every declaration still proves the technology.
    [redis] = [t for t in context.technologies if t.name == "Redis"]
    assert redis.evidence == ["requirements.txt:1", "requirements.txt:3"]


MANAGED_ABOVE = Case("deps-managed-above", {
    "pom.xml": """<project>
  <artifactId>svc</artifactId>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>org.postgresql</groupId>
        <artifactId>postgresql</artifactId>
        <version>42.7.3</version>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>org.postgresql</groupId>
      <artifactId>postgresql</artifactId>
    </dependency>
  </dependencies>
</project>
""",
    "web/package.json": ('{\n  "name": "web",\n  "devDependencies": {\n    "express": "^4.0.0"\n'
                         '  },\n  "dependencies": {\n    "express": "^4.19.2"\n  }\n}\n'),
})


def test_a_dependency_is_cited_where_it_is_declared_not_where_it_is_pinned(
    detect: Detect,
) -> None:
    context = detect(MANAGED_ABOVE)
    cited = {d.name: (d.scope, d.evidence) for c in context.components for d in c.dependencies}
    # The pom's `dependencyManagement` above only pins the version; the runtime declaration
    # below a devDependencies one is the one listed.
    assert cited == {
        "org.postgresql:postgresql": ("runtime", "pom.xml:15"),
        "express": ("runtime", "web/package.json:7"),
    }


COMPILED = Case("deps-pip-compiled", {
    "requirements.in": "celery\nrequests\n",
    "requirements.txt": """#
# This file is autogenerated by pip-compile with Python 3.12
#
celery==5.4.0
    # via -r requirements.in
click==8.1.7
    # via
    #   celery
    #   click-didyoumean
numpy==2.1.0  # via scipy
requests==2.32.3
    # via
    #   -r requirements.in
    #   acme-sdk
urllib3==2.2.3
    # via
    #   -c constraints.txt
    #   requests
""",
})


def test_a_compiled_requirements_file_lists_only_what_was_asked_for(detect: Detect) -> None:
    context = detect(COMPILED)
    [component] = context.components
    # pip-compile's `# via` says who asked: the input file (`-r`) for a direct pin; other
    # packages, or a constraints file, for the transitive ones.
    assert sorted({d.name for d in component.dependencies}) == ["celery", "requests"]
    names = {t.name for t in context.technologies}
    assert {"Celery", "Requests"} <= names
    assert not {"Click", "NumPy", "urllib3"} & names


TYPINGS_ONLY = Case("deps-typings-only", {
    "package.json": ('{\n  "name": "web",\n  "devDependencies": {\n    "@types/jest": "^29.5.0",\n'
                     '    "@types/ws": "^8.5.0",\n    "vitest": "^2.0.0"\n  }\n}\n'),
})


def test_type_declarations_alone_are_no_sighting_of_their_library(detect: Detect) -> None:
    context = detect(TYPINGS_ONLY)
    names = {t.name for t in context.technologies}
    assert "Vitest" in names
    assert not {"Jest", "ws"} & names
    # They are no "other" dependency either: the catalog knows what they type.
    [component] = context.components
    typed = {d.name: d.technologies for d in component.dependencies}
    assert typed["@types/jest"] == ["Jest"]
    assert typed["@types/ws"] == ["ws", "WebSockets"]


# readthedocs.org's layout: `deploy.in` includes the compiled `pip.txt`, and `deploy.txt`
# says `-r requirements/pip.txt` of every pin that came from it, direct there or not.
COMPILED_FROM_COMPILED = Case("deps-pip-compiled-twice", {
    "requirements/pip.in": "celery\n",
    "requirements/pip.txt": ("celery==5.4.0\n    # via -r requirements/pip.in\n"
                             "kombu==5.6.2\n    # via celery\n"),
    "requirements/deploy.in": "-r pip.txt\ngunicorn\n",
    "requirements/deploy.txt": ("celery==5.4.0\n    # via -r requirements/pip.txt\n"
                                "gunicorn==23.0.0\n    # via -r requirements/deploy.in\n"
                                "kombu==5.6.2\n    # via\n    #   -r requirements/pip.txt\n"
                                "    #   celery\n"),
})


def test_a_pin_that_came_from_another_compiled_file_is_that_files_to_tell(
        detect: Detect) -> None:
    context = detect(COMPILED_FROM_COMPILED)
    listed = sorted({d.name for c in context.components for d in c.dependencies})
    # celery is direct in pip.txt, gunicorn in deploy.txt; kombu is transitive in both.
    assert listed == ["celery", "gunicorn"]
    names = {t.name for t in context.technologies}
    assert {"Celery", "Gunicorn"} <= names and "Kombu" not in names
