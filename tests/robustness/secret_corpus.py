"""A corpus of planted credentials, spread over the files a backend repository really has.

Every token is assembled at run time from pieces and a seeded generator, so this file holds
no literal a secret scanner would flag, yet each value has its provider's real shape.
`Planted.needles` are the fragments that must never appear in anything we print or write.
"""

from __future__ import annotations

import base64
import json
import random
import string
from collections.abc import Iterator
from dataclasses import dataclass

_UPPER_DIGITS = string.ascii_uppercase + string.digits
_ALNUM = string.ascii_letters + string.digits
_B64 = _ALNUM + "+/"
_URLSAFE = _ALNUM + "-_"
_HEX = "0123456789abcdef"


@dataclass(frozen=True)
class Planted:
    """One credential: what it is, where it sits, and the fragments that must not leak."""

    kind: str
    path: str
    needles: tuple[str, ...]


class _Tokens:
    """Realistically shaped credentials from a seeded generator."""

    def __init__(self, seed: int) -> None:
        # Seeded on purpose: the same fake credentials every run.
        self.rng = random.Random(seed)  # noqa: S311

    def chars(self, alphabet: str, size: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(size))

    def aws_key_id(self) -> str:
        return "AK" + "IA" + self.chars(_UPPER_DIGITS, 16)

    def aws_secret(self) -> str:
        return self.chars(_B64, 40)

    def github(self, prefix: str = "p") -> str:
        return "gh" + prefix + "_" + self.chars(_ALNUM, 36)

    def github_fine_grained(self) -> str:
        return "github" + "_pat_" + self.chars(_ALNUM, 22) + "_" + self.chars(_ALNUM, 59)

    def gitlab(self) -> str:
        return "gl" + "pat-" + self.chars(_URLSAFE, 20)

    def slack(self) -> str:
        return ("xo" + "xb-" + self.chars(string.digits, 12) + "-" + self.chars(string.digits, 13)
                + "-" + self.chars(_ALNUM, 24))

    def stripe(self) -> str:
        return "sk" + "_live_" + self.chars(_ALNUM, 24)

    def sendgrid(self) -> str:
        return "SG" + "." + self.chars(_URLSAFE, 22) + "." + self.chars(_URLSAFE, 43)

    def npm(self) -> str:
        return "np" + "m_" + self.chars(_ALNUM, 36)

    def google_api(self) -> str:
        return "AI" + "za" + self.chars(_URLSAFE, 35)

    def openai(self) -> str:
        return "sk-" + "proj-" + self.chars(_URLSAFE, 48)

    def anthropic(self) -> str:
        return "sk-" + "ant-api03-" + self.chars(_URLSAFE, 80)

    def vault(self) -> str:
        return "hv" + "s." + self.chars(_ALNUM, 24)

    def twilio(self) -> str:
        return "SK" + self.chars(_HEX, 32)

    def hex(self, size: int = 32) -> str:
        return self.chars(_HEX, size)

    def password(self) -> str:
        # Passwords have no shape: only where they sit says what they are.
        return self.chars(_ALNUM, 10) + "!" + self.chars(_ALNUM, 8)

    def jwt(self) -> str:
        def part(data: dict[str, object]) -> str:
            raw = json.dumps(data, separators=(",", ":")).encode()
            return base64.urlsafe_b64encode(raw).decode().rstrip("=")

        header = part({"alg": "HS256", "typ": "JWT"})
        payload = part({"sub": self.hex(8), "role": "service", "iat": 1767323045})
        return f"{header}.{payload}.{self.chars(_URLSAFE, 43)}"

    def pem_body(self) -> str:
        return base64.b64encode(self.rng.randbytes(600)).decode()

    def pem(self, label: str = "RSA PRIVATE KEY") -> tuple[str, str]:
        body = self.pem_body()
        lines = [body[i:i + 64] for i in range(0, len(body), 64)]
        dashes = "-" * 5
        block = "\n".join([f"{dashes}BEGIN {label}{dashes}", *lines,
                           f"{dashes}END {label}{dashes}"])
        return block, body[64:128]

    def azure_key(self) -> str:
        return base64.b64encode(self.rng.randbytes(64)).decode()

    def stripe_test(self) -> str:
        return "sk" + "_test_" + self.chars(_ALNUM, 24)

    def shopify(self) -> str:
        return "shp" + "at_" + self.hex(32)

    def digitalocean(self) -> str:
        return "dop" + "_v1_" + self.hex(64)

    def grafana(self) -> str:
        return "gl" + "sa_" + self.chars(_ALNUM, 32) + "_" + self.hex(8)

    def slack_app(self) -> str:
        return ("xa" + "pp-1-" + self.chars(_UPPER_DIGITS, 11) + "-" + self.chars(string.digits, 13)
                + "-" + self.hex(64))

    def slack_webhook_path(self) -> str:
        return f"T{self.chars(_UPPER_DIGITS, 10)}/B{self.chars(_UPPER_DIGITS, 10)}/" + \
            self.chars(_ALNUM, 24)

    def sas_signature(self) -> str:
        # URL-encoded base64, as Azure prints it in a SAS URL.
        raw = base64.b64encode(self.rng.randbytes(32)).decode()
        return raw.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")

    def opaque(self, size: int = 40) -> str:
        # A bearer token with no provider prefix: only where it sits says what it is.
        return self.chars(_URLSAFE, size - 1) + self.rng.choice(string.digits)

    def words(self, count: int) -> list[str]:
        return [self.chars(string.ascii_lowercase, 9) for _ in range(count)]

    def pgp(self) -> tuple[str, str]:
        body = self.pem_body()
        lines = [body[i:i + 64] for i in range(0, len(body), 64)]
        dashes = "-" * 5
        label = "PGP PRIVATE KEY BLOCK"
        block = "\n".join([f"{dashes}BEGIN {label}{dashes}", "", *lines,
                           "=" + self.chars(_B64, 4), f"{dashes}END {label}{dashes}"])
        return block, body[64:128]


