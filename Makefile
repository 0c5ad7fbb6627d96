# monero-operator: build, test, benchmark and package.
#
#   make            build ./monero-operator, ./monero-exporter, ./monero-bootstrap and the
#                   libraries under build/ (monero-bootstrap needs scripts/monero-lmdb first)
#   make install    install the three binaries, libmonero-rpc, monero_rpc.h and monero-rpc.pc
#                   (PREFIX=/usr/local, DESTDIR for staging)
#   make run        start the hook server on its defaults
#   make check      every test: units, HTTP, schemas, render, end-to-end, image, cluster
#   make check-quick the inner loop: format, layering, units with fixtures, schemas
#   make bench      benchmarks (not a test)
#   make images     build every image the pods use: REGISTRY/{monero-operator,tor,i2pd}:TAG
#                   (REGISTRY=ghcr.io/monero-operator, TAG=the release; XMRIG=1 adds xmrig)
#   make push       push them (buildah login first)

CC      ?= cc
PKGS    := libmicrohttpd jansson yaml-0.1 libcurl openssl gnutls
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))
# Each binary links only the libraries it calls: the hook server needs no libcurl, the metrics
# sidecar neither libcurl, OpenSSL nor libyaml (its resident memory is a budget: docs/bench.md).
OPERATOR_LIBS := $(shell pkg-config --libs libmicrohttpd jansson yaml-0.1 libcrypto gnutls) -lpthread -lm
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
CFLAGS  += $(EXTRA_CFLAGS) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wno-missing-field-initializers -fno-strict-aliasing -Iinclude -Ilib -I. $(PKG_CFLAGS)
LDLIBS  += $(PKG_LIBS) -lpthread -lm
BUILD   ?= build

