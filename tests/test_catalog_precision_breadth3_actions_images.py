"""Precision of the GitHub Actions, images, system packages and tool files of the third pass.

Rules are looked up three ways: an action or system package through the loader the
detectors use (`catalog.match`, implied technologies included); an image reference through
the image parser (`parse_image`, which also tries an image's last segment); and a tree of
files discovered as a whole (`discover_context`), so that a workflow step, a Compose service,
a Dockerfile install and a tool's own file name hold through the real detectors. Every prefix
key stays inside its owner's namespace, and every short or generic key has a look-alike
that names nothing of its.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backend_persona.discover.images import parse_image
from tests.catalog_rows import check_names
from tests.conftest import Tree
from tests.manifest_trees import check_tree, workflow

# (source, id, names it must give, names it must not give)
ROWS: list[tuple[str, str, set[str], set[str]]] = [
    # --- Actions: exact keys, caseless as GitHub is, and prefixes that stop at the owner
    ("action", "pnpm/action-setup", {"pnpm"}, set()),
    ("action", "cypress-io/github-action", {"Cypress"}, set()),
    ("action", "SonarSource/sonarqube-scan-action", {"SonarQube"}, {"SonarCloud"}),
    ("action", "SonarSource/sonarqube-scan-action/install-build-wrapper", {"SonarQube"}, set()),
    ("action", "SonarSource/sonarcloud-github-action", {"SonarCloud"}, {"SonarQube"}),
    ("action", "sonarsource/sonarlint-action", set(), {"SonarQube", "SonarCloud"}),
    ("action", "snyk/actions/node", {"Snyk"}, set()),
    ("action", "snyk/actions-setup", set(), {"Snyk"}),
    ("action", "gradle/actions/setup-gradle", {"Gradle"}, set()),
    ("action", "gradle/actions/wrapper-validation", {"Gradle Wrapper"}, set()),
    ("action", "gradle/actions-extra", set(), {"Gradle"}),
    ("action", "oxsecurity/megalinter/flavors/python", {"MegaLinter"}, set()),
    ("action", "megalinter/megalinter/flavors/go", {"MegaLinter"}, set()),
    ("action", "oxsecurity/megalinter-extra", set(), {"MegaLinter"}),
    ("action", "reviewdog/action-eslint", {"reviewdog"}, set()),
    ("action", "reviewdogs/action-eslint", set(), {"reviewdog"}),
    ("action", "anchore/sbom-action/download-syft", {"Syft"}, set()),
    ("action", "anchore/scan-action", {"Grype"}, {"Syft"}),
    ("action", "slsa-framework/slsa-github-generator/actions/delegator/setup-generic",
     {"SLSA"}, set()),
    ("action", "slsa-framework/slsa-verifier/actions/installer", {"SLSA"}, set()),
    ("action", "slsa-framework/slsa-github-generator-extra", set(), {"SLSA"}),
    ("action", "netlify/actions/cli", {"Netlify"}, set()),
    ("action", "netlify/actions-extra", set(), {"Netlify"}),
    ("action", "digitalocean/app_action/deploy", {"DigitalOcean"}, set()),
    ("action", "hashicorp/tfc-workflows-github/actions/upload-configuration", {"Terraform"}, set()),
    ("action", "hashicorp/setup-copywrite", set(), {"Terraform"}),
    ("action", "infracost/actions/setup", {"Infracost"}, set()),
    ("action", "infracost/actions-comment", set(), {"Infracost"}),
    ("action", "browserstack/github-actions/setup-env", {"BrowserStack"}, set()),
    ("action", "asdf-vm/actions/install", {"asdf"}, set()),
    ("action", "asdf-vm/actions-extra", set(), {"asdf"}),
    ("action", "OctopusDeploy/create-release-action", {"Octopus Deploy"}, set()),
    ("action", "octopusdeployx/create-release-action", set(), {"Octopus Deploy"}),
    ("action", "pactflow/actions/can-i-deploy", {"Pact"}, set()),
    ("action", "pactflow/actions-extra", set(), {"Pact"}),
    ("action", "liquibase-github-actions/update", {"Liquibase"}, set()),
    ("action", "liquibase-github-actions-extra/update", set(), {"Liquibase"}),
    ("action", "ariga/atlas-action/migrate/lint", {"Atlas"}, set()),
    ("action", "ariga/atlas-sync-action", set(), {"Atlas"}),
    ("action", "google-github-actions/upload-cloud-storage", {"Google Cloud"}, set()),
    ("action", "Azure/functions-action", {"Azure Functions"}, set()),
    ("action", "azure/setup-kubectl", {"Kubernetes"}, {"Azure"}),
    ("action", "helm/kind-action", {"kind"}, {"Helm"}),
    ("action", "helm/chart-testing-action", {"Helm"}, {"kind"}),
    ("action", "ankane/setup-postgres", {"PostgreSQL"}, set()),
    ("action", "ankane/setup-mysql", {"MySQL"}, {"MariaDB"}),
    ("action", "ankane/setup-mariadb", {"MariaDB"}, {"MySQL"}),
    ("action", "psf/black", {"Black"}, set()),
    ("action", "psf/black-extra", set(), {"Black"}),
    ("action", "crazy-max/ghaction-setup-docker", {"Docker"}, set()),
    ("action", "crazy-max/ghaction-import-gpg", set(), {"Docker"}),
    # --- System packages: exact names and prefixes that stop at the package family
    ("system", "libreoffice-impress", {"LibreOffice"}, set()),
    ("system", "libreofficekit-dev", set(), {"LibreOffice"}),
    ("system", "texlive-latex-extra", {"TeX Live"}, set()),
    ("system", "texlive", {"TeX Live"}, set()),
    ("system", "texinfo", set(), {"TeX Live"}),
    ("system", "gstreamer1.0-plugins-good", {"GStreamer"}, set()),
    ("system", "gstreamer1.0", set(), {"GStreamer"}),
    ("system", "libnginx-mod-http-geoip2", {"nginx"}, set()),
    ("system", "libnginx", set(), {"nginx"}),
    ("system", "cuda-toolkit-12-4", {"CUDA"}, set()),
    ("system", "cuda-compat", set(), {"CUDA"}),
    ("system", "cron", {"cron"}, set()),
    ("system", "cronolog", set(), {"cron"}),
    ("system", "caddy", {"Caddy"}, set()),
    ("system", "squid", {"Squid"}, set()),
    ("system", "squidguard", set(), {"Squid"}),
    ("system", "exim4", {"Exim"}, set()),
    ("system", "opencv", {"OpenCV"}, set()),
    ("system", "opencv-data", set(), {"OpenCV"}),
    ("system", "postfix", {"Postfix"}, set()),
    ("system", "postfix-pcre", set(), {"Postfix"}),
    ("system", "terraform", {"Terraform"}, set()),
    ("system", "terraform-switcher", set(), {"Terraform"}),
    ("system", "ansible-core", {"Ansible"}, set()),
    ("system", "ansible-lint", set(), {"Ansible"}),
    ("system", "monit", {"Monit"}, set()),
    ("system", "runit", {"runit"}, set()),
    ("system", "runit-helper", set(), {"runit"}),
    ("system", "jemalloc", {"jemalloc"}, set()),
    ("system", "msodbcsql18", {"Microsoft ODBC Driver for SQL Server", "SQL Server"}, set()),
    ("system", "mssql-tools18", set(), {"SQL Server"}),
    ("system", "librdkafka-dev", {"librdkafka", "Kafka"}, set()),
    ("system", "libapache2-mod-wsgi-py3", {"mod_wsgi", "Apache HTTP Server"}, set()),
    ("system", "unoconv", {"unoconv", "LibreOffice"}, set()),
    ("system", "postgis", {"PostGIS"}, set()),
    ("system", "postgresql-client", set(), {"PostGIS", "PostgreSQL"}),
    ("system", "certbot", {"Certbot"}, set()),
    ("system", "rclone", {"rclone"}, set()),
]


@pytest.mark.parametrize(("source", "ident", "wanted", "unwanted"), ROWS,
                         ids=[f"{r[0]}:{r[1]}" for r in ROWS])
def test_rule_names_what_it_should_and_nothing_else(
    source: str, ident: str, wanted: set[str], unwanted: set[str]
) -> None:
    check_names(source, ident, wanted, unwanted)


# (image reference, names it must give, names it must not give, version it must give)
IMAGES: list[tuple[str, set[str], set[str], str | None]] = [
    # Official images are bare keys; the parser also tries the last segment.
    ("bitnami/schema-registry:7.6", {"Confluent Schema Registry"}, {"Docker Registry"}, "7.6"),
    ("crate:5.7", {"CrateDB"}, set(), "5.7"),
    ("crate/crate-admin:1", set(), {"CrateDB"}, None),
    ("spark:3.5.1-scala2.12-java17-ubuntu", {"Apache Spark"}, set(), "3.5.1"),
    ("apache/spark-py:v3.4.0", {"Apache Spark"}, set(), "v3.4.0"),
    ("sparkpost/sparkpost-go:1", set(), {"Apache Spark"}, None),
    ("flink:1.19-scala_2.12", {"Apache Flink"}, set(), "1.19"),
    ("flinkrun/flink-operator:1", set(), {"Apache Flink"}, None),
    ("ghost:5-alpine", {"Ghost"}, set(), "5"),
    ("ghostfolio/ghostfolio:2", set(), {"Ghost"}, None),
    ("maven:3.9.6-eclipse-temurin-21", {"Maven"}, set(), "3.9.6"),
    ("gradle:8.7-jdk21", {"Gradle"}, set(), "8.7"),
    ("composer:2", {"Composer"}, set(), "2"),
    ("mcr.microsoft.com/playwright:v1.45.0-jammy", {"Playwright"}, set(), "v1.45.0"),
    ("mcr.microsoft.com/playwright/python:v1.45.0", {"Playwright"}, set(), "v1.45.0"),
    ("adminer:4", {"Adminer"}, set(), "4"),
    ("matomo:5-apache", {"Matomo"}, set(), "5"),
    ("wordpress:6.5-php8.2-apache", {"WordPress"}, set(), "6.5"),
    ("wordpress/wp-cli:2", set(), {"WordPress"}, None),
    ("drupal:10-apache", {"Drupal"}, set(), "10"),
    ("joomla:5", {"Joomla"}, set(), "5"),
    ("orientdb:3.2", {"OrientDB"}, set(), "3.2"),
    ("rethinkdb:2.4", {"RethinkDB"}, set(), "2.4"),
    ("glassfish:7", {"GlassFish"}, set(), "7"),
    ("coredns/coredns:1.11.1", {"CoreDNS"}, set(), "1.11.1"),
    ("osixia/openldap:1.5.0", {"OpenLDAP", "LDAP"}, set(), "1.5.0"),
    ("osixia/phpldapadmin:0.9.0", set(), {"OpenLDAP"}, None),
    ("percona/percona-server:8.0", {"MySQL"}, set(), "8.0"),
    ("percona/percona-server-mongodb:7.0", {"MongoDB"}, {"MySQL"}, "7.0"),
    ("phpmyadmin:5", {"phpMyAdmin"}, {"MySQL"}, "5"),
    ("mongo-express:1", {"Mongo Express"}, {"MongoDB"}, "1"),
    ("dpage/pgadmin4:8", {"pgAdmin"}, {"PostgreSQL"}, "8"),
    ("redis/redisinsight:2", {"RedisInsight"}, {"Redis"}, "2"),
    ("ghcr.io/kafbat/kafka-ui:v1.0.0", {"Kafka UI"}, {"Kafka"}, "v1.0.0"),
    ("confluentinc/cp-kafka-connect:7.6.0", {"Kafka Connect", "Kafka"}, set(), "7.6.0"),
    ("confluentinc/cp-ksqldb-server:7.6.0", {"ksqlDB", "Kafka"}, set(), "7.6.0"),
    ("citusdata/citus:12.1", {"Citus", "PostgreSQL"}, set(), "12.1"),
    ("paradedb/paradedb:0.9", {"ParadeDB", "PostgreSQL"}, set(), "0.9"),
    ("postgrest/postgrest:v12.0.2", {"PostgREST", "PostgreSQL"}, set(), "v12.0.2"),
    ("ghcr.io/huggingface/text-generation-inference:2.0",
     {"Text Generation Inference"}, {"Text Embeddings Inference"}, "2.0"),
    ("ghcr.io/open-webui/open-webui:main", {"Open WebUI"}, set(), None),
    ("vllm/vllm-openai:v0.5.0", {"vLLM"}, set(), "v0.5.0"),
    ("nvcr.io/nvidia/tritonserver:24.05-py3", {"Triton Inference Server"}, set(), "24.05"),
    ("n8nio/n8n:1.40.0", {"n8n"}, set(), "1.40.0"),
    ("portainer/portainer-ce:2.20.2", {"Portainer"}, set(), "2.20.2"),
    ("portainer/helper-reset-password", set(), {"Portainer"}, None),
    ("gitlab/gitlab-ce:16.11.0-ce.0", {"GitLab"}, {"GitLab CI"}, "16.11.0"),
    ("gitlab/gitlab-runner:latest", {"GitLab CI"}, {"GitLab"}, None),
    # A runner numbers itself, not the forge or the CI service.
    ("gitea/act_runner:0.2.10", set(), {"Gitea", "Gitea Actions"}, None),
    ("myoung34/github-runner:2.317.0", set(), {"GitHub Actions"}, None),
    # A node image numbers Kubernetes, not kind: no key.
    ("kindest/node:v1.30.0", set(), {"kind"}, None),
    ("pactfoundation/pact-broker:2.110", {"Pact Broker", "Pact"}, set(), "2.110"),
    ("cloudflare/cloudflared:2024.6.0", {"Cloudflare Tunnel"}, set(), "2024.6.0"),
    ("zaproxy/zap-stable", {"OWASP ZAP"}, set(), None),
    ("chrislusf/seaweedfs:3.68", {"SeaweedFS"}, set(), "3.68"),
    ("jrottenberg/ffmpeg:6.1-ubuntu", {"FFmpeg"}, set(), "6.1"),
    ("apache/superset:4.0.1", {"Apache Superset"}, set(), "4.0.1"),
    ("metabase/metabase:v0.50.0", {"Metabase"}, set(), "v0.50.0"),
]


@pytest.mark.parametrize(("reference", "wanted", "unwanted", "version"), IMAGES,
                         ids=[r[0] for r in IMAGES])
def test_image_names_what_it_should_and_nothing_else(
    reference: str, wanted: set[str], unwanted: set[str], version: str | None
) -> None:
    parsed = parse_image(reference)
    names = {known.name for known in parsed[0]} if parsed else set()
    assert wanted <= names, sorted(names)
    assert not unwanted & names, sorted(names)
    if wanted:
        assert parsed is not None and parsed[1] == version, parsed



def dockerfile(*packages: str, base: str = "debian:bookworm-slim") -> Tree:
    return {"Dockerfile": f"FROM {base}\nRUN apt-get update && apt-get install -y "
                          f"--no-install-recommends {' '.join(packages)}\n"}


def compose(*images: str) -> Tree:
    services = "".join(f"  s{i}:\n    image: {image}\n" for i, image in enumerate(images))
    return {"compose.yaml": f"services:\n{services}"}


# (row id, tree, technologies that must be named, technologies that must not be)
TREES: list[tuple[str, Tree, set[str], set[str]]] = [
    # --- Workflow steps ----------------------------------------------------------------------
    ("workflow-actions", workflow("pnpm/action-setup@v4", "SonarSource/sonarcloud-github-action@v2",
                                  "gitleaks/gitleaks-action@v2", "aquasecurity/tfsec-action@v1.0.0",
                                  "astral-sh/setup-uv@v5"),
     {"pnpm", "SonarCloud", "tfsec", "uv"}, set()),
    ("workflow-setup-actions-name-no-runtime", workflow("actions/setup-node@v4",
                                                        "actions/setup-python@v5"),
     set(), {"Node.js", "Python"}),
    ("workflow-prefix", workflow("snyk/actions/python@master", "reviewdog/action-setup@v1"),
     {"Snyk", "reviewdog"}, set()),
    # --- Compose services and Dockerfiles ----------------------------------------------------
    ("compose-services", compose("registry:2", "n8nio/n8n:1.40.0", "dpage/pgadmin4:8",
                                 "ghcr.io/open-webui/open-webui:main"),
     {"n8n", "pgAdmin", "Open WebUI"}, set()),
    ("compose-look-alikes", compose("acme/registry-ui:1", "ghostfolio/ghostfolio:2",
                                    "wordpress/wp-cli:2"),
     set(), {"Ghost", "WordPress"}),
    ("dockerfile-build-stage", {"Dockerfile": "FROM maven:3.9-eclipse-temurin-21 AS build\n"
                                              "FROM eclipse-temurin:21-jre\n"},
     {"Maven"}, set()),
    ("dockerfile-packages", dockerfile("cron", "libjemalloc2", "texlive-xetex",
                                       "libreoffice-impress"),
     {"cron", "jemalloc", "TeX Live", "LibreOffice"}, set()),
    ("dockerfile-package-look-alikes", dockerfile("cronolog", "socat", "texinfo", "file"),
     set(), {"cron", "TeX Live"}),
    ("alpine-packages", {"Dockerfile": "FROM alpine:3.20\nRUN apk add --no-cache "
                                       "chromium-chromedriver xvfb-run dumb-init\n"},
     {"Chromium"}, set()),
    # --- Tools' own files ---------------------------------------------------------------------
    ("snyk-policy", {".snyk": "version: v1.25.0\n"}, {"Snyk"}, set()),
    ("snyk-look-alike", {"docs/snyk.md": "# Snyk\n"}, set(), {"Snyk"}),
    ("tflint", {"infra/.tflint.hcl": "plugin \"aws\" {}\n"}, {"TFLint"}, set()),
    ("tfsec-folder", {".tfsec/config.yml": "severity_overrides: {}\n"}, {"tfsec"}, set()),
    ("tfsec-look-alike", {"docs/tfsec/config.yml": "a: 1\n"}, set(), {"tfsec"}),
    ("conftest", {"tests/conftest.py": "import pytest\n"}, {"pytest"}, set()),
    ("conftest-look-alike", {"tests/conftest_helpers.py": "x = 1\n"}, set(), {"pytest"}),
    ("crontab", {"docker/crontab": "* * * * * true\n"}, {"cron"}, set()),
    ("crontab-look-alike", {"docker/crontab.example": "* * * * * true\n"}, set(), {"cron"}),
    ("redis-conf", {"docker/redis/redis.conf": "maxmemory 1gb\n"}, {"Redis"}, set()),
    ("redis-conf-look-alike", {"docker/redis.conf.example": "maxmemory 1gb\n"}, set(), {"Redis"}),
    ("corefile", {"dns/Corefile": ".:53 {\n  forward . 8.8.8.8\n}\n"}, {"CoreDNS"}, set()),
    ("galaxy", {"galaxy.yml": "namespace: acme\n"}, {"Ansible"}, set()),
    ("ecs-php", {"ecs.php": "<?php\n"}, {"Easy Coding Standard"}, set()),
    ("ecs-look-alike", {"deploy/ecs-task.php": "<?php\n"}, set(), {"Easy Coding Standard"}),
    ("appspec", {"appspec.yml": "version: 0.0\n"}, {"AWS CodeDeploy"}, set()),
    ("azure-yaml-at-root", {"azure.yaml": "name: app\n"}, {"Azure Developer CLI"}, set()),
    ("azure-yaml-nested-is-not-azd", {"deploy/pipelines/azure.yaml": "a: 1\n"},
     set(), {"Azure Developer CLI"}),
    ("sqlx-offline-data", {"api/.sqlx/query-abc.json": "{}\n"}, {"SQLx"}, set()),
    ("sqlx-look-alike", {"api/sqlx/query.json": "{}\n"}, set(), {"SQLx"}),
    ("cue-module", {"schema/cue.mod/module.cue": "module: \"acme.io/x\"\n"}, {"CUE"}, set()),
    ("kamal", {".kamal/secrets": "KAMAL_REGISTRY_PASSWORD=$X\n"}, {"Kamal"}, set()),
    ("kamal-look-alike", {"docs/kamal/notes.md": "x\n"}, set(), {"Kamal"}),
    ("vitepress", {"docs/.vitepress/config.ts": "export default {}\n"}, {"VitePress"}, set()),
    ("vuepress", {"docs/.vuepress/config.js": "module.exports = {}\n"}, {"VuePress"}, set()),
    ("nuke", {".nuke/parameters.json": "{}\n"}, {"NUKE"}, set()),
    ("bamboo-specs", {"bamboo-specs/bamboo.yml": "version: 2\n"}, {"Atlassian Bamboo"}, {"Bamboo"}),
    ("bamboo-look-alike", {"docs/bamboo-specs.md": "x\n"}, set(), {"Atlassian Bamboo"}),
    ("packer-template", {"images/base.pkr.hcl": "source \"amazon-ebs\" \"x\" {}\n"},
     {"Packer"}, set()),
    ("nomad-job", {"deploy/api.nomad.hcl": "job \"api\" {}\n"}, {"Nomad"}, set()),
    ("log4j2", {"src/main/resources/log4j2.xml": "<Configuration/>\n"}, {"Log4j 2"}, set()),
    ("log4j1-is-not-log4j2", {"src/main/resources/log4j.xml": "<log4j/>\n"}, set(), {"Log4j 2"}),
    ("alembic", {"alembic.ini": "[alembic]\n"}, {"Alembic"}, set()),
    ("mint-json", {"docs/mint.json": "{}\n"}, {"Mintlify"}, set()),
    ("fastfile", {"fastlane/Fastfile": "lane :beta do\nend\n"}, {"Fastlane"}, set()),
]


@pytest.mark.parametrize(("tree", "expected", "absent"), [r[1:] for r in TREES],
                         ids=[r[0] for r in TREES])
def test_tree_names_exactly_what_it_should(
    tmp_path: Path, tree: Tree, expected: set[str], absent: set[str]
) -> None:
    check_tree(tmp_path, tree, expected, absent)