@dataclass
class SecretProject:
    """The files of a project full of credentials, and every credential planted in them."""

    files: dict[str, str]
    planted: list[Planted]
    commit_subject: str

    def needles(self) -> Iterator[str]:
        """Every fragment that must not be printed or written."""
        for item in self.planted:
            yield from item.needles


def build(seed: int = 2026) -> SecretProject:
    """A Java/Node/Python/Go monorepo whose config files hold at least 30 credentials."""
    t = _Tokens(seed)
    files: dict[str, str] = {}
    planted: list[Planted] = []

    def plant(kind: str, path: str, *needles: str) -> None:
        planted.append(Planted(kind, path, needles))

    # --- .env variants ---------------------------------------------------------------
    aws_id, aws_secret, db_pw, stripe = t.aws_key_id(), t.aws_secret(), t.password(), t.stripe()
    files[".env"] = (
        f"AWS_ACCESS_KEY_ID={aws_id}\nAWS_SECRET_ACCESS_KEY={aws_secret}\n"
        f"DATABASE_URL=postgres://orders:{db_pw}@db.internal:5432/orders\n"
        f"STRIPE_SECRET_KEY={stripe}\nPOSTGRES_IMAGE=postgres:16\n"
    )
    plant("aws-access-key-id", ".env", aws_id)
    plant("aws-secret-access-key", ".env", aws_secret)
    plant("database-url-password", ".env", db_pw)
    plant("stripe-secret-key", ".env", stripe)

    gh, slack, redis_pw = t.github(), t.slack(), t.password()
    files[".env.production"] = (
        f"export GITHUB_TOKEN={gh}\nSLACK_BOT_TOKEN='{slack}'\n"
        f"REDIS_URL=rediss://:{redis_pw}@cache.internal:6380/0\n"
    )
    plant("github-token", ".env.production", gh)
    plant("slack-bot-token", ".env.production", slack)
    plant("redis-url-password", ".env.production", redis_pw)

    sendgrid, mongo_pw = t.sendgrid(), t.password()
    files[".env.example"] = (
        f"SENDGRID_API_KEY={sendgrid}\n"
        f"MONGO_URL=mongodb+srv://app:{mongo_pw}@cluster0.example.mongodb.net/app\n"
    )
    plant("sendgrid-api-key", ".env.example", sendgrid)
    plant("mongodb-url-password", ".env.example", mongo_pw)

    jwt_secret, openai = t.chars(_ALNUM, 48), t.openai()
    files["services/notify/.env.local"] = f"JWT_SECRET=\"{jwt_secret}\"\nOPENAI_API_KEY={openai}\n"
    plant("jwt-secret", "services/notify/.env.local", jwt_secret)
    plant("openai-api-key", "services/notify/.env.local", openai)

    # --- Spring ------------------------------------------------------------------------
    jdbc_pw, mail_pw = t.password(), t.password()
    props = "services/billing/src/main/resources/application.properties"
    files[props] = (
        "spring.application.name=billing\n"
        f"spring.datasource.url=jdbc:postgresql://db:5432/billing?user=billing&password={jdbc_pw}\n"
        f"spring.mail.password={mail_pw}\nspring.kafka.bootstrap-servers=kafka:9092\n"
    )
    plant("jdbc-url-password", props, jdbc_pw)
    plant("smtp-password", props, mail_pw)

    yml_pw, rabbit_pw, jwt_yml = t.password(), t.password(), t.jwt()
    yml = "services/billing/src/main/resources/application-prod.yml"
    files[yml] = (
        f"spring:\n  datasource:\n    url: jdbc:mysql://db/billing\n    password: {yml_pw}\n"
        f"  rabbitmq:\n    addresses: amqps://billing:{rabbit_pw}@mq.internal:5671\n"
        f"security:\n  service-token: {jwt_yml}\n"
    )
    plant("spring-yaml-password", yml, yml_pw)
    plant("amqp-url-password", yml, rabbit_pw)
    plant("jwt", yml, jwt_yml)

    # --- .NET ---------------------------------------------------------------------------
    sql_pw, azure, bus = t.password(), t.azure_key(), t.azure_key()
    files["services/ledger/appsettings.json"] = json.dumps({
        "ConnectionStrings": {
            "Default": f"Server=sql.internal;Database=ledger;User Id=ledger;Password={sql_pw};",
            "Storage": ("DefaultEndpointsProtocol=https;AccountName=ledgerfiles;"
                        f"AccountKey={azure};EndpointSuffix=core.windows.net"),
            "Bus": ("Endpoint=sb://ledger.servicebus.windows.net/;"
                    f"SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={bus}"),
        },
    }, indent=2)
    files["services/ledger/Ledger.csproj"] = (
        "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><ItemGroup><PackageReference "
        "Include=\"Npgsql.EntityFrameworkCore.PostgreSQL\" Version=\"8.0.4\" /></ItemGroup>"
        "</Project>\n"
    )
    plant("sql-server-password", "services/ledger/appsettings.json", sql_pw)
    plant("azure-storage-key", "services/ledger/appsettings.json", azure)
    plant("azure-service-bus-key", "services/ledger/appsettings.json", bus)

    # --- Helm, Compose, Kubernetes -------------------------------------------------------
    helm_pw, helm_redis = t.password(), t.password()
    files["deploy/helm/orders/Chart.yaml"] = (
        "apiVersion: v2\nname: orders\nversion: 1.4.0\ndependencies:\n"
        "  - name: postgresql\n    version: 15.5.0\n    repository: oci://registry-1.docker.io/bitnamicharts\n"
    )
    files["deploy/helm/orders/values.yaml"] = (
        "image:\n  repository: ghcr.io/acme/orders\n  tag: 1.4.0\n"
        f"postgresql:\n  auth:\n    password: {helm_pw}\n"
        f"redis:\n  auth:\n    password: \"{helm_redis}\"\n"
    )
    plant("helm-postgres-password", "deploy/helm/orders/values.yaml", helm_pw)
    plant("helm-redis-password", "deploy/helm/orders/values.yaml", helm_redis)

    compose_pw, gitlab_compose = t.password(), t.gitlab()
    files["compose.yaml"] = (
        "services:\n  orders:\n    build: services/orders\n    environment:\n"
        f"      DATABASE_URL: postgresql://orders:{compose_pw}@postgres:5432/orders\n"
        f"      GITLAB_TOKEN: {gitlab_compose}\n"
        f"  postgres:\n    image: postgres:16-alpine\n    environment:\n"
        f"      POSTGRES_PASSWORD: {compose_pw}\n"
    )
    plant("compose-postgres-password", "compose.yaml", compose_pw)
    plant("gitlab-token", "compose.yaml", gitlab_compose)

    k8s_pw, vault = t.password(), t.vault()
    encoded = base64.b64encode(k8s_pw.encode()).decode()
    files["deploy/k8s/orders/secret.yaml"] = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: orders\ntype: Opaque\n"
        f"data:\n  DB_PASSWORD: {encoded}\nstringData:\n  VAULT_TOKEN: {vault}\n"
    )
    plant("k8s-secret-data", "deploy/k8s/orders/secret.yaml", encoded)
    plant("vault-token", "deploy/k8s/orders/secret.yaml", vault)

    # --- Terraform -----------------------------------------------------------------------
    tf_pw, tf_key, tf_secret = t.password(), t.aws_key_id(), t.aws_secret()
    files["infra/terraform.tfvars"] = f"db_password = \"{tf_pw}\"\nregion = \"eu-west-1\"\n"
    files["infra/main.tf"] = (
        f"provider \"aws\" {{\n  access_key = \"{tf_key}\"\n  secret_key = \"{tf_secret}\"\n}}\n"
        "resource \"aws_db_instance\" \"orders\" {\n  engine = \"postgres\"\n"
        "  password = var.db_password\n}\n"
    )
    plant("terraform-tfvars-password", "infra/terraform.tfvars", tf_pw)
    plant("terraform-aws-key-id", "infra/main.tf", tf_key)
    plant("terraform-aws-secret", "infra/main.tf", tf_secret)

    # --- Package manifests with credentials in URLs --------------------------------------
    gitlab_pip, index_pw = t.gitlab(), t.password()
    files["services/search/requirements.txt"] = (
        f"--extra-index-url https://deploy:{index_pw}@pypi.acme.example/simple\n"
        "fastapi==0.110.0\nsqlalchemy==2.0.29\n"
        f"acme-common @ git+https://oauth2:{gitlab_pip}@gitlab.com/acme/common.git@v1.2.0\n"
    )
    plant("pip-index-password", "services/search/requirements.txt", index_pw)
    plant("gitlab-token-in-requirement", "services/search/requirements.txt", gitlab_pip)

    gh_npm, npm = t.github("o"), t.npm()
    files["services/web/package.json"] = json.dumps({
        "name": "web", "version": "1.0.0",
        "dependencies": {"express": "^4.19.2",
                         "acme-ui": f"git+https://{gh_npm}:x-oauth-basic@github.com/acme/ui.git"},
    }, indent=2)
    files["services/web/.npmrc"] = f"//registry.npmjs.org/:_authToken={npm}\n"
    plant("github-oauth-in-dependency", "services/web/package.json", gh_npm)
    plant("npm-token", "services/web/.npmrc", npm)

    # --- Gradle ---------------------------------------------------------------------------
    nexus_pw, signing_pw = t.password(), t.password()
    files["services/billing/gradle.properties"] = (
        f"org.gradle.jvmargs=-Xmx2g\nnexusUsername=ci\nnexusPassword={nexus_pw}\n"
        f"signing.password={signing_pw}\n"
    )
    files["services/billing/build.gradle.kts"] = (
        "plugins { id(\"org.springframework.boot\") version \"3.2.5\" }\n"
        "dependencies { implementation(\"org.springframework.boot:spring-boot-starter-web\") }\n"
    )
    plant("gradle-nexus-password", "services/billing/gradle.properties", nexus_pw)
    plant("gradle-signing-password", "services/billing/gradle.properties", signing_pw)

    # --- Keys on disk ---------------------------------------------------------------------
    sa_pem, sa_fragment = t.pem("PRIVATE KEY")
    files["config/gcp-service-account.json"] = json.dumps({
        "type": "service_account", "project_id": "acme-prod", "private_key_id": t.hex(40),
        "private_key": sa_pem + "\n", "client_email": "ci@acme-prod.iam.gserviceaccount.com",
    }, indent=2)
    plant("gcp-service-account-key", "config/gcp-service-account.json", sa_fragment)
    rsa_pem, rsa_fragment = t.pem()
    files["deploy/certs/server.key"] = rsa_pem + "\n"
    plant("pem-private-key", "deploy/certs/server.key", rsa_fragment)
    ec_pem, ec_fragment = t.pem("EC PRIVATE KEY")
    files["services/orders/config/jwt-signing.pem"] = ec_pem + "\n"
    plant("ec-private-key", "services/orders/config/jwt-signing.pem", ec_fragment)

    # --- Scripts and CI ---------------------------------------------------------------------
    google, anthropic = t.google_api(), t.anthropic()
    files[".github/workflows/ci.yml"] = (
        "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    env:\n"
        f"      GOOGLE_API_KEY: {google}\n      ANTHROPIC_API_KEY: {anthropic}\n"
        "    steps:\n      - run: docker compose -f compose.yaml up -d\n"
    )
    plant("google-api-key", ".github/workflows/ci.yml", google)
    plant("anthropic-api-key", ".github/workflows/ci.yml", anthropic)
    twilio, fine = t.twilio(), t.github_fine_grained()
    files["Makefile"] = (
        f"deploy:\n\tcurl -u {twilio}:x https://api.twilio.example/\n"
        f"\tGH_TOKEN={fine} gh release create v1\n"
    )
    plant("twilio-key", "Makefile", twilio)
    plant("github-fine-grained-token", "Makefile", fine)
    docker_token = t.github()
    files["services/orders/Dockerfile"] = (
        f"FROM golang:1.22 AS build\nARG GITHUB_TOKEN={docker_token}\n"
        "RUN go build ./...\n"
    )
    files["services/orders/go.mod"] = (
        "module github.com/acme/orders\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.9.1\n"
    )
    plant("dockerfile-build-arg", "services/orders/Dockerfile", docker_token)

    # --- Shapes the first corpus missed (issue 9) -----------------------------------------
    stripe_test, shopify, digitalocean = t.stripe_test(), t.shopify(), t.digitalocean()
    grafana, slack_app = t.grafana(), t.slack_app()
    files[".env.test"] = (
        f"STRIPE_KEY={stripe_test}\nSHOPIFY_ADMIN={shopify}\nDO_ACCESS={digitalocean}\n"
        f"GRAFANA_SA={grafana}\nSLACK_APP={slack_app}\n"
    )
    plant("stripe-test-key", ".env.test", stripe_test)
    plant("shopify-admin-token", ".env.test", shopify)
    plant("digitalocean-token", ".env.test", digitalocean)
    plant("grafana-service-account-token", ".env.test", grafana)
    plant("slack-app-token", ".env.test", slack_app)

    glued_gh, glued_aws, webhook, sas = t.github(), t.aws_key_id(), t.slack_webhook_path(), \
        t.sas_signature()
    bearer, mysql_pw, redis_pw2, hex_user = t.opaque(), t.password(), t.password(), t.hex(40)
    # Over the old 128-character bound, yet short enough that the line's first 180
    # characters, which the state tests record as a title, still reach the "@".
    long_pw = t.chars(_ALNUM, 70) + "%21" + t.chars(_ALNUM, 70)
    at_pw_head, at_pw_tail = t.chars(_ALNUM, 10), t.chars(_ALNUM, 10)
    files["scripts/ops.sh"] = (
        "#!/bin/sh\n"
        f"# revoked: x_{glued_gh} and build-{glued_aws}\n"
        f"curl -X POST https://hooks.slack.com/services/{webhook} -d @payload.json\n"
        "az storage blob download --blob-url "
        f"'https://acme.blob.core.windows.net/exports/a.csv?sv=2022-11-02&sp=r&sig={sas}&se=2026'\n"
        f"curl -H 'Authorization: Bearer {bearer}' https://api.acme.example/v1/orders\n"
        f"mysql -h db.internal -u root -p{mysql_pw} orders < dump.sql\n"
        f"redis-server --port 6380 --requirepass {redis_pw2}\n"
        f"git clone https://{hex_user}@github.com/acme/infra.git\n"
        f"git clone https://deploy:{long_pw}@git.acme.example/acme/infra.git\n"
        f"psql postgres://app:{at_pw_head}@{at_pw_tail}@db.internal:5432/app\n"
    )
    plant("token-glued-to-underscore", "scripts/ops.sh", glued_gh)
    plant("token-glued-to-dash", "scripts/ops.sh", glued_aws)
    plant("slack-webhook", "scripts/ops.sh", webhook.rpartition("/")[2])
    plant("azure-sas-signature", "scripts/ops.sh", sas)
    plant("authorization-bearer", "scripts/ops.sh", bearer)
    plant("mysql-p-flag", "scripts/ops.sh", mysql_pw)
    plant("redis-requirepass", "scripts/ops.sh", redis_pw2)
    plant("url-user-40-hex", "scripts/ops.sh", hex_user)
    plant("url-password-over-128", "scripts/ops.sh", long_pw[:70], long_pw[-70:])
    plant("url-password-with-at", "scripts/ops.sh", at_pw_head, at_pw_tail)

    passphrase = t.words(3)
    files["config/database.yml"] = (
        "production:\n  adapter: postgresql\n"
        f"  password: \"{' '.join(passphrase)}\"\n  pool: 5\n"
    )
    plant("quoted-multi-word-password", "config/database.yml", *passphrase)
    pgp, pgp_fragment = t.pgp()
    files["deploy/keys/release-signing.asc"] = pgp + "\n"
    plant("pgp-private-key", "deploy/keys/release-signing.asc", pgp_fragment)

    # --- Key names, commands and provider tokens the second corpus missed ----------------
    db_pass, smtp_pass, env_pw, pg_pw = t.password(), t.password(), t.password(), t.password()
    app_key, master_key, enc_key = t.azure_key(), t.hex(32), t.opaque(32)
    files[".env.staging"] = (
        f"DB_PASS={db_pass}\nSMTP_PASS: {smtp_pass}\nAPP_KEY=base64:{app_key}\n"
        f"RAILS_MASTER_KEY={master_key}\nENCRYPTION_KEY={enc_key}\n"
        "DB_PASSWORD_FILE=/run/secrets/db\n"
    )
    plant("bare-pass-key", ".env.staging", db_pass)
    plant("bare-pass-yaml-key", ".env.staging", smtp_pass)
    plant("laravel-app-key", ".env.staging", app_key)
    plant("rails-master-key", ".env.staging", master_key)
    plant("encryption-key", ".env.staging", enc_key)
    files["services/legacy/Dockerfile"] = (
        f"FROM postgres:16\nENV PASSWORD {env_pw}\n"
        f"RUN export PGPASSWORD {pg_pw} && psql -c 'select 1'\n"
    )
    plant("dockerfile-env-space", "services/legacy/Dockerfile", env_pw)
    plant("export-space", "services/legacy/Dockerfile", pg_pw)

    aws_cli, curl_pw, user_pw, url_token = t.aws_secret(), t.password(), t.password(), t.opaque(32)
    cookie, php_pw, go_pw = t.opaque(32), t.password(), t.password()
    files["scripts/release.sh"] = (
        "#!/bin/sh\n"
        f"aws configure set aws_secret_access_key {aws_cli}\n"
        f"curl -u admin:{curl_pw} https://ci.acme.example/api\n"
        f"curl --user deploy:{user_pw} https://ci.acme.example/api\n"
        f"git clone https://{url_token}@github.com/acme/tools.git\n"
        f"curl -H 'Cookie: sessionid={cookie}; theme=dark' https://admin.acme.example/\n"
    )
    plant("aws-cli-space", "scripts/release.sh", aws_cli)
    plant("curl-u-password", "scripts/release.sh", curl_pw)
    plant("curl-user-password", "scripts/release.sh", user_pw)
    plant("url-user-token", "scripts/release.sh", url_token)
    plant("cookie-header", "scripts/release.sh", cookie)
    files["services/shop/config/database.php"] = (
        f"<?php\nreturn ['mysql' => ['username' => 'shop', 'password' => '{php_pw}']];\n"
    )
    files["services/orders/internal/db/conn.go"] = (
        f"package db\n\nfunc dsn() string {{\n\tpassword := \"{go_pw}\"\n\treturn password\n}}\n"
    )
    plant("php-array-password", "services/shop/config/database.php", php_pw)
    plant("go-short-declaration-password", "services/orders/internal/db/conn.go", go_pw)

    providers = {
        "stripe-webhook-secret": "wh" + "sec_" + t.chars(_ALNUM, 32),
        "pypi-token": "py" + "pi-AgEIcHlwaS5vcmc" + t.chars(_URLSAFE, 70),
        "huggingface-token": "h" + "f_" + t.chars(string.ascii_letters, 34),
        "google-oauth-access-token": "ya" + "29." + t.chars(_URLSAFE, 60),
        "docker-hub-token": "dc" + "kr_pat_" + t.chars(_URLSAFE, 27),
        "google-oauth-client-secret": "GOC" + "SPX-" + t.chars(_URLSAFE, 28),
        "mailgun-key": "ke" + "y-" + t.hex(32),
        "databricks-token": "da" + "pi" + t.hex(32),
        "linear-api-key": "li" + "n_api_" + t.chars(_ALNUM, 40),
        "telegram-bot-token": t.chars(string.digits, 10) + ":" + "A" + "A" + t.chars(_URLSAFE, 33),
        "atlassian-api-token": "ATA" + "TT3" + t.chars(_URLSAFE, 180) + "=" + t.hex(8),
    }
    files["config/integrations.ini"] = "".join(
        f"{kind.replace('-', '_')}_value = {token}\n" for kind, token in providers.items())
    # Also glued into prose with no key name before them, as in a commit or a note.
    files["ops/rotated.txt"] = "".join(
        f"rotated {token} on Monday\n" for token in providers.values())
    for kind, token in providers.items():
        plant(kind, "config/integrations.ini", token)

    # --- The last commit subject ------------------------------------------------------------
    subject_gh, subject_gl, subject_slack = t.github(), t.gitlab(), t.slack()
    subject = (f"rotate keys: old {subject_gh} and {subject_gl} revoked, "
               f"bot {subject_slack}")
    plant("commit-subject-github", "<commit subject>", subject_gh)
    plant("commit-subject-gitlab", "<commit subject>", subject_gl)
    plant("commit-subject-slack", "<commit subject>", subject_slack)
    return SecretProject(files=files, planted=planted, commit_subject=subject)


def lines_with_secrets(project: SecretProject) -> list[str]:
    """Each line of the corpus that holds a credential, as a user might paste it.

    A key file is pasted whole, as people do: one line of its body alone is random base64
    that nothing could tell from any other.
    """
    found = []
    for text in project.files.values():
        if text.startswith("-----BEGIN"):
            found.append(text)
            continue
        for line in text.splitlines():
            if any(n in line for n in project.needles()):
                found.append(line.strip())
    return [*found, project.commit_subject]
