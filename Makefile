# Aether in containers (README, "Distributed mode with containers").
#
#   make build-services            build every image (aether-<service>:latest)
#   make run | run-prod            monolith: PostgreSQL + the gateway with every agent in-process
#   make run-distributed           the gateway + 7 agent containers talking A2A
#   make run-observed              distributed + Prometheus, Grafana (:3001), Loki, Alloy, and traces in MLflow
#   make run-mlflow                monolith with its traces in MLflow (:5000)
#   make down | down-distributed | down-observed   stop and remove them (data volumes are kept)
#   make logs [SERVICE=architect]  follow the logs
#   make psql                      a psql shell on the PostgreSQL container
#   make test                      the test suite (README's test command)
#
# COMPOSE is any compose implementation: `make run-distributed COMPOSE="docker compose"`.
# Without a registry, build the base images first: `make base-offline`, then pass
# BASE_IMAGE=aether-node-base:24 POSTGRES_IMAGE=aether-postgres:15 (or put them in .env).

COMPOSE ?= podman-compose
# The engine that builds images: docker when COMPOSE is Docker's, else podman.
ENGINE ?= $(if $(findstring docker,$(COMPOSE)),docker,podman)
PROJECT ?= aether
BASE_IMAGE ?= $(or $(call env_value,BASE_IMAGE),docker.io/library/node:24-bookworm-slim)
SERVICE ?=

SERVICES := gateway orchestrator architect ds-orchestrator ds-analysts developer librarian dashboard-designer ha-demo
AGENTS := orchestrator architect ds-orchestrator ds-analysts developer librarian dashboard-designer

# A value from .env (the last assignment, quotes removed); empty when unset or commented out.
env_value = $(shell sed -n -E 's/^[[:space:]]*$(1)=["'"'"']?([^"'"'"']*)["'"'"']?[[:space:]]*$$/\1/p' .env 2>/dev/null | tail -n 1)
# The demo home stands in for Home Assistant when .env names none.
DEMO := $(if $(call env_value,HA_URL),,ha-demo)

MONOLITH_FILES := -p $(PROJECT) -f compose.yaml
DISTRIBUTED_FILES := $(MONOLITH_FILES) -f compose.distributed.yaml
OBSERVED_FILES := $(DISTRIBUTED_FILES) -f compose.observability.yaml
OBSERVABILITY := prometheus loki alloy grafana mlflow
# Where the monolith sends its traces with `run-mlflow` (.env may name another OTLP backend).
TRACES_ENDPOINT := $(or $(call env_value,OTEL_EXPORTER_OTLP_TRACES_ENDPOINT),http://mlflow:5000/v1/traces)
TRACES_HEADERS := $(or $(call env_value,OTEL_EXPORTER_OTLP_TRACES_HEADERS),x-mlflow-experiment-id=0)
# Services of every profile, so that `down` also removes those started by name. podman-compose
# before 1.1 has no --profile (and ignores profiles altogether).
ALL_PROFILES := $(if $(findstring podman-compose,$(COMPOSE)),,--profile full --profile demo --profile mlflow --profile observability)
# Podman writes OCI images unless told otherwise, and OCI images drop HEALTHCHECK.
BUILD_FORMAT := $(if $(filter podman,$(ENGINE)),--format docker,)

.PHONY: build-services base-offline run run-prod run-distributed run-observed run-mlflow down down-distributed down-observed logs psql test test-containers compose-config

build-services:
	@for service in $(SERVICES); do \
	  echo "::: aether-$$service:latest"; \
	  $(ENGINE) build $(BUILD_FORMAT) -f docker/Containerfile.service \
	    --build-arg AETHER_SERVICE=$$service --build-arg BASE_IMAGE=$(BASE_IMAGE) \
	    -t aether-$$service:latest . || exit 1; \
	done

base-offline:
	ENGINE=$(ENGINE) tools/containers/build-local-base.sh

# A first .env: .env.example with generated secrets (database password, API key, service token).
.env:
	@secret() { od -An -tx1 -N24 /dev/urandom | tr -d ' \n'; }; \
	sed -e "s/^POSTGRES_PASSWORD=$$/POSTGRES_PASSWORD=$$(secret)/" \
	    -e "s/^AETHER_API_KEYS=$$/AETHER_API_KEYS=aether-$$(secret)/" \
	    -e "s/^AETHER_SERVICE_TOKEN=$$/AETHER_SERVICE_TOKEN=$$(secret)/" .env.example > .env; \
	chmod 600 .env; \
	echo "::: created .env with generated secrets; your API key is AETHER_API_KEYS in .env"

run: .env
	$(COMPOSE) $(MONOLITH_FILES) up -d postgres migrate app $(DEMO)

run-prod: .env build-services
	@test -n "$(call env_value,AETHER_API_KEYS)" || { echo "run-prod: set AETHER_API_KEYS in .env (production refuses open access)" >&2; exit 1; }
	NODE_ENV=production $(COMPOSE) $(MONOLITH_FILES) up -d postgres migrate app $(DEMO)

run-distributed: .env
	$(COMPOSE) $(DISTRIBUTED_FILES) up -d postgres migrate $(AGENTS) app $(DEMO)

run-observed: .env
	$(COMPOSE) $(OBSERVED_FILES) up -d postgres migrate $(AGENTS) app $(DEMO) $(OBSERVABILITY)
	@echo "::: Grafana http://127.0.0.1:3001 (admin/admin unless .env says otherwise), Prometheus :9090, Loki :3100, MLflow :5000"

run-mlflow: .env
	OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=$(TRACES_ENDPOINT) OTEL_EXPORTER_OTLP_TRACES_HEADERS=$(TRACES_HEADERS) \
	  $(COMPOSE) $(MONOLITH_FILES) up -d postgres migrate mlflow app $(DEMO)

down:
	$(COMPOSE) $(MONOLITH_FILES) $(ALL_PROFILES) down

down-observed:
	$(COMPOSE) $(OBSERVED_FILES) $(ALL_PROFILES) down

down-distributed:
	$(COMPOSE) $(DISTRIBUTED_FILES) $(ALL_PROFILES) down

logs:
	$(COMPOSE) $(DISTRIBUTED_FILES) logs -f $(SERVICE)

psql:
	$(COMPOSE) $(MONOLITH_FILES) exec postgres psql -U $(or $(call env_value,POSTGRES_USER),aether) $(or $(call env_value,POSTGRES_DB),aether)

# The three compose files, checked by docker-compose with .env.example as the .env they read (in a
# directory of its own, so that a real .env is neither needed nor read): the monolith, the
# distributed stack, and the observed stack (which also needs the files it mounts).
compose-config:
	@dir=$$(mktemp -d) && cp -r compose.yaml compose.distributed.yaml compose.observability.yaml docker "$$dir/" && cp .env.example "$$dir/.env" \
	  && (cd "$$dir" && export POSTGRES_PASSWORD=check \
	      && docker-compose -f compose.yaml config --quiet \
	      && docker-compose -f compose.yaml -f compose.distributed.yaml config --quiet \
	      && docker-compose -f compose.yaml -f compose.distributed.yaml -f compose.observability.yaml config --quiet); \
	  status=$$?; rm -rf "$$dir"; [ $$status -eq 0 ] && echo "compose.yaml, + compose.distributed.yaml, + compose.observability.yaml: valid"; exit $$status

test:
	npm test

test-containers:
	npm run test:containers