LIB_SRC  := $(sort $(wildcard lib/*/*.c))
HOOK_SRC := $(sort $(wildcard hooks/*.c))
EXPORTER_SRC := src/exporter.c src/options.c
APP_SRC  := $(sort $(filter-out src/main.c src/exporter_main.c src/exporter.c,$(wildcard src/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
HOOK_OBJ := $(HOOK_SRC:%.c=$(BUILD)/%.o)
APP_OBJ  := $(APP_SRC:%.c=$(BUILD)/%.o)
EXPORTER_OBJ := $(BUILD)/src/exporter.o
LIBRARY  := $(BUILD)/libmonero-operator.a
BIN      := monero-operator
EXPORTER := monero-exporter
EXPORTER_LIBS := $(shell pkg-config --libs libmicrohttpd jansson) -lpthread -lm

# monero-bootstrap: the database copy between sibling nodes, linked with Monero's own LMDB (the
# lock format monerod uses), built from Debian's `monero` source package by scripts/monero-lmdb.
LMDB_DIR ?= /var/cache/monero-operator-tools/monero-lmdb
BOOTSTRAP := monero-bootstrap
BOOTSTRAP_SRC := $(sort $(wildcard bootstrap/*.c))
BOOTSTRAP_OBJ := $(BOOTSTRAP_SRC:%.c=$(BUILD)/%.o)
LMDB_OBJ := $(BUILD)/lmdb/mdb.o $(BUILD)/lmdb/midl.o
BOOTSTRAP_LIBS := $(shell pkg-config --libs libmicrohttpd jansson libcurl libcrypto) -lpthread -lm


# libmonero-rpc: the monerod RPC client for other C programs (static and shared, PIC objects of
# their own; the shared one exports only the monero_rpc_* API).
RPC_SRC    := $(sort $(wildcard lib/monero_rpc/*.c)) lib/http/http_client.c lib/http/http_response.c \
              lib/json/json_sanitize.c
RPC_PIC    := $(RPC_SRC:%.c=$(BUILD)/pic/%.o)
RPC_STATIC := $(BUILD)/libmonero-rpc.a
RPC_SHARED := $(BUILD)/libmonero-rpc.so.0
VERSION    := $(shell sed -n 's/.*MONERO_OPERATOR_VERSION "\(.*\)"/\1/p' src/commands.h)

.PHONY: rpc-library install uninstall check-monitoring check-sanitize check-valgrind fuzz fuzz-build check-fuzz soak check-soak

.PHONY: check-quick check-layers check-cluster check-install
.PHONY: all run image images push image-xmrig bench check check-unit check-http check-schema check-render check-e2e check-image \
        check-format bench image format clean sanitize valgrind

all: $(BIN) $(EXPORTER) $(BOOTSTRAP) $(LIBRARY) $(RPC_STATIC) $(RPC_SHARED)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@printf "  CC      %s\n" $<
	@$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIBRARY): $(LIB_OBJ) $(HOOK_OBJ)
	@rm -f $@
	@printf "  AR      %s\n" $@
	@ar rcs $@ $^

$(BIN): $(BUILD)/src/main.o $(APP_OBJ) $(LIBRARY)
	@printf "  LD      %s\n" $@
	@$(CC) $(LDFLAGS) -Wl,--as-needed -o $@ $(BUILD)/src/main.o $(APP_OBJ) $(LIBRARY) $(OPERATOR_LIBS)

$(EXPORTER): $(BUILD)/src/exporter_main.o $(EXPORTER_OBJ) $(BUILD)/src/options.o $(LIBRARY)
	@printf "  LD      %s\n" $@
	@$(CC) $(LDFLAGS) -Wl,--as-needed -o $@ $^ $(EXPORTER_LIBS)

$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	@printf "  CC PIC  %s\n" $<
	@$(CC) $(CFLAGS) -fPIC -MMD -MP -c $< -o $@

$(RPC_STATIC): $(RPC_PIC)
	@rm -f $@
	@ar rcs $@ $^

$(RPC_SHARED): $(RPC_PIC) lib/monero_rpc/monero-rpc.map
	@printf "  LD      %s\n" $@
	@$(CC) $(LDFLAGS) -shared -Wl,-soname,libmonero-rpc.so.0 -Wl,--version-script=lib/monero_rpc/monero-rpc.map \
	    -o $@ $(RPC_PIC) $(shell pkg-config --libs libcurl jansson)

rpc-library: $(RPC_STATIC) $(RPC_SHARED)

$(LMDB_DIR)/mdb.c:
	@echo "make: Monero's LMDB is not in $(LMDB_DIR); run scripts/monero-lmdb (root) or set LMDB_DIR" >&2; exit 1

# Monero's LMDB, compiled as its own Makefile does (its code, its warnings: not ours to fix).
$(BUILD)/lmdb/%.o: $(LMDB_DIR)/%.c $(LMDB_DIR)/mdb.c
	@mkdir -p $(dir $@)
	@printf "  CC      %s\n" $<
	@$(CC) $(OPT) -g -pthread -w \
	    $(EXTRA_LMDB_CFLAGS) -c $< -o $@

$(BUILD)/bootstrap/%.o: CFLAGS += -I$(LMDB_DIR)
$(BUILD)/bootstrap/chain_db.o: $(LMDB_DIR)/mdb.c

$(BOOTSTRAP): $(BOOTSTRAP_OBJ) $(BUILD)/src/options.o $(BUILD)/src/token.o $(LMDB_OBJ) $(RPC_STATIC)
	@printf "  LD      %s\n" $@
	@$(CC) $(LDFLAGS) -Wl,--as-needed -o $@ $^ $(BOOTSTRAP_LIBS)

PREFIX  ?= /usr/local
install: $(BIN) $(EXPORTER) $(BOOTSTRAP) $(RPC_STATIC) $(RPC_SHARED)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 755 $(BIN) $(EXPORTER) $(BOOTSTRAP) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 include/monero_rpc.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(RPC_STATIC) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(RPC_SHARED) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libmonero-rpc.so.0 $(DESTDIR)$(PREFIX)/lib/libmonero-rpc.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' lib/monero_rpc/monero-rpc.pc.in \
	    > $(DESTDIR)$(PREFIX)/lib/pkgconfig/monero-rpc.pc

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/$(BIN) $(DESTDIR)$(PREFIX)/bin/$(EXPORTER) $(DESTDIR)$(PREFIX)/bin/$(BOOTSTRAP) \
	    $(DESTDIR)$(PREFIX)/include/monero_rpc.h $(DESTDIR)$(PREFIX)/lib/libmonero-rpc.a \
	    $(DESTDIR)$(PREFIX)/lib/libmonero-rpc.so $(DESTDIR)$(PREFIX)/lib/libmonero-rpc.so.0 \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig/monero-rpc.pc

run: $(BIN)
	./$(BIN) serve

# Every test target lives in test/tests.mk. The image builds from a tree without test/; there,
# and wherever the file has gone missing, `make check` must fail, never pass having run nothing.
ifneq ($(wildcard test/tests.mk),)
include test/tests.mk
else
NO_TESTS = @echo "make $@: test/tests.mk is missing, so there are no tests to run" >&2; exit 1
check check-quick check-layers check-unit check-schema check-render check-monitoring check-http \
check-image check-sanitize check-valgrind check-fuzz check-e2e check-cluster check-install check-soak \
bench soak fuzz fuzz-build:
	$(NO_TESTS)
endif

format:
	clang-format -i $(LIB_SRC) $(HOOK_SRC) $(wildcard src/*.c) $(BOOTSTRAP_SRC) $(wildcard include/*.h lib/*/*.h hooks/*.h src/*.h bootstrap/*.h) \
	    $(wildcard test/unit/*.c test/unit/*.h test/bench/*.c test/fuzz/*.c test/tools/*.c)

check-format:
	clang-format --dry-run -Werror $(LIB_SRC) $(HOOK_SRC) $(wildcard src/*.c) $(BOOTSTRAP_SRC) \
	    $(wildcard include/*.h lib/*/*.h hooks/*.h src/*.h bootstrap/*.h) $(wildcard test/unit/*.c test/unit/*.h test/bench/*.c test/fuzz/*.c test/tools/*.c)

clean:
	rm -rf $(BUILD) $(BIN) $(EXPORTER) $(BOOTSTRAP)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# Every image the pods use, named REGISTRY/<name>:TAG (scripts/images): monero-operator, tor,
# i2pd, and with XMRIG=1 xmrig (downloads its release from GitHub). `make push` publishes them.
REGISTRY ?= ghcr.io/monero-operator
TAG ?= $(VERSION)
images:
	REGISTRY=$(REGISTRY) TAG=$(TAG) XMRIG=$(XMRIG) bash scripts/images build
push:
	REGISTRY=$(REGISTRY) TAG=$(TAG) XMRIG=$(XMRIG) bash scripts/images push

# The images built under test names and checked (check-image).
image: check-image

# Needs access to github.com (xmrig's release); not part of `make check`.
XMRIG_IMAGE ?= localhost/monero-operator-xmrig:dev
image-xmrig:
	buildah --storage-driver $${STORAGE_DRIVER:-vfs} bud --isolation chroot --target xmrig \
	    -f Containerfile -t $(XMRIG_IMAGE) .
