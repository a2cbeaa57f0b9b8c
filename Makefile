# Yuanluo - grassroots governance platform.
#   make run    install what is missing, build, create the demo database, serve on 127.0.0.1:8080
#   make test   the same set-up, then every test suite; ends with "N passed, N failed, N skipped"
#   make test-pg  the API test suite against a throwaway PostgreSQL cluster (installs postgresql, nginx)
#   make test-dates  the API test suite with the clock moved to chosen dates (year end, New Year, 春节 eve)
#   make deps   install missing Debian packages (as root) and npm packages
#   make asan   the binary and unit tests with AddressSanitizer + UndefinedBehaviorSanitizer
#   make fuzz   each libFuzzer target under tests/fuzz/ for FUZZ_SECONDS (60) seconds (clang)
#   make bench  the benchmarks under bench/ (BENCH_ORDERS work orders, default 10 million)
#   make deb    the Debian package, in build/deb/ (installs debhelper and lintian as root)
#   make test-deb  build, install, run, upgrade and purge the package on this machine (root)
#   make clean

CC      ?= gcc
PKGS    := libmicrohttpd jansson sqlite3 libsodium libpq libcurl xlsxwriter
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN    := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
           -Wold-style-definition -Wpointer-arith -Wformat=2 -Wundef -Wwrite-strings \
           -Wcast-align -Wvla -Wimplicit-fallthrough -Wmissing-declarations \
           -Wno-missing-field-initializers
CFLAGS  ?= -O2 -g
# An installed build names its folders (the Debian package: SHARE_DIR=/usr/share/yuanluo
# CONFIG_FILE=/etc/yuanluo/yuanluo.ini); a checkout leaves them empty and runs from here.
SHARE_DIR ?=
CONFIG_FILE ?=
LAYOUT  := $(if $(SHARE_DIR),-DYUANLUO_SHARE_DIR='"$(SHARE_DIR)"') $(if $(CONFIG_FILE),-DYUANLUO_CONFIG_FILE='"$(CONFIG_FILE)"')
ALL_CFLAGS := -std=c17 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $(WARN) $(CPPFLAGS) $(CFLAGS) \
              -Isrc -Ibuild/gen $(PKG_CFLAGS) -pthread $(LAYOUT)
LIBS    := $(PKG_LIBS) -lcsv -pthread -lm
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

DATA    ?= data
DB      ?= $(DATA)/yuanluo.db
LISTEN  ?= 127.0.0.1:8080

