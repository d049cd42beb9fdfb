# relaytrace: plain Makefile (see README.md).
#   make            build ./relaytrace
#   make check      unit, golden and CLI tests (SAN=1: under ASan+UBSan)
#   make conformance SHARED=../shared
#   make demo | fuzz | fuzz-run SECONDS=N | bench | bench-linear | bench-ab A=.. | fmt | lint | regen
#   make valgrind | corpus-san SHARED=../shared | corpus-tsan SHARED=../shared
.SUFFIXES:

CC      ?= cc
PREFIX  ?= /usr/local
MANDIR  ?= $(PREFIX)/share/man
SHARED  ?= ../shared
SAN     ?=
WERROR  ?=

PKGS      = gmime-3.0 libpcre2-8 libpsl libcrypto
TEST_PKGS = cmocka jansson

WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wformat=2 -Wvla -Wwrite-strings -Wno-missing-field-initializers
OPT  = -O3 -g
ifeq ($(SAN),1)
BUILD  = build-san
OPT    = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
         -fno-omit-frame-pointer
else ifeq ($(SAN),thread)
BUILD  = build-tsan
OPT    = -O1 -g -fsanitize=thread
else
BUILD  = build
OPT   += -D_FORTIFY_SOURCE=2 -fstack-protector-strong $(MEMSET_STRATEGY)
endif
# Every memset of a size known when compiling (up to 4 KB) is a vector
# loop, not `rep stos`, whose start-up cost was most of the zeroing of a
# Received line's parse state and from-part on AMD EPYC (perf samples;
# the corpus: -j 1 43.4 -> 41.0 ms, 2 threads 28.1 -> 27.3 ms, medians
# of 100 alternating runs). GCC on x86 only: asked of the compiler,
# else left out; the SAN builds (-O1) go without.
MEMSET_STRATEGY := $(shell $(CC) -mmemset-strategy=vector_loop:4096:noalign,libcall:-1:noalign \
	-E -x c /dev/null >/dev/null 2>&1 && \
	echo -mmemset-strategy=vector_loop:4096:noalign,libcall:-1:noalign)
ifeq ($(WERROR),1)
WARN += -Werror
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS := $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS   := $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

CPPFLAGS += -I. -D_GNU_SOURCE
# How GMime and the libraries under it (GLib, GObject, GIO, gpgme, ...)
# come into the process (parse/message.c):
#   GMIME_LINK=static  linked in from Debian's static archives (the
#       default): a batch does not spend 4-5 ms loading 16 libraries
#       before its threads start (a tenth of the shared corpus's run);
#       libmount (which Debian ships shared only) and libselinux are
#       replaced by parse/giostub.c, the functions GIO's mount table and
#       file attribute code call and relaytrace never reaches. A security
#       update of those libraries needs a rebuild.
#   GMIME_LINK=dlopen  the system's shared copies, loaded when a message
#       first needs them (dlopen): their updates apply without a rebuild.
GMIME_LINK ?= static
ifeq ($(GMIME_LINK),static)
CPPFLAGS += -DRT_GMIME_STATIC
# the archives' order does not matter inside the group; the C library's
# parts stay out of it, and so do libmount (with its libblkid) and
# libselinux (giostub.c)
GMIME_STATIC := $(filter-out -lmount -lblkid -lselinux -lsepol -lm -ldl -pthread -lpthread -lc, \
	$(shell pkg-config --static --libs gmime-3.0 gpgme libpsl libidn2 2>/dev/null))
GIOSTUB = $(BUILD)/parse/giostub.o
# GLib's, GObject's and libgpg-error's constructors, the only ones in these
# archives, would run at every start: about 0.5 ms of a small message's
# 4 ms, for a GMime that a single message seldom asks. The copies of their
# archives in $(DEFER_DIR) have the constructors' section renamed
# (rt_ctor_glib, rt_ctor_gobject, rt_ctor_gpgerror), out of the loader's
# list; parse/message.c runs them, in that order, when GMime is first
# needed, before anything calls GLib.
DEFER_DIR = $(BUILD)/static
DEFERRED = $(DEFER_DIR)/libglib-2.0.a $(DEFER_DIR)/libgobject-2.0.a \
	$(DEFER_DIR)/libgpg-error.a
GMIME_DEPS = $(GIOSTUB) $(DEFERRED)
LINK_GMIME = $(GIOSTUB) -L$(DEFER_DIR) -Wl,-Bstatic -Wl,--start-group \
	$(GMIME_STATIC) -Wl,--end-group -Wl,-Bdynamic
else ifeq ($(GMIME_LINK),dlopen)
GMIME_DEPS =
LINK_GMIME =
else
$(error GMIME_LINK must be static or dlopen)
endif
# -pthread: cmd/pool.c analyses with worker threads (-j)
ALL_CFLAGS = -std=c11 -pthread $(WARN) $(OPT) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS)
# --as-needed: with GMIME_LINK=dlopen, GMime's libraries are named for
# their headers' sake only, and libcrypto always is (auth/dkim.c loads it
# when a message first needs a digest)
LDLIBS_ALL = $(LINK_GMIME) -Wl,--as-needed $(PKG_LIBS) -lm -ldl -pthread $(LDLIBS)

