"""A Gradle build's root: the name its settings give it, and only what its own script uses.

Reproduces halo: `settings.gradle` sets `rootProject.name = 'halo'` in a checkout called
otherwise, and `gradle/libs.versions.toml` lists PF4J, which only a module's script uses.
"""

from __future__ import annotations

import pytest

from backend_persona.models import Component, ProjectContext
from tests.detection.conftest import Detect
from tests.detection.corpus import Case, Tech, assert_technology, row_id

CATALOG = "gradle/libs.versions.toml"
API = "api/build.gradle"
HALO = Case("halo-like", {
    "settings.gradle": (
        "pluginManagement {\n    repositories { gradlePluginPortal() }\n}\n\n"
        "rootProject.name = 'halo'\ninclude 'api'\n"
    ),
    "build.gradle": "plugins {\n    alias(libs.plugins.spotless)\n}\n",
    CATALOG: (
        "[libraries]\npf4j = 'org.pf4j:pf4j:3.15.0'\n"
        "postgresql = { module = 'org.postgresql:postgresql', version = '42.7.4' }\n\n"
        "[plugins]\nspotless = 'com.diffplug.spotless:8.8.0'\n"
    ),
    API: "dependencies {\n    api libs.pf4j\n}\n",
    "api/src/main/java/run/halo/App.java": "class App {}\n",
})

# A single-project Kotlin build: no `include`, the name alone.
KOTLIN = Case("kotlin-single", {
    "settings.gradle.kts": 'rootProject.name = "ledger"\n',
    "build.gradle.kts": (
        'dependencies {\n    implementation("org.flywaydb:flyway-core:10.20.1")\n}\n'
    ),
    "src/main/kotlin/Ledger.kt": "fun main() {}\n",
})


def _component(context: ProjectContext, path: str) -> Component:
    return next(c for c in context.components if c.path == path)


@pytest.mark.parametrize(("case", "name"), [(HALO, "halo"), (KOTLIN, "ledger")], ids=row_id)
def test_the_root_takes_the_settings_name(detect: Detect, case: Case, name: str) -> None:
    assert _component(detect(case), ".").name == name


def test_a_catalog_entry_belongs_to_the_module_that_uses_it(detect: Detect) -> None:
    context = detect(HALO)
    # Still in the stack, with the catalog's version, cited where the module uses it.
    assert_technology(context, Tech("PF4J", "framework", "3.15.0",
                                    evidence=(HALO.at(API, "libs.pf4j"),)))
    assert "PF4J" in _component(context, "api").technologies
    root = _component(context, ".")
    assert "PF4J" not in root.technologies
    assert "PF4J" not in root.frameworks


def test_an_unused_catalog_entry_is_no_technology(detect: Detect) -> None:
    context = detect(HALO)
    assert "PostgreSQL" not in {t.name for t in context.technologies}
    assert not [t.name for t in context.technologies
                if any(e.startswith(CATALOG) for e in t.evidence)]


# The plugin pattern has no leading \b (for speed): a word ending in "id" is no plugin id.
WORDS = Case("gradle-id-words", {
    "build.gradle": (
        "plugins {\n    id 'org.springframework.boot' version '3.3.5'\n}\n"
        "android { grid 'org.flywaydb.flyway' }\nvoid('org.liquibase.gradle')\n"
        "_id 'com.google.protobuf'\n"
    ),
})


def test_only_a_whole_word_id_names_a_plugin(detect: Detect) -> None:
    found = detect(WORDS)
    names = {t.name for t in found.technologies}
    assert "Spring Boot" in names
    assert not names & {"Flyway", "Liquibase", "Protocol Buffers"}
    boot = next(t for t in found.technologies if t.name == "Spring Boot")
    assert boot.evidence == ["build.gradle:2"]
