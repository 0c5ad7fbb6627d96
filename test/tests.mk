# Tests, included by the Makefile. `make check` runs all of them; each check-* target runs one
# kind and can be used alone.

CHECK_CFLAGS := $(shell pkg-config --cflags check)
CHECK_LIBS   := $(shell pkg-config --libs check)
UNIT_SRC     := $(sort $(wildcard test/unit/*.c))
UNIT_OBJ     := $(UNIT_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN     := $(BUILD)/test/unit-tests
HOOK_RUN     := $(BUILD)/test/hook-run
# A database of any size written with Monero's LMDB: copies to measure, and senders to keep busy.
LMDB_FILL    := $(BUILD)/test/lmdb-fill

$(BUILD)/test/unit/%.o: test/unit/%.c
	@mkdir -p $(dir $@)
	@printf "  CC      %s\n" $<
	@$(CC) $(CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c $< -o $@

# monero-bootstrap's pieces that need no LMDB: the stream trailer, the token, the sources.
UNIT_BOOTSTRAP_OBJ := $(BUILD)/bootstrap/stream.o $(BUILD)/bootstrap/sources.o

$(UNIT_BIN): $(UNIT_OBJ) $(APP_OBJ) $(LIBRARY) $(UNIT_BOOTSTRAP_OBJ)
	@printf "  LD      %s\n" $@
	@$(CC) $(LDFLAGS) -o $@ $(UNIT_OBJ) $(APP_OBJ) $(UNIT_BOOTSTRAP_OBJ) $(LIBRARY) $(CHECK_LIBS) $(LDLIBS)

$(LMDB_FILL): test/tools/lmdb_fill.c $(LMDB_OBJ)
	@mkdir -p $(dir $@)
	@printf "  LD      %s\n" $@
	@$(CC) $(CFLAGS) -I$(LMDB_DIR) -o $@ $^ -lpthread

$(HOOK_RUN): $(BUILD)/test/tools/hook_run.o $(APP_OBJ) $(LIBRARY)
	@printf "  LD      %s\n" $@
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

check-unit: $(UNIT_BIN)
	CK_TIMEOUT_MULTIPLIER=$${CK_TIMEOUT_MULTIPLIER:-1} $(UNIT_BIN)

check-layers:
	scripts/check-layers

check: check-format check-layers check-unit

# The inner loop, in seconds: formatting, layering, Check units with the fixtures, schemas.
check-quick: check-format check-layers check-unit check-schema

# Schema validation (Node.js): every emitted child, every manifest, every example.
SCHEMA_DIR    := test/schema
SCHEMA_READY  := $(SCHEMA_DIR)/node_modules/.installed
RENDER_INPUTS := $(sort $(wildcard manifests/examples/*.yaml)) $(sort $(wildcard test/seeds/*.yaml)) \
                 $(sort $(wildcard test/render/*.yaml))
RENDER_OUT    := $(BUILD)/render

$(SCHEMA_READY): $(SCHEMA_DIR)/package.json $(SCHEMA_DIR)/package-lock.json
	cd $(SCHEMA_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Renders every example and seed both ways; any render failure fails the check.
check-render: $(BIN)
	@rm -rf $(RENDER_OUT) && mkdir -p $(RENDER_OUT)/yaml
	@set -e; for f in $(RENDER_INPUTS); do \
	    n=$$(echo $$f | tr '/' '_'); \
	    ./$(BIN) render -f $$f -o json > $(RENDER_OUT)/$$n.jsonl; \
	    ./$(BIN) render -f $$f > $(RENDER_OUT)/yaml/$$n; \
	    echo "  render  $$f: $$(grep -c '^kind:' $(RENDER_OUT)/yaml/$$n) objects"; \
	done

check-schema: check-render $(SCHEMA_READY)
	kubectl kustomize manifests > $(BUILD)/kustomized.yaml
	kubectl kustomize manifests/monitoring > $(BUILD)/kustomized-monitoring.yaml
	node $(SCHEMA_DIR)/validate.mjs --crds manifests/crds --manifests manifests \
	    --manifests metacontroller --manifests $(RENDER_OUT)/yaml \
	    --kustomized $(BUILD)/kustomized.yaml --kustomized $(BUILD)/kustomized-monitoring.yaml --fixtures test/fixtures \
	    --cel-cases $(SCHEMA_DIR)/cel-cases.yaml --must-fail $(SCHEMA_DIR)/must-fail \
	    --binary ./$(BIN) \
	    $(foreach f,$(RENDER_INPUTS),--crs $(f) --render $(f)=$(RENDER_OUT)/$(subst /,_,$(f)).jsonl)

check: check-schema

# The shipped alerts and dashboard against what the binaries export; promtool check and test.
check-monitoring: $(BIN) $(EXPORTER) $(BOOTSTRAP) $(SCHEMA_READY)
	node test/monitoring/check.mjs --binary ./$(BIN) --exporter ./$(EXPORTER) --bootstrap ./$(BOOTSTRAP) \
	    --out $(BUILD)/monitoring

check: check-monitoring

# The serve process: options, environment, logs, SIGTERM drain; a flood of slow and half-open
# connections (test/http/flood.mjs); a pooled keep-alive client as Metacontroller's
# (test/http/keepalive.mjs).
check-http: $(BIN) $(EXPORTER) $(SCHEMA_READY)
	bash test/http/serve_test.sh
	node test/http/bad_inputs.mjs --binary ./$(BIN)
	node test/http/exporter_stall.mjs --exporter ./$(EXPORTER)
	node test/http/flood.mjs --binary ./$(BIN)
	node test/http/flood.mjs --binary ./$(BIN) --tls
	node test/http/keepalive.mjs --binary ./$(BIN)
	node test/http/tls.mjs --binary ./$(BIN)

check: check-http

# The container image, built with buildah from locally made Debian base images.
# Inputs whose render is deterministic: Tor/I2P keys are random on a first sync.
IMAGE_RENDER_INPUTS = $(shell grep -LE '^ *(tor|i2p):' $(RENDER_INPUTS))
check-image: $(BIN)
	bash test/image/build_test.sh $(IMAGE_RENDER_INPUTS)

check: check-image

# The unit and HTTP suites again under AddressSanitizer + UndefinedBehaviorSanitizer (clang), and
# under valgrind memcheck: zero errors and zero leaks, or the target fails.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
check-sanitize: $(BIN)
	$(MAKE) --no-print-directory BUILD=build/asan CC=clang OPT=-O1 \
	    EXTRA_CFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" build/asan/test/unit-tests
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    CK_FORK=no build/asan/test/unit-tests
	$(MAKE) --no-print-directory BUILD=build/asan CC=clang OPT=-O1 EXPORTER=build/asan/monero-exporter \
	    BIN=build/asan/monero-operator EXTRA_CFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" \
	    build/asan/monero-exporter build/asan/monero-operator
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    node test/http/bad_inputs.mjs --binary build/asan/monero-operator
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    node test/http/flood.mjs --binary build/asan/monero-operator --rss-limit-mib 512
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    node test/http/tls.mjs --binary build/asan/monero-operator
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    node test/e2e/exporter.mjs --binary ./$(BIN) --exporter build/asan/monero-exporter --budgets off

# The 10,000-sync stability test (tag "slow") runs in the two runs above, not under valgrind.
VALGRIND := valgrind --quiet --error-exitcode=99 --leak-check=full \
	    --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible
check-valgrind: $(UNIT_BIN) $(BIN) $(BOOTSTRAP) $(LMDB_FILL)
	CK_FORK=no CK_TIMEOUT_MULTIPLIER=20 CK_EXCLUDE_TAGS=slow $(VALGRIND) $(UNIT_BIN)
	node test/e2e/bootstrap.mjs --binary ./$(BIN) --bootstrap ./$(BOOTSTRAP) --lmdb-fill $(LMDB_FILL) --blocks 2000 --wrap "$(VALGRIND)"

check: check-sanitize check-valgrind

# libFuzzer targets (clang, ASan+UBSan): every hook's request path, render, the exporter's
# parsing, the receiver of a bootstrap copy. `make fuzz FUZZ_SECONDS=600` for a long run;
# `make check` runs each briefly.
FUZZ_TARGETS := hooks render rpc json stream
FUZZ_SECONDS ?= 300
FUZZ_FLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
$(BUILD)/fuzz-%: $(BUILD)/test/fuzz/fuzz_%.o $(APP_OBJ) $(LIBRARY)
	@printf "  LD      %s\n" $@
	@$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

.PRECIOUS: $(BUILD)/test/fuzz/%.o

$(BUILD)/fuzz-stream: $(BUILD)/test/fuzz/fuzz_stream.o $(BUILD)/bootstrap/stream.o
	@printf "  LD      %s\n" $@
	@$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

fuzz-build:
	$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang OPT=-O1 \
	    EXTRA_CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" LDFLAGS="$(FUZZ_FLAGS)" \
	    $(foreach t,$(FUZZ_TARGETS),build/fuzz/fuzz-$(t))

fuzz: fuzz-build
	bash test/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

check-fuzz: fuzz-build
	bash test/fuzz/run.sh $${CHECK_FUZZ_SECONDS:-30} $(FUZZ_TARGETS)

check: check-fuzz

# End to end on real daemons (loopback only): MoneroNetworks rendered by the hook run as monerod
# processes and converge on one chain; over a private Tor network, transactions leave by Tor only.
check-e2e: $(BIN) $(EXPORTER) $(BOOTSTRAP) $(LMDB_FILL) $(HOOK_RUN)
	node test/e2e/exporter.mjs --binary ./$(BIN) --exporter ./$(EXPORTER)
	node test/e2e/bootstrap.mjs --binary ./$(BIN) --bootstrap ./$(BOOTSTRAP) --lmdb-fill $(LMDB_FILL) --blocks 2000
	node test/e2e/anonymity.mjs --binary ./$(BIN) --hook-run $(HOOK_RUN)
	node test/e2e/tor-network.mjs --binary ./$(BIN) --hook-run $(HOOK_RUN)
	node test/e2e/public-node.mjs --binary ./$(BIN)
	node test/e2e/network.mjs --binary ./$(BIN) --nodes 4 --topology mesh
	node test/e2e/network.mjs --binary ./$(BIN) --nodes 8 --topology random --degree 3

check: check-e2e

# A real control plane on loopback (test/cluster/run.sh): install, admission by the API server,
# the reconcile loop through a test stand-in for Metacontroller, the largest objects the CRDs
# allow, a server-side dry run of every render output.
# The stand-in applies Metacontroller's client rate limit at the setting the README installs
# Metacontroller with (METACONTROLLER_QPS/BURST); the benchmark also measures its defaults.
METACONTROLLER_QPS ?= 50
METACONTROLLER_BURST ?= 100
check-cluster: $(BIN) check-render $(SCHEMA_READY)
	bash test/cluster/run.sh --client-qps $(METACONTROLLER_QPS) --client-burst $(METACONTROLLER_BURST) \
	    --bench-rates $(METACONTROLLER_QPS)/$(METACONTROLLER_BURST)

check: check-cluster

# The install paths: helm lint, the chart equal to the kustomize manifests, and image overrides
# (kustomize overlay and Helm values) reaching every container the operator creates.
check-install: $(BIN) $(SCHEMA_READY)
	tools=$$(scripts/cluster-tools) && node test/install/install.test.mjs \
	    --kubectl "$$tools/kubectl" --helm "$$tools/helm" --binary ./$(BIN)

check: check-install

# Benchmarks (not tests): in-process hook cost as inputs grow.
HOOK_BENCH := $(BUILD)/test/hook-bench
$(HOOK_BENCH): $(BUILD)/test/bench/hook_bench.o $(APP_OBJ) $(LIBRARY)
	@printf "  LD      %s\n" $@
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

FLOOR_SERVER := $(BUILD)/test/floor-server
$(FLOOR_SERVER): $(BUILD)/test/bench/floor_server.o $(LIBRARY)
	@printf "  LD      %s\n" $@
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

BENCH_SECONDS ?= 10
# The previous release, which the hook is compared against on the same requests (a commit of
# this repository's history; move it forward at each release).
BENCH_BASELINE ?= 0cbe28dadb2472e87903425d9d0fc6b1c67c0bfc
bench: $(BIN) $(HOOK_BENCH) $(HOOK_RUN) $(EXPORTER) $(FLOOR_SERVER) $(SCHEMA_READY) $(BOOTSTRAP) $(LMDB_FILL)
	@echo "== the hook against the previous release ($(BENCH_BASELINE)), Metacontroller-shaped requests"
	@node test/bench/requests.mjs --hook-run $(HOOK_RUN) --out $(BUILD)/bench-requests > /dev/null
	@base=$$(test/bench/baseline.sh $(BENCH_BASELINE) $(BUILD)/baseline) && \
	    test/bench/compare.sh "$$base" ./$(BIN) $(BUILD)/bench-requests $(BENCH_SECONDS)
	@echo
	@echo "== in-process hook cost ($$(nproc) cores, $$(uname -m))"
	@$(HOOK_BENCH)
	@echo
	@echo "== HTTP: the server under wrk, and the floor (same HTTP code, constant body), $(BENCH_SECONDS) s per run"
	@bash test/bench/http_bench.sh $(BENCH_SECONDS)
	@echo
	@echo "== TLS: the cost of TLS 1.3 and the bearer token (keep-alive, as Metacontroller), $(BENCH_SECONDS) s per run"
	@bash test/bench/tls_bench.sh $(BENCH_SECONDS)
	@echo
	@node test/bench/exporter.mjs --exporter ./$(EXPORTER)
	@echo
	@echo "== bootstrap from a sibling: until a new node serves, by copy and by P2P sync (regtest, real monerod)"
	@bash -o pipefail -c "node test/e2e/bootstrap.mjs --binary ./$(BIN) --bootstrap ./$(BOOTSTRAP) \
	    --lmdb-fill $(LMDB_FILL) --blocks $(BENCH_BOOTSTRAP_BLOCKS) --bench $(BUILD)/bench-bootstrap.json \
	    | grep -E 'copied while|bench:|^FAIL'"
	@bash test/bench/bootstrap_copy.sh $(LMDB_FILL) ./$(BOOTSTRAP) $(BENCH_BOOTSTRAP_MB)
	@echo
	@echo "== control plane: a $(BENCH_NETWORK_NODES)-node MoneroNetwork applied until every child exists, at Metacontroller's"
	@echo "   default client rate limit (5/s, burst 10) and at higher settings"
	@bash -o pipefail -c "bash test/cluster/run.sh --only bench --bench-network-nodes $(BENCH_NETWORK_NODES) \
	    --client-qps $(METACONTROLLER_QPS) --client-burst $(METACONTROLLER_BURST) \
	    --bench-rates 5/10,$(METACONTROLLER_QPS)/$(METACONTROLLER_BURST),200/400 2>&1 | grep -E '^  (ok|FAIL)|^cluster:'"

BENCH_NETWORK_NODES ?= 1000
BENCH_BOOTSTRAP_BLOCKS ?= 2000
BENCH_BOOTSTRAP_MB ?= 2048

# Soak: 256 connections on a mix of hook requests, 10 minutes by default (SOAK_SECONDS).
SOAK_SECONDS ?= 600
soak: $(BIN)
	bash test/bench/soak.sh $(SOAK_SECONDS) 256 ./$(BIN)

# In `make check`, briefly.
check-soak: $(BIN)
	bash test/bench/soak.sh $${CHECK_SOAK_SECONDS:-30} 256 ./$(BIN)
	SOAK_TLS=1 bash test/bench/soak.sh $${CHECK_SOAK_SECONDS:-30} 256 ./$(BIN)

check: check-soak
