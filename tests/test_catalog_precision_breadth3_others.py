"""Precision of popular3-jvm-dotnet-go-rust-gem-hex-composer.toml: the third round of JVM, .NET,
Go, Rust, Ruby, Elixir and PHP packages.

Each row looks an id up through the loader the detectors use (`catalog.match`, implied
technologies included) and says what it must name and what it must not. Every prefix key
(`io.helidon.`, `tools.jackson.`, `Cake.`, `Fake.`, `Verify.`, `nette/`, `react/`...) gets a
row inside its owner's namespace and a look-alike just outside it; the short exact keys
(`Grpc`, `Htmx`, `wix`, `Cel`, the one-word gems and Hex packages) get a look-alike that
shares their stem. The tree rows go through the real detectors (Gradle plugin ids, a mix.exs
and a composer.json), and the version rows check that a build plugin, a sibling module or a
companion package never gives the technology's own version.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backend_persona.discover import catalog
from tests.catalog_rows import check_names
from tests.conftest import Tree
from tests.manifest_trees import check_tree, composer, mix

# (source, id, names it must give, names it must not give)
ROWS: list[tuple[str, str, set[str], set[str]]] = [
    # --- JVM: group prefixes stop at the group's own separator
    ("maven", "io.helidon.webserver:helidon-webserver", {"Helidon"}, set()),
    ("maven", "io.helidonx:helidon-lookalike", set(), {"Helidon"}),
    ("maven", "io.ratpack:ratpack-core", {"Ratpack"}, set()),
    ("maven", "io.ratpackx:core", set(), {"Ratpack"}),
    ("maven", "com.google.errorprone:error_prone_annotations", set(), {"Error Prone"}),
    ("maven", "com.esotericsoftware:kryo", {"Kryo"}, set()),
    ("maven", "com.esotericsoftware:kryo-shaded", set(), {"Kryo"}),
    ("maven", "ca.uhn.hapi.fhir:hapi-fhir-base", {"HAPI FHIR"}, set()),
    ("maven", "ca.uhn.hapi:hapi-base", set(), {"HAPI FHIR"}),
    ("maven", "com.squareup.wire:wire-runtime", {"Square Wire"}, {"Wire"}),
    ("gradle_plugin", "com.squareup.wire", {"Square Wire"}, set()),
    ("maven", "dev.zio:zio_2.13", {"ZIO"}, set()),
    ("maven", "dev.ziox:zio", set(), {"ZIO"}),
    ("maven", "io.circe:circe-core_2.13", {"circe"}, set()),
    ("maven", "org.scalatest:scalatest_2.13", {"ScalaTest"}, set()),
    ("maven", "org.scalatestplus:mockito-4-11_2.13", set(), {"ScalaTest"}),
    ("maven", "org.typelevel:cats-effect_3", {"Cats Effect"}, {"Cats"}),
    ("maven", "org.typelevel:cats-core_2.13", {"Cats"}, {"Cats Effect"}),
    ("maven", "org.typelevel:cats-kernel_2.13", set(), {"Cats", "Cats Effect"}),
    ("maven", "org.scala-lang:scala-library", {"Scala"}, set()),
    ("maven", "org.scala-lang:scala-reflect", set(), {"Scala"}),
    ("maven", "org.apache.groovy:groovy-json", {"Groovy"}, set()),
    ("maven", "org.codehaus.groovy:groovy-xml", {"Groovy"}, set()),
    ("maven", "org.codehaus.groovyfx:groovyfx", set(), {"Groovy"}),
    ("maven", "org.glassfish.grizzly:grizzly-http-server", {"Grizzly"}, set()),
    ("maven", "tools.jackson.core:jackson-databind", {"Jackson"}, set()),
    ("maven", "tools.jackson.module:jackson-module-kotlin", {"Jackson"}, set()),
    ("maven", "tools.jacksonx:lookalike", set(), {"Jackson"}),
    ("maven", "io.growthbook.sdk:GrowthBook", {"GrowthBook"}, set()),
    ("maven", "org.apache.karaf:apache-karaf", {"Apache Karaf"}, set()),
    ("maven", "org.apache.karaf.features:standard", set(), {"Apache Karaf"}),
    ("maven", "org.apache.jena:jena-arq", {"Apache Jena"}, set()),
    ("maven", "ml.dmlc:xgboost4j_2.12", {"XGBoost"}, set()),
    ("maven", "net.sourceforge.plantuml:plantuml-mit", {"PlantUML"}, set()),
    ("maven", "io.trino:trino-cli", {"Trino"}, set()),
    ("maven", "io.trinox:client", set(), {"Trino"}),
    ("maven", "dev.dbos:transact", {"DBOS"}, set()),
    ("maven", "dev.cel:cel", {"CEL"}, set()),
    ("maven", "dev.celx:cel", set(), {"CEL"}),
    ("maven", "org.graalvm.polyglot:js-community", {"GraalJS"}, set()),
    ("maven", "org.graalvm.sdk:jniutils", set(), {"GraalJS"}),
    ("maven", "org.graalvm.js:js-language", {"GraalJS"}, set()),
    ("maven", "org.graalvm.jsx:js", set(), {"GraalJS"}),
    ("maven", "com.google.flogger:flogger", {"Flogger"}, set()),
    ("maven", "org.locationtech.jts:jts-core", {"JTS Topology Suite"}, set()),
    ("maven", "com.google.cloud.sql:postgres-socket-factory", {"Google Cloud SQL"}, set()),
    ("maven", "com.google.cloud:google-cloud-sqlcommenter", set(), {"Google Cloud SQL"}),
    ("maven", "org.springframework.session:spring-session-jdbc", {"Spring Session"}, set()),
    ("maven", "org.springframework.data:spring-data-commons", {"Spring Data"}, set()),
    ("maven", "org.springframework.data:spring-data-rest-core", {"Spring Data REST"},
     {"Spring Data"}),
    ("maven", "software.amazon.msk:aws-msk-iam-auth", {"Amazon MSK"}, set()),
    ("maven", "org.xolstice.maven.plugins:protobuf-maven-plugin", {"Protocol Buffers"}, set()),
    # --- .NET: ids compare without case; prefixes stop at the owner's dot
    ("nuget", "verify", {"Verify"}, set()),
    ("nuget", "Verify.Xunit", {"Verify"}, set()),
    ("nuget", "VerifyTests.Lookalike", set(), {"Verify"}),
    ("nuget", "Cronos", {"Cronos"}, set()),
    ("nuget", "Cronos.Lookalike", set(), {"Cronos"}),
    ("nuget", "grate", {"Grate"}, set()),
    ("nuget", "grate.core", set(), {"Grate"}),
    ("nuget", "Grpc", {"gRPC"}, set()),
    ("nuget", "GrpcLookalike", set(), {"gRPC"}),
    ("nuget", "Htmx", {"htmx"}, set()),
    ("nuget", "HtmxLookalike", set(), {"htmx"}),
    ("nuget", "wix", {"WiX Toolset"}, set()),
    ("nuget", "wixsharp", set(), {"WiX Toolset"}),
    ("nuget", "Cel", {"CEL"}, set()),
    ("nuget", "Celery.Client", set(), {"CEL"}),
    ("nuget", "Cake.Frosting", {"Cake"}, set()),
    ("nuget", "CakeMail.RestClient", set(), {"Cake"}),
    ("nuget", "Fake.Core.Target", {"FAKE"}, set()),
    ("nuget", "FakeItEasy", set(), {"FAKE"}),
    ("nuget", "Anthropic.SDK", {"Anthropic"}, set()),
    ("nuget", "AnthropicClient", set(), {"Anthropic"}),
    ("nuget", "BootstrapBlazor.FontAwesome", {"BootstrapBlazor"}, set()),
    ("nuget", "BootstrapBlazorLookalike", set(), {"BootstrapBlazor"}),
    ("nuget", "DistributedLock.Postgres", {"DistributedLock"}, set()),
    ("nuget", "DistributedLockLookalike", set(), {"DistributedLock"}),
    ("nuget", "FluentStorage.AWS", {"FluentStorage"}, set()),
    ("nuget", "LightInject.Microsoft.DependencyInjection", {"LightInject"}, set()),
    ("nuget", "MathNet.Numerics.Data.Text", {"Math.NET Numerics"}, set()),
    ("nuget", "MathNet.Spatial", set(), {"Math.NET Numerics"}),
    ("nuget", "Microsoft.Agents.AI.OpenAI", {"Microsoft Agent Framework"}, set()),
    ("nuget", "Microsoft.Agents.Builder", set(), {"Microsoft Agent Framework"}),
    ("nuget", "NRules.Runtime", {"NRules"}, set()),
    ("nuget", "Snapshooter.Xunit3", {"Snapshooter"}, set()),
    ("nuget", "WireMock.Net.Abstractions", {"WireMock"}, set()),
    ("nuget", "Yuniql.PostgreSql", {"Yuniql"}, set()),
    ("nuget", "Microsoft.Testing.Extensions.TrxReport", {"Microsoft Testing Platform"}, set()),
    ("nuget", "Microsoft.TestPlatform.ObjectModel", set(), {"Microsoft Testing Platform"}),
    ("nuget", "Microsoft.ClearScript.V8", {"ClearScript"}, set()),
    ("nuget", "Hl7.Fhir.R4", {"Firely .NET SDK"}, set()),
    ("nuget", "Hl7Lookalike", set(), {"Firely .NET SDK"}),
    ("nuget", "Firely.Fhir.Validation", {"Firely .NET SDK"}, set()),
    ("nuget", "Handlebars.Net.Helpers.Json", {"Handlebars"}, set()),
    ("nuget", "AMQPNetLite.Core", {"AMQP.Net Lite"}, set()),
    ("nuget", "DotNetty.Codecs", {"DotNetty"}, set()),
    ("nuget", "DotNetEnv", set(), {"DotNetty"}),
    ("nuget", "Docker.DotNet.Enhanced.X509", {"Docker.DotNet"}, set()),
    ("nuget", "FSharp.Core", {"F#"}, set()),
    ("nuget", "FSharp.Data", set(), {"F#"}),
    ("nuget", "dotnet-ef", {"EF Core"}, set()),
    ("nuget", "PdfPig", {"PdfPig"}, set()),
    # --- Go: module paths are exact keys; a sibling module is not the technology
    ("go", "github.com/bytedance/sonic", {"ByteDance Sonic"}, {"Sonic"}),
    ("go", "github.com/uber/h3-go/v4", {"Uber H3"}, set()),
    ("go", "pgregory.net/rapid", {"rapid"}, set()),
    ("go", "gotest.tools/v3", {"gotest.tools"}, {"gotestsum"}),
    ("go", "gotest.tools/gotestsum", {"gotestsum"}, {"gotest.tools"}),
    ("go", "github.com/air-verse/air", {"Air"}, set()),
    ("go", "github.com/go-task/task/v3", {"Task"}, set()),
    ("go", "github.com/docker/cli", {"Docker"}, set()),
    ("go", "k8s.io/api", {"client-go"}, set()),
    ("go", "sigs.k8s.io/kind", {"kind"}, set()),
    ("go", "istio.io/api", {"Istio"}, set()),
    ("go", "tailscale.com", {"Tailscale"}, set()),
    ("go", "github.com/go-chi/cors", {"chi"}, set()),
    ("go", "github.com/twmb/avro", {"Avro"}, set()),
    ("go", "github.com/prometheus/common", set(), {"Prometheus"}),
    ("go", "github.com/prometheus/prometheus", {"Prometheus"}, set()),
    ("go", "cel.dev/cel-go", {"CEL"}, set()),
    ("go", "github.com/grafana/loki/v3", {"Loki"}, set()),
    ("go", "github.com/ipfs/kubo", {"IPFS"}, set()),
    ("go", "github.com/dbos-inc/dbos-transact-golang", {"DBOS"}, set()),
    ("go", "github.com/GoogleCloudPlatform/cloud-sql-proxy/v2", {"Google Cloud SQL"}, set()),
    ("go", "github.com/peterldowns/pgtestdb", {"pgtestdb"}, set()),
    ("go", "github.com/tikv/pd", {"TiKV"}, set()),
    ("go", "github.com/tikv/pd/client", set(), {"TiKV"}),
    ("go", "oss.terrastruct.com/d2", {"D2"}, set()),
    ("go", "oss.terrastruct.com/d2x", set(), {"D2"}),
    ("go", "oras.land/oras", {"ORAS"}, set()),
    ("go", "github.com/k3s-io/kine", {"k3s"}, set()),
    ("go", "github.com/grafana/loki", {"Loki"}, set()),
    ("go", "github.com/grafana/loki-client-go", set(), {"Loki"}),
    ("go", "github.com/pingcap/tidb", {"TiDB"}, set()),
    ("go", "github.com/pingcap/tidb-tools", set(), {"TiDB"}),
    # --- Rust: exact crate names
    ("crate", "loom", {"loom"}, set()),
    ("crate", "rkyv", {"rkyv"}, set()),
    ("crate", "rkyv_derive", set(), {"rkyv"}),
    ("crate", "postcard", {"postcard"}, set()),
    ("crate", "postcard-rpc", set(), {"postcard"}),
    ("crate", "foyer", {"foyer"}, set()),
    ("crate", "cynic", {"cynic"}, set()),
    ("crate", "cynic-codegen", set(), {"cynic"}),
    ("crate", "rspc", {"rspc"}, set()),
    ("crate", "ts-rs", {"ts-rs"}, set()),
    ("crate", "bincode", {"bincode"}, set()),
    ("crate", "actix-files", {"Actix Web"}, set()),
    ("crate", "h2", set(), {"H2"}),
    # --- Ruby: exact gem names, and their look-alikes
    ("gem", "her", {"Her"}, set()),
    ("gem", "hermes", set(), {"Her"}),
    ("gem", "agoo", {"Agoo"}, set()),
    ("gem", "steep", {"Steep"}, set()),
    ("gem", "algolia", {"Algolia"}, set()),
    ("gem", "cocoon", {"Cocoon"}, set()),
    ("gem", "vonage", {"Vonage"}, set()),
    ("gem", "reek", {"Reek"}, set()),
    ("gem", "phobos", {"Phobos"}, set()),
    ("gem", "mailjet", {"Mailjet"}, set()),
    ("gem", "sparkpost", {"SparkPost"}, set()),
    ("gem", "blind_index", {"Lockbox"}, set()),
    # --- Elixir: exact Hex names
    ("hex", "ra", {"Ra"}, set()),
    ("hex", "rabbit_common", set(), {"Ra"}),
    ("hex", "patch", {"Patch"}, set()),
    ("hex", "canary", {"Canary"}, set()),
    ("hex", "permit_phoenix", {"Permit"}, set()),
    ("hex", "doctor", {"Doctor"}, set()),
    ("hex", "reactor", {"Reactor"}, set()),
    ("hex", "spark", {"Spark DSL"}, set()),
    ("hex", "snap", {"Elasticsearch"}, set()),
    ("hex", "aws", {"AWS Elixir"}, set()),
    ("hex", "aws_signature", set(), {"AWS Elixir"}),
    ("hex", "flame", {"FLAME"}, set()),
    ("hex", "flame_on", set(), {"FLAME"}),
    ("hex", "electric", {"ElectricSQL"}, set()),
    ("hex", "wax_", {"Wax"}, set()),
    ("hex", "wax", set(), {"Wax"}),
    ("hex", "memento", {"Mnesia"}, set()),
    ("hex", "mdex", {"MDEx"}, set()),
    ("hex", "mdex_mermaid", set(), {"MDEx"}),
    ("hex", "ash_graphql", {"Ash GraphQL", "Ash"}, set()),
    ("hex", "ex_aws_kms", {"ExAws"}, set()),
    ("hex", "phoenix_ecto", set(), {"Phoenix Ecto"}),
    ("hex", "dns_cluster", set(), {"DNSCluster"}),
    # --- PHP: vendor prefixes stop at the vendor's slash
    ("composer", "nette/utils", {"Nette"}, set()),
    ("composer", "nettex/utils", set(), {"Nette"}),
    ("composer", "react/event-loop", {"ReactPHP"}, set()),
    ("composer", "reactphp-lookalike/event-loop", set(), {"ReactPHP"}),
    ("composer", "amphp/amp", {"AMPHP"}, set()),
    ("composer", "hyperf/http-server", {"Hyperf"}, set()),
    ("composer", "mezzio/mezzio-router", {"Mezzio"}, set()),
    ("composer", "symfony/ux-turbo", {"Symfony UX"}, set()),
    ("composer", "symfony/uid", set(), {"Symfony UX"}),
    ("composer", "phpredis/phpredis", {"PhpRedis", "Redis"}, set()),
    ("composer", "bunny/bunny", {"Bunny PHP", "RabbitMQ"}, {"Bunny"}),
    ("composer", "dusterio/laravel-plain-sqs", {"Laravel SQS", "Amazon SQS", "Laravel"}, set()),
    ("composer", "phpstan/phpstan-doctrine", {"PHPStan Doctrine", "PHPStan"}, set()),
    ("composer", "datastax/php-driver", {"Cassandra"}, set()),
    ("composer", "elastic/apm-agent", {"Elastic APM"}, set()),
    ("composer", "aura/sql", {"Aura SQL"}, set()),
    ("composer", "phan/phan", {"Phan"}, set()),
    ("composer", "flarum/core", {"Flarum"}, set()),
    ("composer", "flarum/tags", set(), {"Flarum"}),
    ("composer", "roots/sage", {"Sage"}, set()),
    ("composer", "atlas/orm", {"Atlas ORM"}, set()),
    ("composer", "atlas/cli", set(), {"Atlas ORM"}),
    ("composer", "kriswallsmith/buzz", {"Buzz"}, set()),
    ("composer", "setasign/fpdf", {"FPDF"}, set()),
    ("composer", "laravel-lang/lang", {"Laravel Lang", "Laravel"}, set()),
    ("composer", "aura/sqlquery", set(), {"Aura SQL"}),
]


@pytest.mark.parametrize(("source", "ident", "wanted", "unwanted"), ROWS,
                         ids=[f"{row[0]}:{row[1]}" for row in ROWS])
def test_id_names_exactly_what_it_should(
    source: str, ident: str, wanted: set[str], unwanted: set[str]
) -> None:
    check_names(source, ident, wanted, unwanted)


def gradle_plugins(*plugin_ids: str) -> Tree:
    lines = "".join(f"    id '{p}' version '1.0.0'\n" for p in plugin_ids)
    return {"build.gradle": f"plugins {{\n    id 'java'\n{lines}}}\n"}




# (tree, names it must give, names it must not give)
TREES: list[tuple[str, Tree, set[str], set[str]]] = [
    ("gradle-wire", gradle_plugins("com.squareup.wire"), {"Square Wire"}, {"Wire"}),
    ("mix-ash-graphql", mix("ash_graphql"), {"Ash GraphQL", "Ash"}, set()),
    ("mix-wax-lookalike", mix("wax"), set(), {"Wax"}),
    ("composer-nette", composer("nette/application"), {"Nette"}, set()),
    ("composer-nette-lookalike", composer("nettex/application"), set(), {"Nette"}),
]


@pytest.mark.parametrize(("tree", "expected", "absent"), [row[1:] for row in TREES],
                         ids=[row[0] for row in TREES])
def test_manifest_names_exactly_what_it_should(
    tmp_path: Path, tree: Tree, expected: set[str], absent: set[str]
) -> None:
    check_tree(tmp_path, tree, expected, absent)


# (source, id, technology, whether that id gives the technology's version)
VERSION_ROWS: list[tuple[str, str, str, bool]] = [
    ("maven", "org.scala-lang:scala-library", "Scala", True),
    ("maven", "net.alchim31.maven:scala-maven-plugin", "Scala", False),
    ("maven", "org.apache.groovy:groovy", "Groovy", True),
    ("maven", "org.codehaus.gmavenplus:gmavenplus-plugin", "Groovy", False),
    ("maven", "org.scalatest:scalatest_2.13", "ScalaTest", True),
    ("maven", "org.scalatest:scalatest-maven-plugin", "ScalaTest", False),
    ("maven", "dev.zio:zio_3", "ZIO", True),
    ("maven", "dev.zio:zio-http_3", "ZIO", False),
    ("nuget", "MathNet.Numerics", "Math.NET Numerics", True),
    ("nuget", "MathNet.Numerics.Data.Text", "Math.NET Numerics", False),
    ("nuget", "Microsoft.Testing.Extensions.TrxReport", "Microsoft Testing Platform", False),
    ("go", "sigs.k8s.io/controller-tools", "Kubebuilder", False),
    ("go", "github.com/spiffe/spire", "SPIFFE", False),
    ("composer", "setasign/fpdi", "FPDF", False),
]


@pytest.mark.parametrize(("source", "ident", "name", "versioned"), VERSION_ROWS,
                         ids=[f"{row[0]}:{row[1]}" for row in VERSION_ROWS])
def test_only_the_technologys_own_package_gives_its_version(
    source: str, ident: str, name: str, versioned: bool
) -> None:
    found = {known.name: known for known in catalog.match(source, ident)}
    assert name in found, sorted(found)
    assert found[name].versioned is versioned
