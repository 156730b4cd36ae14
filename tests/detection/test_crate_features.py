"""A Cargo feature that chooses a technology names it, in the scope of the section enabling it.

Reproduces svix-webhooks: the workspace offers `omniqueue` with its brokers' features and a
member inherits it among its runtime dependencies, while the brokers' own SDKs are only
dev-dependencies of its tests. The catalog says what a feature means (`omniqueue/sqs`).
"""

from __future__ import annotations

import pytest

from backend_persona.models import Component
from tests.detection.citations import wrong_citations
from tests.detection.conftest import Detect
from tests.detection.corpus import Case, Tech, assert_technology, row_id, table

QUEUE = "bridge/plugin-queue/Cargo.toml"
WORKSPACE = Case("omniqueue-workspace", {
    "bridge/Cargo.toml": (
        '[workspace]\nmembers = ["plugin-queue"]\n\n[workspace.dependencies]\n'
        'omniqueue = { version = "0.2", default-features = false, '
        'features = ["gcp_pubsub", "sqs"] }\n'
    ),
    QUEUE: (
        '[package]\nname = "plugin-queue"\nversion = "0.1.0"\n\n[dependencies]\n'
        'omniqueue.workspace = true\n\n[dev-dependencies]\n'
        'aws-sdk-sqs = { version = "1.97.0", features = [\n    "rt-tokio",\n] }\n'
        'gcloud-pubsub = "1.3.0"\n'
    ),
    "bridge/plugin-queue/src/lib.rs": "pub fn run() {}\n",
})

# A member's own features are cited where they are written; a dev-dependency's are dev.
OWN_FEATURES = Case("own-features", {
    "Cargo.toml": (
        '[package]\nname = "worker"\nversion = "0.1.0"\n\n[dependencies]\n'
        'omniqueue = { version = "0.2", features = [\n    "rabbitmq",\n] }\n'
        'tokio = { version = "1", features = ["rt"] }\n\n[dev-dependencies]\n'
        'sqlx = { version = "0.8", features = ["runtime-tokio", "sqlite"] }\n'
    ),
    "src/main.rs": "fn main() {}\n",
})

# SeaORM's `sqlx-all` is its three databases; Diesel's backend features are their database.
DATABASES = Case("database-features", {
    "Cargo.toml": (
        '[package]\nname = "store"\nversion = "0.1.0"\n\n[dependencies]\n'
        'sea-orm = { version = "1", features = ["sqlx-all", "macros"] }\n'
        'diesel = { version = "2", features = ["postgres_backend"] }\n'
    ),
    "src/main.rs": "fn main() {}\n",
})

CASES = [
    (WORKSPACE, [
        # Enabled by the member's runtime dependency, cited at the line that inherits it.
        Tech("Amazon SQS", "broker", evidence=(WORKSPACE.at(QUEUE, "omniqueue"),)),
        Tech("Google Cloud Pub/Sub", "broker", evidence=(WORKSPACE.at(QUEUE, "omniqueue"),)),
    ]),
    (OWN_FEATURES, [
        Tech("RabbitMQ", "broker", evidence=(OWN_FEATURES.at("Cargo.toml", '"rabbitmq"'),)),
        Tech("SQLite", "datastore", scope="test",
             evidence=(OWN_FEATURES.at("Cargo.toml", '"sqlite"'),)),
    ]),
    (DATABASES, [
        Tech("PostgreSQL", "datastore", evidence=(DATABASES.at("Cargo.toml", "sea-orm"),
                                                   DATABASES.at("Cargo.toml", "diesel"))),
        Tech("MySQL", "datastore", evidence=(DATABASES.at("Cargo.toml", "sea-orm"),)),
        Tech("SQLite", "datastore", evidence=(DATABASES.at("Cargo.toml", "sea-orm"),)),
    ]),
]


@pytest.mark.parametrize(("case", "expected"), table(CASES), ids=row_id)
def test_a_feature_names_its_technology(detect: Detect, case: Case, expected: Tech) -> None:
    assert_technology(detect(case), expected)


@pytest.mark.parametrize("case", [WORKSPACE, OWN_FEATURES, DATABASES], ids=row_id)
def test_feature_citations_name_their_claim(detect: Detect, case: Case) -> None:
    assert wrong_citations(detect(case)) == []


def _technologies(components: list[Component], path: str) -> list[str]:
    return next(c.technologies for c in components if c.path == path)


def test_the_member_uses_the_brokers_not_the_workspace(detect: Detect) -> None:
    components = detect(WORKSPACE).components
    assert {"Amazon SQS", "Google Cloud Pub/Sub"} <= set(
        _technologies(components, "bridge/plugin-queue"))
    # The workspace's table only offers the features; its root runs nothing.
    assert _technologies(components, "bridge") == []


def test_a_prefix_rule_names_the_crate_not_its_features(detect: Detect) -> None:
    # `aws-sdk-` names every AWS SDK crate; `aws-sdk-sqs/rt-tokio` is no AWS SDK sighting.
    feature_line = WORKSPACE.at(QUEUE, '"rt-tokio"')
    cited = {t.name for t in detect(WORKSPACE).technologies if feature_line in t.evidence}
    assert cited == set()
