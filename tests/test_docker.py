"""Static checks on the container setup (docker/). No Docker engine or database needed."""

import re
from pathlib import Path

import pytest
import yaml

DOCKER_DIR = Path(__file__).resolve().parent.parent / "docker"
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((DOCKER_DIR / "compose.yaml").read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile():
    return (DOCKER_DIR / "Dockerfile").read_text()


def _stages(dockerfile):
    """Split the Dockerfile into build stages, each starting at its FROM line."""
    return re.split(r"(?im)^(?=FROM\s)", dockerfile)[1:]


def _command(service):
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_compose_runs_web_worker_beat_db_and_redis(compose, services):
    assert "version" not in compose
    assert {"web", "worker", "beat", "db", "redis"} <= services.keys()
    assert "migrate --noinput" in _command(services["web"])
    assert "gunicorn ereport.wsgi:application" in _command(services["web"])
    assert "celery -A ereport worker" in _command(services["worker"])
    assert "celery -A ereport beat" in _command(services["beat"])
    assert "8000:8000" in services["web"]["ports"]


def test_app_services_wait_for_healthy_db_and_redis(services):
    for name in APP_SERVICES:
        depends_on = services[name]["depends_on"]
        for dependency in ("db", "redis"):
            assert depends_on[dependency]["condition"] == "service_healthy", (name, dependency)


def test_every_service_has_a_healthcheck(services):
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert "redis-cli ping" in " ".join(services["redis"]["healthcheck"]["test"])


def test_app_services_share_one_environment_with_required_settings(services):
    env = services["web"]["environment"]
    for name in APP_SERVICES:
        assert services[name]["environment"] == env, name
    for key in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS"):
        assert env.get(key), key
    assert env["DATABASE_URL"].startswith("postgres://")
    assert "@db:5432/" in env["DATABASE_URL"]
    assert env["CELERY_BROKER_URL"].startswith("redis://redis:")
    assert env["REDIS_URL"].startswith("redis://redis:")
    assert env["CELERY_BROKER_URL"] != env["REDIS_URL"]
    assert str(env["DEBUG"]).strip().lower() in {"0", "false", "no", "off"}


def test_data_lives_in_named_volumes(compose, services):
    named = set(compose["volumes"])
    assert {"pgdata", "redisdata", "private"} <= named
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert "redisdata:/data" in services["redis"]["volumes"]
    private_root = services["web"]["environment"]["PRIVATE_STORAGE_ROOT"]
    for name in ("web", "worker"):
        assert f"private:{private_root}" in services[name]["volumes"], name


def test_redis_keeps_queued_jobs_across_restarts(services):
    command = _command(services["redis"])
    assert "--appendonly yes" in command
    assert "--maxmemory-policy noeviction" in command


def test_dockerfile_runs_as_non_root_user(dockerfile):
    final_stage = _stages(dockerfile)[-1]
    users = re.findall(r"(?im)^USER\s+(\S+)", final_stage)
    assert users, "final stage never switches user"
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_dockerfile_builds_assets_in_a_node_stage(dockerfile):
    stages = _stages(dockerfile)
    assert len(stages) >= 2
    node_stage = stages[0]
    assert re.match(r"(?i)FROM\s+node:\S+\s+AS\s+(\w+)", node_stage)
    assert "npm ci" in node_stage
    alias = re.match(r"(?i)FROM\s+\S+\s+AS\s+(\w+)", node_stage).group(1)
    final_stage = stages[-1]
    assert re.match(r"(?i)FROM\s+python:3\.11", final_stage)
    assert re.search(rf"(?im)^COPY\s+--from={alias}\s+\S*node_modules/@uswds", final_stage)
    assert "collectstatic --noinput" in final_stage


def test_secret_key_has_no_default_in_compose(services):
    for name in APP_SERVICES:
        secret = services[name]["environment"]["SECRET_KEY"]
        assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]*\}", secret), (name, secret)
