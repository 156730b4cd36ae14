"""PHP: ``composer.json`` requirements."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from backend_persona.discover.catalog import Known, k, technologies
from backend_persona.discover.evidence import source
from backend_persona.discover.index import FileIndex, display, parent_of
from backend_persona.discover.perfile import per_file
from backend_persona.discover.registry import Finding, detector
from backend_persona.models import Component, Scope

CATALOG: dict[str, tuple[Known, ...]] = {
    "laravel/framework": k("Laravel", "framework"),
    "laravel/lumen-framework": k("Lumen", "framework"),
    "symfony/framework-bundle": k("Symfony", "framework"),
    "slim/slim": k("Slim", "framework"),
    "doctrine/orm": k("Doctrine ORM", "data-access"),
    "doctrine/migrations": k("Doctrine Migrations", "migrations"),
    "predis/predis": k("Redis", "datastore"),
    "php-amqplib/php-amqplib": k("RabbitMQ", "broker"),
    "mongodb/mongodb": k("MongoDB", "datastore"),
    "grpc/grpc": k("gRPC", "rpc"),
    "phpunit/phpunit": k("PHPUnit", "testing"),
    "pestphp/pest": k("Pest", "testing"),
}
_SECTIONS: tuple[tuple[str, Scope], ...] = (("require", "runtime"), ("require-dev", "dev"))


@detector("php")
def detect(index: FileIndex) -> Iterator[Finding]:
    """Composer packages and their frameworks."""
    for path in index.named("composer.json"):
        yield from per_file(index, path, _composer, index, path)


def _composer(index: FileIndex, path: str) -> Iterator[Finding]:
    data = index.read_json_object(path)
    if data is None:
        return
    text = source(index, path)
    folder = parent_of(path)
    name = data.get("name")
    yield Component(path=display(folder),
                    name=display(name if isinstance(name, str) and name else folder),
                    ecosystems=["php"], manifests=[display(path)])
    for section, scope in _SECTIONS:
        table = data.get(section)
        for package, version in (table.items() if isinstance(table, dict) else ()):
            yield from technologies(CATALOG, package, partial(text.cite, f'"{package}"'),
                                    version if isinstance(version, str) else None, scope)
