# monero-operator: build, test, benchmark and package.
#
#   make            build the binary (./monero-operator) and the library (build/libmonero-operator.a)
#   make run        start the hook server on its defaults
#   make check      every test: units, HTTP, schemas, render, end-to-end, image
#   make bench      benchmarks (not a test)
#   make image      build the container image with buildah

CC      ?= cc
PKGS    := libmicrohttpd jansson yaml-0.1 libcurl openssl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
CFLAGS  += $(EXTRA_CFLAGS) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wno-missing-field-initializers -fno-strict-aliasing $(PKG_CFLAGS)
LDLIBS  += $(PKG_LIBS) -lpthread -lm
BUILD   ?= build

LIB_SRC  := $(sort $(wildcard lib/*.c))
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
# The metrics sidecar links only what it uses (no libcurl, OpenSSL or libyaml): it runs in every
# node pod and its resident memory is a budget (docs/bench.md).
EXPORTER_LIBS := $(shell pkg-config --libs libmicrohttpd jansson) -lpthread -lm

.PHONY: all run image image-xmrig bench check check-unit check-http check-schema check-render check-e2e check-image \
        check-format bench image format clean sanitize valgrind

all: $(BIN) $(EXPORTER) $(LIBRARY)

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
	@$(CC) $(LDFLAGS) -o $@ $(BUILD)/src/main.o $(APP_OBJ) $(LIBRARY) $(LDLIBS)

$(EXPORTER): $(BUILD)/src/exporter_main.o $(EXPORTER_OBJ) $(BUILD)/src/options.o $(LIBRARY)
	@printf "  LD      %s\n" $@
	@$(CC) $(LDFLAGS) -Wl,--as-needed -o $@ $^ $(EXPORTER_LIBS)

run: $(BIN)
	./$(BIN) serve

-include test/tests.mk

format:
	clang-format -i $(LIB_SRC) $(HOOK_SRC) $(wildcard src/*.c) $(wildcard lib/*.h hooks/*.h src/*.h) \
	    $(wildcard test/unit/*.c test/unit/*.h test/bench/*.c test/fuzz/*.c)

check-format:
	clang-format --dry-run -Werror $(LIB_SRC) $(HOOK_SRC) $(wildcard src/*.c) \
	    $(wildcard lib/*.h hooks/*.h src/*.h) $(wildcard test/unit/*.c test/unit/*.h test/bench/*.c test/fuzz/*.c)

clean:
	rm -rf $(BUILD) $(BIN) $(EXPORTER)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

IMAGE ?= localhost/monero-operator:dev
image:
	STORAGE_DRIVER=$${STORAGE_DRIVER:-vfs} IMAGE=$(IMAGE) bash test/image/build_test.sh

# Needs access to github.com (xmrig's release); not part of `make check`.
XMRIG_IMAGE ?= localhost/monero-operator-xmrig:dev
image-xmrig:
	buildah --storage-driver $${STORAGE_DRIVER:-vfs} bud --isolation chroot --target xmrig \
	    -f Containerfile -t $(XMRIG_IMAGE) .