SRC     := $(filter-out src/main.c,$(sort $(wildcard src/*/*.c))) build/gen/migrations.c build/gen/openapi.c
OBJ     := $(patsubst %.c,build/obj/%.o,$(SRC))
ASAN_OBJ := $(patsubst %.c,build/asan/%.o,$(SRC))
MIGRATIONS := $(sort $(wildcard src/store/schema/*.sql))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRC))
UNIT_ASAN := $(patsubst tests/unit/%.c,build/tests-asan/%,$(UNIT_SRC))

.PHONY: all run test test-pg test-dates deps asan clean unit unit-asan api-test web fuzz fuzz-build fuzz-smoke bench deb test-deb
all: yuanluo

build/gen/migrations.c: $(MIGRATIONS) tools/embed-sql.sh
	@mkdir -p $(dir $@)
	sh tools/embed-sql.sh $@ $(MIGRATIONS)

build/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

build/asan/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC-ASAN $<"
	@$(CC) $(ALL_CFLAGS) $(SAN) -O1 -MMD -MP -c $< -o $@

build/gen/openapi.c: docs/openapi.json tools/embed-file.sh
	@mkdir -p $(dir $@)
	sh tools/embed-file.sh $@ api_openapi_json docs/openapi.json

$(OBJ) $(ASAN_OBJ): | build/gen/migrations.c build/gen/openapi.c

yuanluo: build/obj/src/main.o $(OBJ)
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

build/yuanluo-asan: build/asan/src/main.o $(ASAN_OBJ)
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $^ $(LIBS)

# Tests link the code as an archive, so a test that #includes a .c (to reach its
# static functions) does not also pull that file's object in.
build/libyuanluo.a: $(OBJ)
	@rm -f $@
	@ar rcs $@ $^

build/libyuanluo-asan.a: $(ASAN_OBJ)
	@rm -f $@
	@ar rcs $@ $^

build/tests/%: tests/unit/%.c tests/unit/unit_db.c tests/unit/unit_fixture.c build/libyuanluo.a tests/unit/unit.h
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	@$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< tests/unit/unit_db.c tests/unit/unit_fixture.c build/libyuanluo.a $(LIBS) -lcmocka

build/tests-asan/%: tests/unit/%.c tests/unit/unit_db.c tests/unit/unit_fixture.c build/libyuanluo-asan.a tests/unit/unit.h
	@mkdir -p $(dir $@)
	@echo "  TEST    $@ (asan)"
	@$(CC) $(ALL_CFLAGS) $(SAN) -O1 -Itests/unit -o $@ $< tests/unit/unit_db.c tests/unit/unit_fixture.c build/libyuanluo-asan.a $(LIBS) -lcmocka

asan: build/yuanluo-asan $(UNIT_ASAN)

deps:
	@sh tools/deps.sh

web:
	@sh tools/web-vendor.sh

$(DB): | yuanluo
	@mkdir -p $(DATA)
	./yuanluo init --db $(DB) --key-file $(DATA)/yuanluo.key
	./yuanluo demo --db $(DB) --key-file $(DATA)/yuanluo.key

run: deps
	@$(MAKE) --no-print-directory yuanluo web
	@$(MAKE) --no-print-directory $(DB)
	./yuanluo serve --db $(DB) --key-file $(DATA)/yuanluo.key --listen $(LISTEN)

test: deps
	@$(MAKE) --no-print-directory yuanluo web build/yuanluo-asan $(UNIT_BIN) $(UNIT_ASAN) fuzz-build
	@sh tools/run-tests.sh

test-dates: deps
	@$(MAKE) --no-print-directory yuanluo web
	@sh tools/test-dates.sh

test-pg:
	@sh tools/deps.sh pg
	@$(MAKE) --no-print-directory yuanluo web build/tests/test_store
	@sh tools/test-pg.sh

# The Debian package (debian/), built by dpkg-buildpackage in a copy of this tree under build/deb/ so the
# checkout's own build is left alone; DEB_VERSION=V builds it as version V (the upgrade test).
deb:
	@sh tools/deps.sh deb
	@$(MAKE) --no-print-directory web
	@sh tools/deb-build.sh

# Builds the package, then installs, runs, upgrades and purges it here, nginx with TLS in front (root).
test-deb:
	@sh tools/deps.sh deb-test
	@$(MAKE) --no-print-directory web
	@sh tests/deb/run.sh

# Fuzzing: the code built again with clang, libFuzzer's coverage and ASan+UBSan; one binary per target.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS  := -std=c17 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -g -O1 -Isrc -Ibuild/gen -Itests/fuzz \
                $(PKG_CFLAGS) -pthread $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_OBJ     := $(patsubst %.c,build/fuzz/%.o,$(SRC))
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(filter-out tests/fuzz/fuzz_api.c,$(wildcard tests/fuzz/fuzz_*.c)))

build/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC-FUZZ $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_OBJ): | build/gen/migrations.c

build/libyuanluo-fuzz.a: $(FUZZ_OBJ)
	@rm -f $@
	@ar rcs $@ $^

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_api.c tests/fuzz/fuzz_api.h build/libyuanluo-fuzz.a
	@echo "  LD-FUZZ $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< tests/fuzz/fuzz_api.c build/libyuanluo-fuzz.a $(LIBS)

fuzz-build: yuanluo $(FUZZ_TARGETS)

# Each target for FUZZ_SECONDS from its corpus (findings saved under build/fuzz/findings/).
fuzz: fuzz-build
	@sh tools/fuzz.sh run $(FUZZ_SECONDS)

# Every regression input and seed once, no random fuzzing (make fuzz does that): counted by make test.
fuzz-smoke: fuzz-build
	@sh tools/fuzz.sh smoke

# The benchmark's own programs: the bulk loader and the two measures of this machine's limits.
build/bench/%: bench/%.c build/libyuanluo.a
	@mkdir -p $(dir $@)
	@echo "  BENCH   $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $< build/libyuanluo.a $(LIBS)

BENCH_BIN := build/bench/load build/bench/commit_limit build/bench/hello_mhd

bench: yuanluo $(BENCH_BIN)
	@sh bench/run.sh

clean:
	rm -rf build yuanluo

-include $(shell find build -name '*.d' 2>/dev/null)