MODDIRS = parse trace auth report net
LIB_SRC = $(filter-out %_test.c %_fuzz.c parse/giostub.c, \
	$(foreach d,$(MODDIRS),$(wildcard $(d)/*.c)))
CMD_SRC = $(wildcard cmd/*.c)
TEST_SRC = $(foreach d,$(MODDIRS) cmd,$(wildcard $(d)/*_test.c))
CONF_SRC = $(wildcard testdata/conformance/*.c)
FUZZ_SRC = $(foreach d,$(MODDIRS),$(wildcard $(d)/*_fuzz.c))

LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/equiv_data.o
CMD_OBJ  = $(filter-out $(BUILD)/cmd/main.o,$(CMD_SRC:%.c=$(BUILD)/%.o))
TEST_BIN = $(TEST_SRC:%.c=$(BUILD)/%)
CONF_BIN = $(CONF_SRC:%.c=$(BUILD)/%)
REPLAY_BIN = $(FUZZ_SRC:%.c=$(BUILD)/%-replay)

BIN = relaytrace
ifneq ($(SAN),)
BIN = $(BUILD)/relaytrace
endif

all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# data compiled into the binary
$(BUILD)/gen/equiv_data.c: trace/equivalences.conf testdata/embed.sh
	@mkdir -p $(@D)
	sh testdata/embed.sh trace_equiv_default trace/equivalences.conf > $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -c $< -o $@

# GMIME_LINK=static: a system archive copied with its constructors set
# aside (above), again when the system's copy changes
ifeq ($(GMIME_LINK),static)
define defer_ctors
$(DEFER_DIR)/lib$(1).a: $(shell $(CC) -print-file-name=lib$(1).a)
	@mkdir -p $$(@D)
	objcopy --rename-section .init_array=$(2) $$< $$@
endef
$(eval $(call defer_ctors,glib-2.0,rt_ctor_glib))
$(eval $(call defer_ctors,gobject-2.0,rt_ctor_gobject))
$(eval $(call defer_ctors,gpg-error,rt_ctor_gpgerror))
endif

$(BUILD)/librt.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(BIN): $(BUILD)/cmd/main.o $(CMD_OBJ) $(BUILD)/librt.a $(GMIME_DEPS)
	$(CC) $(OPT) -o $@ $(BUILD)/cmd/main.o $(CMD_OBJ) $(BUILD)/librt.a $(LDLIBS_ALL)

# unit tests: one cmocka binary per module, linked without cmd/main.o
$(BUILD)/%_test: %_test.c testdata/tools/unit.h $(CMD_OBJ) $(BUILD)/librt.a $(GMIME_DEPS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -o $@ $< $(CMD_OBJ) $(BUILD)/librt.a $(TEST_LIBS) $(LDLIBS_ALL)

# conformance drivers (read ../shared at run time)
$(BUILD)/testdata/conformance/%: testdata/conformance/%.c $(BUILD)/librt.a $(GMIME_DEPS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -o $@ $< $(BUILD)/librt.a $(TEST_LIBS) $(LDLIBS_ALL)

# fuzz targets replayed by a plain main() (testdata/fuzz/replay.c)
$(BUILD)/%_fuzz-replay: %_fuzz.c testdata/fuzz/replay.c $(BUILD)/librt.a $(GMIME_DEPS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< testdata/fuzz/replay.c $(BUILD)/librt.a $(LDLIBS_ALL)

deps:
	@GMIME_LINK=$(GMIME_LINK) CC=$(CC) sh testdata/deps.sh

# make pgo: ./relaytrace built with GCC's profile feedback, trained by
# testdata/tools/pgo-train.sh on messages of the repository (never on the
# benchmark's corpus): a few percent less time over the corpus than the
# plain build, same output. Both phases compile in build-pgo/: GCC finds
# an object's profile by the object's path.
PGO_DIR = $(CURDIR)/build-pgo/profile
pgo: deps
	rm -rf build-pgo
	@$(MAKE) --no-print-directory BUILD=build-pgo BIN=build-pgo/relaytrace \
	    OPT="$(OPT) -fprofile-generate -fprofile-update=atomic -fprofile-dir=$(PGO_DIR)" \
	    build-pgo/relaytrace
	sh testdata/tools/pgo-train.sh build-pgo/relaytrace
	@$(MAKE) --no-print-directory -B BUILD=build-pgo BIN=build-pgo/relaytrace \
	    OPT="$(OPT) -fprofile-use -fprofile-partial-training -Wno-missing-profile -fprofile-dir=$(PGO_DIR)" \
	    build-pgo/relaytrace
	cp build-pgo/relaytrace relaytrace

check: deps
	@$(MAKE) --no-print-directory build-tests
	@SAN=$(SAN) BUILD=$(BUILD) BIN=$(BIN) sh testdata/run.sh

$(BUILD)/jsoncheck: testdata/tools/jsoncheck.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -o $@ $< $(TEST_LIBS)

build-tests: $(BIN) $(TEST_BIN) $(REPLAY_BIN) $(BUILD)/jsoncheck

# conformance drivers, then the corpus under ASan+UBSan (a driver of
# run.sh too, so the closing "N passed, N failed" line counts it)
conformance: deps
	@$(MAKE) --no-print-directory $(BIN) $(CONF_BIN)
	@$(MAKE) --no-print-directory SAN=1 build-san/relaytrace build-san/jsoncheck
	@$(MAKE) --no-print-directory SAN=thread build-tsan/relaytrace
	@BUILD=$(BUILD) BIN=$(BIN) SHARED=$(SHARED) sh testdata/conformance/run.sh

# the shared corpus with threads under ThreadSanitizer
corpus-tsan: deps
	@$(MAKE) --no-print-directory $(BIN) $(BUILD)/jsoncheck
	@$(MAKE) --no-print-directory SAN=thread build-tsan/relaytrace
	@SHARED=$(SHARED) sh testdata/corpus-tsan.sh

# the shared corpus under ASan+UBSan, file by file and as one mbox
corpus-san: deps
	@$(MAKE) --no-print-directory SAN=1 build-san/relaytrace build-san/jsoncheck
	@BUILD=build-san SHARED=$(SHARED) sh testdata/corpus-san.sh

# valgrind over the goldens and the whole-message fuzz seeds
valgrind: $(BIN) $(BUILD)/jsoncheck
	@BIN=$(BIN) BUILD=$(BUILD) sh testdata/valgrind.sh

demo: deps
	@$(MAKE) --no-print-directory $(BIN)
	./$(BIN) testdata/msg/0001-direct.eml

FUZZ_CC ?= clang
# Library objects carry the coverage instrumentation (fuzzer-no-link) and
# go into an archive, so that each target links only the modules it uses
# (and a module still being written does not break the others).
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all
# (no RT_GMIME_STATIC: the targets load GMime as GMIME_LINK=dlopen does,
# so that its path is built and run too)
FUZZ_CFLAGS = -std=c11 -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN) \
	-I. -D_GNU_SOURCE $(PKG_CFLAGS)
FUZZ_BIN = $(FUZZ_SRC:%.c=build-fuzz/%)
FUZZ_OBJ = $(LIB_SRC:%.c=build-fuzz/%.o) build-fuzz/gen/equiv_data.o
fuzz: $(FUZZ_BIN)
build-fuzz/gen/equiv_data.c: trace/equivalences.conf testdata/embed.sh
	@mkdir -p $(@D)
	sh testdata/embed.sh trace_equiv_default trace/equivalences.conf > $@
build-fuzz/gen/equiv_data.o: build-fuzz/gen/equiv_data.c
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@
build-fuzz/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@
build-fuzz/librt.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $(FUZZ_OBJ)
build-fuzz/%_fuzz: %_fuzz.c build-fuzz/librt.a
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< build-fuzz/librt.a $(PKG_LIBS) -lm
SECONDS ?= 10
fuzz-run: fuzz
	@sh testdata/fuzz/run.sh $(SECONDS) $(FUZZ_BIN)

bench: $(BIN)
	@SHARED=$(SHARED) sh bench/run.sh

# parse time and peak memory against input size (not a test: figures)
bench-linear: $(BIN)
	@BIN=$(BIN) sh bench/linear.sh

# Is build B faster than build A? Pairs of runs, the order alternating
# (bench/ab.c): make bench-ab A=/tmp/old-relaytrace ARGS="-f jsonl x.mbox"
# [B=./relaytrace] [PAIRS=100]. Prints medians and the median ratio B/A.
B ?= ./$(BIN)
PAIRS ?= 100
bench-ab: $(BIN)
	@test -n "$(A)" || { echo "make bench-ab A=OTHER-BUILD ARGS=..." >&2; exit 2; }
	@mkdir -p $(BUILD)/bench
	@$(CC) -std=c11 -O2 -D_GNU_SOURCE -Wall -Wextra -o $(BUILD)/bench/ab bench/ab.c
	@$(BUILD)/bench/ab -n $(PAIRS) $(A) $(B) $(ARGS)

fmt:
	clang-format -i $(LIB_SRC) parse/giostub.c $(CMD_SRC) $(TEST_SRC) $(FUZZ_SRC) $(wildcard */*.h)

lint:
	mandoc -Tlint -Wwarning man/relaytrace.1
	clang-format --dry-run -Werror $(LIB_SRC) parse/giostub.c $(CMD_SRC) $(wildcard */*.h)

regen: $(BIN)
	@BIN=./$(BIN) sh testdata/golden.t regen

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/relaytrace
	install -m 644 man/relaytrace.1 $(DESTDIR)$(MANDIR)/man1/relaytrace.1

clean:
	rm -rf build build-san build-tsan build-fuzz build-pgo relaytrace

.PHONY: all check build-tests conformance demo fuzz fuzz-run bench fmt lint regen install clean deps pgo \
	corpus-san corpus-tsan valgrind bench-linear bench-ab

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
-include $(shell find build-fuzz -name '*.d' 2>/dev/null)
