"""Static checks of the container deployment (Dockerfile, docker-compose.yml, the proxy's
deploy/Caddyfile) and of the production settings (a real SECRET_KEY; the forwarded header trusted
only behind the proxy; HSTS and SSL redirect; ``check --deploy`` clean).

No Docker engine is needed and no database is touched: the compose file is validated
against the Compose Specification schema (check-jsonschema's vendored copy) and read
with ruamel.yaml (check-jsonschema's YAML parser); the Dockerfile is read as text.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
CADDYFILE = ROOT / "deploy" / "Caddyfile"
DOCKERFILE = ROOT / "Dockerfile"
APP_SERVICES = ("web", "worker", "beat")


def _run(args, env=None, timeout=120):
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def _command(service: dict) -> list[str]:
    command = service.get("command", [])
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


@pytest.fixture(scope="module")
def compose() -> dict:
    return YAML(typ="safe").load(COMPOSE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dockerfile() -> str:
    # Join continuation lines so that each instruction is one line.
    return re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))


# --- (a) the compose file is valid against the Compose Specification -----------------------


def test_compose_file_matches_compose_spec_schema():
    checker = Path(sys.executable).parent / "check-jsonschema"
    assert checker.exists(), f"check-jsonschema not installed next to {sys.executable} (pip install -e '.[dev]')"
    result = _run([str(checker), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)])
    assert result.returncode == 0, f"docker-compose.yml is not valid compose-spec:\n{result.stdout}\n{result.stderr}"


# --- (b) the services and how they run -----------------------------------------------------


def test_compose_has_no_obsolete_version_key(compose):
    assert "version" not in compose


def test_compose_defines_all_services(compose):
    services = compose["services"]
    for name in ("postgres", "redis", "migrate", "proxy", *APP_SERVICES):
        assert name in services, f"service {name!r} missing from docker-compose.yml"


@pytest.mark.parametrize(("service", "subcommand"), [("worker", "worker"), ("beat", "beat")])
def test_celery_services_run_the_emes_app(compose, service, subcommand):
    command = _command(compose["services"][service])
    assert command[:1] == ["celery"], command
    assert "-A" in command and command[command.index("-A") + 1] == "emes", command
    assert subcommand in command, command


def test_web_runs_gunicorn_on_port_8000_of_the_compose_network_only(compose):
    web = compose["services"]["web"]
    command = _command(web)
    assert command[:2] == ["gunicorn", "emes.wsgi:application"], command
    assert command[command.index("--bind") + 1].endswith(":8000"), command
    # Published, plain HTTP on 8000 met Secure-only cookies (a CSRF 403 at login) and let any client
    # claim HTTPS: gunicorn is reached through the proxy alone.
    assert "ports" not in web, f"web publishes {web['ports']}: only the proxy may be reachable from outside"
    assert [str(port) for port in web.get("expose", [])] == ["8000"]


def _proxy_ip(compose) -> str:
    networks = compose["services"]["proxy"]["networks"]
    addresses = [n.get("ipv4_address") for n in networks.values() if isinstance(n, dict)]
    assert len([a for a in addresses if a]) == 1, f"the proxy needs one fixed address: {networks}"
    return next(a for a in addresses if a)


def test_proxy_terminates_tls_on_443_and_80(compose):
    proxy = compose["services"]["proxy"]
    assert str(proxy["image"]).split(":")[0] == "caddy", proxy["image"]
    published = {str(port).split(":")[-1] for port in proxy["ports"]}
    assert {"80", "443"} <= published, proxy["ports"]
    mounts = [str(v) for v in proxy["volumes"]]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in mounts, mounts
    assert any(m.startswith("caddy-data:/data") for m in mounts), "certificates must outlive the container"
    assert "caddy-data" in compose["volumes"]
    assert proxy["depends_on"] == ["web"] or "web" in proxy["depends_on"]
    for name in ("EMES_HOST", "EMES_TLS"):
        assert name in proxy["environment"], f"{name} sets the host and the certificate (README, Deployment)"


def test_gunicorn_takes_forwarded_headers_from_the_proxy_alone(compose):
    command = _command(compose["services"]["web"])
    assert "--forwarded-allow-ips" in command, command
    allowed = command[command.index("--forwarded-allow-ips") + 1]
    assert allowed == _proxy_ip(compose), f"gunicorn trusts {allowed!r}, the proxy is {_proxy_ip(compose)!r}"
    assert "*" not in allowed
    # The proxy's fixed address lies in the subnet of the network web shares with it.
    import ipaddress

    (network_name,) = [name for name, n in compose["services"]["proxy"]["networks"].items() if n and n.get("ipv4_address")]
    assert network_name in compose["services"]["web"]["networks"]
    subnets = [c["subnet"] for c in compose["networks"][network_name]["ipam"]["config"]]
    assert any(ipaddress.ip_address(allowed) in ipaddress.ip_network(subnet) for subnet in subnets), subnets


def test_app_services_say_a_proxy_is_in_front_and_share_a_redis_cache(compose):
    for name in APP_SERVICES:
        environment = compose["services"][name]["environment"]
        assert str(environment["EMES_BEHIND_TLS_PROXY"]).lower() == "true", name
        assert environment["CACHE_URL"].startswith("redis://redis:6379/"), name
        assert environment["CACHE_URL"] != environment["CELERY_BROKER_URL"], "a cache clear must not flush the broker"


def test_caddyfile_overwrites_the_forwarded_headers_and_proxies_to_web():
    text = CADDYFILE.read_text(encoding="utf-8")
    lines = [line.split("#")[0].strip() for line in text.splitlines()]
    assert "reverse_proxy web:8000 {" in lines
    # header_up replaces a header a client sent (X-Forwarded-Proto: https over plain HTTP is a lie).
    assert "header_up X-Forwarded-Proto {scheme}" in lines
    assert "header_up X-Forwarded-For {remote_host}" in lines
    assert "{$EMES_HOST:localhost} {" in lines
    assert "import tls-{$EMES_TLS:internal}" in lines
    for mode, directive in (("internal", "tls internal"), ("acme", "tls {$EMES_ACME_EMAIL}"), ("files", "tls /certs/cert.pem /certs/key.pem")):
        assert f"(tls-{mode}) {{" in lines and directive in lines, mode
    assert not any(line.startswith("trusted_proxies") for line in lines), "no upstream proxy's headers are believed"


def test_readme_says_where_tls_ends_and_how_to_set_the_certificate():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    deployment = readme[readme.index("## Deployment"):]
    for word in ("TLS ends", "EMES_HOST", "EMES_TLS", "internal", "acme", "files", "cert.pem", "EMES_BEHIND_TLS_PROXY"):
        assert word in deployment, word


def test_app_services_share_one_image_build(compose):
    services = compose["services"]
    builds = {name: (services[name].get("build"), services[name].get("image")) for name in (*APP_SERVICES, "migrate")}
    assert all(build is not None for build, _ in builds.values()), builds
    assert len(set(map(repr, builds.values()))) == 1, f"app services differ in build/image: {builds}"
    build = builds["web"][0]
    context = build if isinstance(build, str) else build.get("context", ".")
    assert (ROOT / context / "Dockerfile").is_file()


def test_app_services_use_the_compose_database_and_broker(compose):
    for name in (*APP_SERVICES, "migrate"):
        service = compose["services"][name]
        assert service.get("env_file") in (".env", [".env"]), name
        environment = service["environment"]
        assert environment["DATABASE_URL"] == "postgres://emes:emes@postgres:5432/emes", name
        assert environment["CELERY_BROKER_URL"] == "redis://redis:6379/0", name


def test_backing_services_have_healthchecks(compose):
    services = compose["services"]
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "redis-cli" in services["redis"]["healthcheck"]["test"]
    assert "ping" in services["redis"]["healthcheck"]["test"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_healthy_backends_and_migrations(compose, name):
    depends_on = compose["services"][name]["depends_on"]
    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"


def test_migrate_is_a_one_shot(compose):
    migrate = compose["services"]["migrate"]
    assert _command(migrate)[:3] == ["python", "manage.py", "migrate"]
    assert str(migrate.get("restart", "no")) == "no"
    assert "migrate" not in migrate.get("depends_on", {})


def test_web_and_worker_share_the_private_storage_volume(compose):
    def private_volume(name):
        mounts = [str(v) for v in compose["services"][name].get("volumes", [])]
        sources = [m.split(":")[0] for m in mounts if m.split(":")[1:2] == ["/app/var/private"]]
        assert len(sources) == 1, f"{name} does not mount /app/var/private: {mounts}"
        return sources[0]

    source = private_volume("web")
    assert private_volume("worker") == source
    assert source in (compose.get("volumes") or {}), "the private volume must be a named volume"


# --- (c) the Dockerfile --------------------------------------------------------------------


def test_dockerfile_base_image(dockerfile):
    assert re.search(r"^FROM python:3\.11-slim-bookworm\b", dockerfile, re.M)


def test_dockerfile_installs_weasyprint_and_thai_font_packages(dockerfile):
    install = next((line for line in dockerfile.splitlines() if "apt-get install" in line), "")
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-thai-tlwg"):
        assert re.search(rf"(?<![\w.-]){re.escape(package)}(?![\w.-])", install), f"{package} not installed"
    assert "--no-install-recommends" in install
    assert "rm -rf /var/lib/apt/lists" in install


def test_dockerfile_installs_project_and_collects_static(dockerfile):
    assert re.search(r"^COPY pyproject\.toml ", dockerfile, re.M)
    assert re.search(r"^RUN pip install ", dockerfile, re.M)
    # pyproject.toml is copied (and installed) before the rest of the code, for layer caching.
    assert dockerfile.index("COPY pyproject.toml") < dockerfile.index("COPY . ")
    collect = next(line for line in dockerfile.splitlines() if "collectstatic" in line)
    assert "DEBUG=false" in collect and "SECRET_KEY=" in collect
    assert not re.search(r"^ENV\b.*SECRET_KEY", dockerfile, re.M), "no SECRET_KEY may be baked into the image"


def test_dockerfile_runs_gunicorn_as_non_root(dockerfile):
    cmd = next(line for line in dockerfile.splitlines() if line.startswith("CMD "))
    assert "gunicorn" in cmd and "emes.wsgi:application" in cmd
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.M)
    assert users and users[-1] not in ("root", "0"), users
    assert re.search(r"^EXPOSE 8000\b", dockerfile, re.M)
    assert "/app/var/private" in dockerfile


def test_dockerignore_keeps_local_state_out_of_the_image():
    patterns = {line.strip().strip("/") for line in (ROOT / ".dockerignore").read_text().splitlines()}
    for pattern in (".venv", "var", ".git", ".env", "__pycache__"):
        assert pattern in patterns, f"{pattern} not in .dockerignore"


# --- (d) settings refuse production without a real SECRET_KEY ------------------------------


_DEPLOY_SETTINGS = (
    "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "EMES_BEHIND_TLS_PROXY", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
)
PRODUCTION_KEY = "deployment-test-only-key-".ljust(50, "0")  # 50 characters, not "django-insecure"


def _check_env(**overrides: str) -> dict[str, str]:
    # Real environment variables win over .env (django-environ's read_env uses setdefault),
    # so a developer's .env with DEBUG=true cannot mask the refusal.
    env = {k: v for k, v in os.environ.items() if k not in _DEPLOY_SETTINGS}
    env.update(overrides)
    return env


def test_check_refuses_debug_off_with_short_secret_key():
    result = _run([sys.executable, "manage.py", "check"], env=_check_env(DEBUG="false", SECRET_KEY="short"))
    assert result.returncode != 0, result.stdout + result.stderr
    assert "SECRET_KEY" in result.stderr, result.stderr


def test_check_passes_debug_off_with_real_secret_key():
    key = "deployment-test-only-key-".ljust(50, "0")  # 50 characters, not "django-insecure"
    result = _run([sys.executable, "manage.py", "check"], env=_check_env(DEBUG="false", SECRET_KEY=key))
    assert result.returncode == 0, result.stdout + result.stderr


def _settings_in(env: dict[str, str]) -> dict:
    names = ["SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
             "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "CONTENT_SECURITY_POLICY", "MIDDLEWARE"]
    code = f"import json; from emes import settings as s; print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}, default=str))"
    result = _run([sys.executable, "-c", code], env=env)
    assert result.returncode == 0, result.stderr
    return __import__("json").loads(result.stdout)


def test_forwarded_proto_is_trusted_only_when_a_proxy_is_said_to_be_in_front():
    alone = _settings_in(_check_env(DEBUG="false", SECRET_KEY=PRODUCTION_KEY))
    assert alone["SECURE_PROXY_SSL_HEADER"] is None, "without a proxy any client could claim HTTPS"
    assert alone["SECURE_SSL_REDIRECT"] is False

    behind = _settings_in(_check_env(DEBUG="false", SECRET_KEY=PRODUCTION_KEY, EMES_BEHIND_TLS_PROXY="true"))
    assert behind["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert behind["SECURE_SSL_REDIRECT"] is True
    assert behind["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365 and behind["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert behind["SESSION_COOKIE_SECURE"] is True and behind["CSRF_COOKIE_SECURE"] is True
    assert "csp.middleware.CSPMiddleware" in behind["MIDDLEWARE"]
    directives = behind["CONTENT_SECURITY_POLICY"]
    assert "unsafe-inline" not in directives and "unsafe-eval" not in directives, directives


def test_check_deploy_is_clean_with_the_production_settings():
    env = _check_env(DEBUG="false", SECRET_KEY=PRODUCTION_KEY, ALLOWED_HOSTS="emes.example.go.th", EMES_BEHIND_TLS_PROXY="true")
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the test suite's own switch (live server + Playwright), not production's
    result = _run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr


# --- (e) processes recycled and connections kept (issue 18) -----------------------------------


def _option(command: list[str], name: str) -> int:
    assert name in command, f"{name} missing from {command}"
    return int(command[command.index(name) + 1])


def test_gunicorn_workers_are_recycled_with_jitter(compose, dockerfile):
    # WeasyPrint and matplotlib keep native memory per render; only a new process gives it back.
    web = _command(compose["services"]["web"])
    assert _option(web, "--max-requests") > 0
    assert 0 < _option(web, "--max-requests-jitter") < _option(web, "--max-requests")
    cmd = shlex.split(next(line for line in dockerfile.splitlines() if line.startswith("CMD ")).removeprefix("CMD "))
    cmd = [part.strip('[],"') for part in cmd]
    assert _option(cmd, "--max-requests") > 0 and _option(cmd, "--max-requests-jitter") > 0


def test_celery_worker_children_are_recycled(compose):
    worker = _command(compose["services"]["worker"])
    assert _option(worker, "--max-tasks-per-child") > 0


def test_app_services_keep_their_database_connection_with_a_health_check(compose):
    environment = compose["services"]["web"]["environment"]
    assert int(environment["CONN_MAX_AGE"]) > 0
    assert str(environment["CONN_HEALTH_CHECKS"]).lower() == "true"


def _database_settings(env: dict[str, str]) -> dict:
    code = "import json; from emes import settings as s; print(json.dumps(s.DATABASES['default'], default=str))"
    result = _run([sys.executable, "-c", code], env=env)
    assert result.returncode == 0, result.stderr
    return __import__("json").loads(result.stdout)


def test_postgresql_connections_persist_by_default_and_follow_the_environment():
    base = _check_env(DEBUG="false", SECRET_KEY=PRODUCTION_KEY, DATABASE_URL="postgres://u:p@127.0.0.1:5432/x")
    base.pop("CONN_MAX_AGE", None)
    base.pop("CONN_HEALTH_CHECKS", None)
    default = _database_settings(base)
    assert default["CONN_MAX_AGE"] > 0 and default["CONN_HEALTH_CHECKS"] is True
    chosen = _database_settings({**base, "CONN_MAX_AGE": "0", "CONN_HEALTH_CHECKS": "false"})
    assert chosen["CONN_MAX_AGE"] == 0 and chosen["CONN_HEALTH_CHECKS"] is False


def test_sqlite_closes_its_connection_after_each_request_by_default():
    env = _check_env(DEBUG="false", SECRET_KEY=PRODUCTION_KEY)
    env.pop("DATABASE_URL", None)
    env.pop("CONN_MAX_AGE", None)
    assert _database_settings(env)["CONN_MAX_AGE"] == 0


def test_templates_are_compiled_once_per_process_with_debug_off():
    # Template rendering was half the time of the long pages (issue 18); recompiling each template per request would
    # double it. Django's default loaders (no "loaders" option) are wrapped in the cached loader.
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'emes.settings'; django.setup(); "
            "from django.template import engines; print(engines['django'].engine.loaders[0][0])")
    result = _run([sys.executable, "-c", code], env=_check_env(DEBUG="false", SECRET_KEY=PRODUCTION_KEY))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.template.loaders.cached.Loader"


_SQLITE_PAGES = """
import django, os
os.environ['DJANGO_SETTINGS_MODULE'] = 'emes.settings'
django.setup()
from django.core.management import call_command
call_command('migrate', verbosity=0)
from decimal import Decimal
from emes.models import Division, Office
from plans.models import Project, QuarterlyReport, Strategy
from plans.selectors import plan_indicators, plan_overview
office = Office.objects.create(area_code='9990', name='office')
strategy = Strategy.objects.create(office=office, fiscal_year=2569, level='office', code='1', name='s')
division = Division.objects.create(office=office, code='02', name='d')
project = Project.objects.create(office=office, fiscal_year=2569, code='69-001', name='p', strategy=strategy, division=division, budget=Decimal('1000'))
for quarter in (1, 2):
    QuarterlyReport.objects.create(project=project, quarter=quarter, status='accepted', implementation='in_progress')
overview = plan_overview(office, 2569)
print(len(overview.rows), overview.rows[0].latest_report.quarter, len(plan_indicators(office, 2569).rows))
"""


def test_the_plan_pages_run_on_the_embedded_sqlite_default(tmp_path):
    # `make demo` runs on SQLite: a PostgreSQL-only query (DISTINCT ON) in the overview once broke its first page.
    env = _check_env(DEBUG="false", SECRET_KEY=PRODUCTION_KEY, DATABASE_URL=f"sqlite:///{tmp_path / 'first-run.sqlite3'}")
    result = _run([sys.executable, "-c", _SQLITE_PAGES], env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["1", "2", "0"]
