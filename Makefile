# OpenLine — one non-recursive GNU Makefile for the kiosk, the collector and their tests.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   make            build build/openline (and build/openline-stats)
#   make run        start the kiosk windowed with the example configuration (KIOSK=1: fullscreen)
#   make check      install missing Debian packages, build, run every test
#   make bench      benchmarks (numbers, not pass/fail)
#   make lint       clang-format check and banned-function check
#   make SANITIZER=address,undefined check    the same under sanitizers
#   V=1             show the commands

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SECONDARY:
.SUFFIXES:

VERSION   := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
BUILD     := build
PREFIX    ?= /usr/local
SANITIZER ?=
ifneq ($(SANITIZER),)
OBJ       := $(BUILD)/obj-san
SANFLAGS  := -fsanitize=$(SANITIZER) -fno-omit-frame-pointer -fno-sanitize-recover=all
else
OBJ       := $(BUILD)/obj
SANFLAGS  :=
endif

VARIANT   := $(BUILD)/.variant

ifeq ($(V),1)
Q :=
else
Q := @
endif

CC        ?= cc
PKG_CONFIG ?= pkg-config
OPT       ?= -O2
WERROR    ?= -Werror

# Debian packages the project needs to build, run and test, all of them here and each once, in
# groups: the build; the kiosk's libraries and fonts; the call plug-in; the upload plug-in; the
# collector; the tests' own libraries; the kiosk's speech (app/speech); the tools the tests drive
# (UI, calls, counts, collector, text, speech); the packaging and its tests (make check-deb).
# `make deps` installs the missing ones.
DEB_PKGS := \
	build-essential pkg-config clang-format gettext clang libclang-rt-14-dev \
	libgettextpo-dev libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libicu-dev libinih-dev \
	libcmark-dev libqrencode-dev libsqlite3-dev libjansson-dev libsystemd-dev fonts-noto-core \
	fonts-noto-cjk \
	libre-dev librem-dev portaudio19-dev libasound2-dev libjack-jackd2-dev libopus-dev \
	libspeexdsp-dev libspandsp-dev libssl-dev \
	libcurl4-openssl-dev \
	libmicrohttpd-dev libpq-dev libsodium-dev libcrypt-dev \
	libcmocka-dev time procps xvfb xauth chromium openbox xdotool x11-utils x11-apps netpbm \
	libx11-dev libxfixes-dev \
	libespeak-ng-dev espeak-ng-data libopusfile-dev \
	baresip-core sip-tester jackd2 sox espeak-ng opus-tools openssl tcpdump stunnel4 \
	python3 \
	postgresql curl wrk nodejs sqlite3 iproute2 util-linux \
	libharfbuzz-bin libfreetype-dev \
	cage debhelper dpkg-dev fakeroot lintian mmdebstrap systemd xwayland

# Per-module additions (pkg-config names, sources, tests) come from the sections
# below; keep every program's libraries listed with its sources.
KIOSK_PKGS := sdl2 SDL2_ttf SDL2_image icu-uc icu-i18n inih libcmark libqrencode sqlite3 jansson \
	libsystemd

# Recursively expanded on purpose: pkg-config runs when a recipe needs the flags, after `deps`.
pkg_cflags = $(shell $(PKG_CONFIG) --cflags $(1))
pkg_libs   = $(shell $(PKG_CONFIG) --libs $(1))

CPPFLAGS_BASE := -Iinclude -D_GNU_SOURCE -DOPENLINE_VERSION='"$(VERSION)"'
CFLAGS_BASE   := -std=c11 -g $(OPT) -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter -Wformat=2 -Wvla $(WERROR) \
	-fstack-protector-strong -D_FORTIFY_SOURCE=2 $(SANFLAGS)
DEPFLAGS      := -MMD -MP
LDFLAGS_BASE  := $(SANFLAGS) -Wl,-z,relro,-z,now

# The one link recipe of every program, plug-in and test binary: $(call link,LIBS[,LDFLAGS])
# links the rule's prerequisites (less the variant stamp) with LIBS after them.
define link
@mkdir -p $(@D)
@$(if $(Q),echo "  LD      $@")
$(Q)$(CC) $(LDFLAGS_BASE) $(2) -o $@ $(filter-out $(VARIANT),$^) $(1)
endef


# ---------------------------------------------------------------------------------------------
# Kiosk sources, by module (see ARCHITECTURE.md)
CORE_SRCS    := $(wildcard app/core/*.c)
TEXT_SRCS    := $(wildcard app/text/*.c)
I18N_SRCS    := $(wildcard app/i18n/*.c)
CONTENT_SRCS := $(wildcard app/content/*.c)
UI_SRCS      := $(wildcard app/ui/*.c)
COUNTS_SRCS  := $(wildcard app/counts/*.c)
KIOSK_MAIN   := $(wildcard app/kiosk/*.c)
KIOSK_LIB_SRCS := $(CORE_SRCS) $(TEXT_SRCS) $(I18N_SRCS) $(CONTENT_SRCS) $(UI_SRCS) $(COUNTS_SRCS)
KIOSK_EXTRA_LIBS := -lgettextpo -lm

# Calls and audio (app/call, app/audio; docs/calls.md): the plug-in openline-call.so, which the
# kiosk loads after its first frame (include/openline/call_api.h). Unit tests link the objects.
# Only these objects (and the tests that include their headers) are compiled with the call
# libraries' flags, so a kiosk file that includes <re.h> does not build (tools/lint.sh too).
# The plug-in's entry (app/call/plugin.c: the table and its log_msg) is not linked into tests.
CALL_ENTRY     := app/call/plugin.c
CALL_SRCS      := $(filter-out $(CALL_ENTRY),$(wildcard app/call/*.c app/audio/*.c))
# libsystemd: sd-bus, to ask rtkit for real-time priority (app/audio/rt.c).
CALL_PKGS      := libre librem portaudio-2.0 alsa jack opus speexdsp spandsp libssl libcrypto \
		  libsystemd
UI_PKGS        := $(KIOSK_PKGS)
KIOSK_LIB_SRCS += $(CALL_SRCS)
KIOSK_PKGS     += $(CALL_PKGS)
# libre's headers need these and pkg-config does not give them (docs/design.md 5).
CALL_CPPFLAGS  := -DHAVE_INTTYPES_H -DHAVE_STDBOOL_H -DHAVE_INET6
KIOSK_EXTRA_LIBS += -lpthread
# Pure helpers the plug-in compiles in, in a hidden copy of its own: it calls nothing in the
# program by name (the log comes in struct call_host; tools/check-plugin.sh).
CALL_COPY_SRCS := app/core/util.c
# The plug-in and the program that loads it must agree on these headers' structs.
CALL_ABI        = $(VERSION)-$(shell cat include/openline/call_api.h include/openline/config.h \
	include/openline/hours.h \
	include/openline/log.h | cksum | cut -d' ' -f1)

SUITES += call

# Read-aloud (app/speech; ARCHITECTURE.md): espeak-ng and libopusfile, linked into the kiosk
# program, not the call plug-in. Only app/speech's objects are compiled with their flags (and
# tools/lint.sh refuses <espeak-ng/...> and <opusfile.h> anywhere else); the kiosk's commands, the
# UI and the tests see the module through app/speech/speech.h alone (SPEECH_INC).
SPEECH_SRCS    := $(wildcard app/speech/*.c)
SPEECH_PKGS    := espeak-ng opusfile
SPEECH_INC     := -Iapp/speech
KIOSK_LIB_SRCS += $(SPEECH_SRCS)
KIOSK_PKGS     += $(SPEECH_PKGS)
# Speech as a visitor hears it: the kiosk, the plug-in, the wav driver and a baresip callee.
SUITES += speech
check-speech: all $(TEST_BINS)
	$(Q)tools/run-tests.sh speech

KIOSK_LIB_OBJS := $(KIOSK_LIB_SRCS:%.c=$(OBJ)/%.o)
KIOSK_OBJS     := $(KIOSK_LIB_OBJS) $(KIOSK_MAIN:%.c=$(OBJ)/%.o)

$(OBJ)/app/%.o: CFLAGS_EXTRA = $(call pkg_cflags,$(UI_PKGS))
# The plug-in's objects: position independent, only openline_call_api exported.
CALL_CFLAGS := -fPIC -fvisibility=hidden
$(CALL_SRCS:%.c=$(OBJ)/%.o) $(OBJ)/app/call/plugin.o: CFLAGS_EXTRA = \
	$(call pkg_cflags,$(CALL_PKGS)) $(CALL_CPPFLAGS) $(CALL_CFLAGS)
$(OBJ)/app/call/plugin.o $(OBJ)/app/kiosk/call_plugin.o: CPPFLAGS_BASE += -DOPENLINE_CALL_ABI='"$(CALL_ABI)"'
$(OBJ)/app/kiosk/%.o: CPPFLAGS_BASE += -DOPENLINE_DATADIR='"$(PREFIX)/share/openline"'
$(SPEECH_SRCS:%.c=$(OBJ)/%.o): CFLAGS_EXTRA = $(call pkg_cflags,$(UI_PKGS) $(SPEECH_PKGS))
$(OBJ)/app/kiosk/%.o $(OBJ)/app/ui/%.o $(OBJ)/tests/%.o: CPPFLAGS_BASE += $(SPEECH_INC)
$(OBJ)/app/core/plugin.o: CPPFLAGS_BASE += -DOPENLINE_LIBDIR='"$(PREFIX)/lib/openline"'
$(OBJ)/tests/%.o: CFLAGS_EXTRA = $(call pkg_cflags,$(UI_PKGS) cmocka)
$(OBJ)/tests/unit/test_call.o $(OBJ)/tests/unit/test_audio.o $(OBJ)/tests/bench/jitter_bench.o: \
		CFLAGS_EXTRA += \
	$(call pkg_cflags,$(CALL_PKGS)) $(CALL_CPPFLAGS)
$(OBJ)/tests/unit/test_counts.o: CFLAGS_EXTRA += -Iapp/counts
$(OBJ)/tests/unit/test_icon.o: CFLAGS_EXTRA += -Iapp/ui

$(OBJ)/%.o: %.c $(OBJ)/.flags
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS_BASE) $(CFLAGS_BASE) $(CFLAGS_EXTRA) $(DEPFLAGS) -c -o $@ $<

# Relink every program when the object tree changes (SANITIZER on or off): the binaries keep
# their names, so without this a sanitizer build would leave its binaries behind.
$(VARIANT): FORCE
	@mkdir -p $(BUILD)
	@echo '$(OBJ) $(LDFLAGS_BASE)' | cmp -s - $@ || echo '$(OBJ) $(LDFLAGS_BASE)' > $@

# Rebuild a tree's objects when its flags change (optimisation, defines).
$(OBJ)/.flags: FORCE
	@mkdir -p $(OBJ)
	@echo '$(CFLAGS_BASE) $(CPPFLAGS_BASE) $(CALL_CFLAGS) $(CALL_CPPFLAGS)' | cmp -s - $@ || \
		echo '$(CFLAGS_BASE) $(CPPFLAGS_BASE) $(CALL_CFLAGS) $(CALL_CPPFLAGS)' > $@

CALL_OBJS := $(CALL_SRCS:%.c=$(OBJ)/%.o)
CALL_COPY_OBJS := $(CALL_COPY_SRCS:%.c=$(OBJ)/call-copy/%.o)

$(CALL_COPY_OBJS): $(OBJ)/call-copy/%.o: %.c $(OBJ)/.flags
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $< (plug-in copy)")
	$(Q)$(CC) $(CPPFLAGS_BASE) $(CFLAGS_BASE) $(CALL_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(BUILD)/openline: $(filter-out $(CALL_OBJS),$(KIOSK_OBJS)) $(VARIANT)
	$(call link,$(call pkg_libs,$(UI_PKGS) $(SPEECH_PKGS)) $(KIOSK_EXTRA_LIBS))

# Its only undefined symbols are its libraries'; the kiosk loads it with RTLD_NOW, so any other
# would fail every call test at load (and the check below).
$(BUILD)/openline-call.so: $(CALL_OBJS) $(OBJ)/app/call/plugin.o $(CALL_COPY_OBJS) $(VARIANT)
	$(call link,$(call pkg_libs,$(CALL_PKGS)) -lpthread -lm,-shared)

# The plug-in needs no symbol of the program and the program exports none (ARCHITECTURE.md).
$(BUILD)/.call-plugin-ok: $(BUILD)/openline $(BUILD)/openline-call.so tools/check-plugin.sh
	@$(if $(Q),echo "  CHECK   $(BUILD)/openline-call.so")
	$(Q)tools/check-plugin.sh $(BUILD)/openline-call.so $(BUILD)/openline \
		$(filter-out $(CALL_OBJS),$(KIOSK_OBJS))
	$(Q)touch $@
all: $(BUILD)/.call-plugin-ok

ALL_BINS    += $(BUILD)/openline
ALL_PLUGINS += $(BUILD)/openline-call.so

# Uploads (app/upload; include/openline/upload.h): libcurl in a plug-in, openline-upload.so,
# that the counts thread loads when it first sends, so libcurl and its TLS library are not
# mapped before the first frame. The counting itself (app/counts) is in the program.
UPLOAD_SRCS := $(wildcard app/upload/*.c)
UPLOAD_OBJS := $(UPLOAD_SRCS:%.c=$(OBJ)/%.o)
UPLOAD_ABI   = $(VERSION)-$(shell cat include/openline/upload.h | cksum | cut -d' ' -f1)
$(UPLOAD_OBJS): CFLAGS_EXTRA = $(call pkg_cflags,libcurl) $(CALL_CFLAGS)
$(UPLOAD_OBJS) $(OBJ)/app/counts/uploader.o: CPPFLAGS_BASE += -DOPENLINE_UPLOAD_ABI='"$(UPLOAD_ABI)"'

$(BUILD)/openline-upload.so: $(UPLOAD_OBJS) $(VARIANT)
	$(call link,$(call pkg_libs,libcurl) -lpthread,-shared)

ALL_PLUGINS += $(BUILD)/openline-upload.so

# ---------------------------------------------------------------------------------------------
# Catalogs: every PO file is checked with msgfmt --check and read as the kiosk reads it
# (tools/check-po.sh: openline check-catalog also refuses a charset other than UTF-8 and
# placeholders that differ from the English); the build fails naming each problem's file and line.
PO_FILES  := $(wildcard locales/*.po)
PO_STAMPS := $(PO_FILES:locales/%.po=$(BUILD)/po/%.ok)

$(BUILD)/po/%.ok: locales/%.po tools/check-po.sh $(BUILD)/openline
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CHECK   $<")
	$(Q)tools/check-po.sh $(BUILD)/openline $<
	$(Q)touch $@

# (all: comes after every section has added its programs to ALL_BINS, below)

# Translator workflow (README "Translations"): the template holds every UI string (xgettext over
# the C sources, keyword N_) and every sentence of the content pages (openline pot-content).
POT := locales/openline.pot

pot: $(BUILD)/openline
	$(Q)xgettext --from-code=UTF-8 --language=C --keyword=N_ --add-comments=TRANSLATORS: \
		--package-name=OpenLine --package-version=$(VERSION) --msgid-bugs-address=translations \
		--no-location -o $(BUILD)/ui.pot $(sort $(wildcard app/*/*.c))
	$(Q)$(BUILD)/openline pot-content > $(BUILD)/content.raw.pot
	$(Q)msguniq --use-first -o $(BUILD)/content.pot $(BUILD)/content.raw.pot
	$(Q)msgcat --use-first -o $(POT) $(BUILD)/ui.pot $(BUILD)/content.pot
	@echo "  POT     $(POT): $$(grep -c '^msgid "' $(POT)) entries (with the header)"

po: pot
	$(Q)for f in $(PO_FILES); do \
		msgmerge --quiet --update --backup=none --previous $$f $(POT) || exit 1; \
	done

i18n-report: $(BUILD)/openline
	$(Q)$(BUILD)/openline i18n-report

# ---------------------------------------------------------------------------------------------
# Unit tests (cmocka): tests/unit/test_<module>.c linked against the kiosk's module objects.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

$(BUILD)/tests/test_%: $(OBJ)/tests/unit/test_%.o $(KIOSK_LIB_OBJS) $(VARIANT)
	$(call link,$(call pkg_libs,$(KIOSK_PKGS) cmocka) $(KIOSK_EXTRA_LIBS))

# Golden-image comparison for the UI suite.
TEST_BINS += $(BUILD)/tests/pngdiff
$(BUILD)/tests/pngdiff: $(OBJ)/tests/ui/pngdiff.o $(VARIANT)
	$(call link,$(call pkg_libs,sdl2 SDL2_image))

# ---------------------------------------------------------------------------------------------
# Calls: test helpers, the demo hotline, benchmark
# Test helpers: tone analysis (Goertzel), correlation and free ports.
TEST_BINS += $(BUILD)/tests/call-tone

$(BUILD)/tests/call-tone: $(OBJ)/tests/call/tone.o $(OBJ)/tests/call/wavread.o $(VARIANT)
	$(call link,-lm)

# Echo measurements: the wav driver's room rebuilt with its own code (app/audio/room.c), ERLE.
TEST_BINS += $(BUILD)/tests/call-echo

$(BUILD)/tests/call-echo: $(OBJ)/tests/call/echo.o $(OBJ)/tests/call/wavread.o \
		$(OBJ)/app/audio/room.o $(VARIANT)
	$(call link,-lm)

# The demo hotline's greeting (make run): spoken by espeak-ng at build time.
DEMO_GREETING := $(BUILD)/demo/greeting.wav
all: $(DEMO_GREETING)

$(DEMO_GREETING): Makefile
	@mkdir -p $(@D)
	@$(if $(Q),echo "  ESPEAK  $@")
	$(Q)espeak-ng -v en -s 150 -w $@.tmp.wav "You are connected to the OpenLine demo hotline. \
This is a test call on this computer. Nobody is listening, and nothing is recorded. \
Speak, and you will hear the line stay open. Hang up when you are done." && \
	sox -q $@.tmp.wav -r 48000 -c 2 -b 16 $@ && rm -f $@.tmp.wav

.PHONY: bench-call bench-echo check-call
check-call: all $(TEST_BINS)
	$(Q)tools/run-tests.sh call

bench-call: all $(TEST_BINS)
	$(Q)tests/bench/call.sh

bench-echo: all $(TEST_BINS)
	$(Q)tests/bench/echo.sh

# Jitter buffer benchmark (tests/bench/jitter.sh): app/call/jitter.c on the playout schedule of
# app/call/playout.c, driven as media.c drives them, against speexdsp's JitterBuffer on the same
# simulated packet traces. Links jitter.c and playout.c alone.
$(OBJ)/tests/bench/jitter_bench.o: CFLAGS_EXTRA += -Iapp/call

$(BUILD)/tests/jitter_bench: $(OBJ)/tests/bench/jitter_bench.o $(OBJ)/app/call/jitter.o \
		$(OBJ)/app/call/playout.o $(VARIANT)
	$(call link,$(call pkg_libs,speexdsp) -lm)

TEST_BINS += $(BUILD)/tests/jitter_bench

.PHONY: bench-jitter
bench-jitter: $(BUILD)/tests/jitter_bench
	$(Q)tests/bench/jitter.sh

# ---------------------------------------------------------------------------------------------
# openline-stats: the collector of anonymized usage counts and the staff dashboard
#
#   make build/openline-stats     the collector
#   make check-stats              its unit tests and tests/stats/run.sh (real server, PostgreSQL,
#                                 headless Chromium)
#   make bench-stats              tests/bench/stats.sh: ingest rate (wrk) against bare INSERTs,
#                                 dashboard render time

STATS_PKGS := libmicrohttpd jansson sqlite3 libpq libsodium libxcrypt icu-uc

STATS_SRCS     := $(wildcard app/stats/*.c app/stats/store/*.c)
# The kiosk's small core helpers: calendar days, the monotonic clock, deadlines, logging.
STATS_LIB_SRCS := $(filter-out app/stats/main.c,$(STATS_SRCS)) \
	$(addprefix app/core/,day.c clock.c util.c log.c)
STATS_LIB_OBJS := $(STATS_LIB_SRCS:%.c=$(OBJ)/%.o)
STATS_OBJS     := $(STATS_LIB_OBJS) $(OBJ)/app/stats/main.o

$(OBJ)/app/stats/%.o: CFLAGS_EXTRA = -Iapp/stats -I$(BUILD)/gen $(call pkg_cflags,$(STATS_PKGS))

# The content pages' English titles for the dashboard (app/stats/names.c), from each page's first
# heading: the collector shows titles, not ids, without reading the kiosk's content at run time.
STATS_PAGES := $(filter-out %/README-content.md,$(wildcard assets/content/*.md))
$(BUILD)/gen/stats_pages.h: $(STATS_PAGES) Makefile
	@mkdir -p $(@D)
	$(Q){ echo '/* Generated from the first heading of each assets/content page by the Makefile. */'; \
	  echo 'static const char *const stats_page_titles[][2] = {'; \
	  for f in $(STATS_PAGES); do \
	    printf '    {"%s", "%s"},\n' "$$(basename $$f .md)" \
	      "$$(sed -n '1s/^# //p' $$f | sed 's/[\\"]/\\&/g')"; \
	  done; echo '};'; } >$@.tmp && mv $@.tmp $@
$(OBJ)/app/stats/names.o: $(BUILD)/gen/stats_pages.h
$(OBJ)/tests/stats/%.o: CFLAGS_EXTRA = -Iapp/stats $(call pkg_cflags,$(STATS_PKGS) cmocka)

$(BUILD)/openline-stats: $(STATS_OBJS) $(VARIANT)
	$(call link,$(call pkg_libs,$(STATS_PKGS)) -lpthread -lm)

ALL_BINS += $(BUILD)/openline-stats

# Unit tests (cmocka), linked against the collector's objects only, not the kiosk's.
STATS_UNIT_SRCS := $(wildcard tests/stats/unit/test_*.c)
STATS_UNIT_BINS := $(STATS_UNIT_SRCS:tests/stats/unit/test_%.c=$(BUILD)/tests/stats_test_%)

$(BUILD)/tests/stats_test_%: $(OBJ)/tests/stats/unit/test_%.o $(STATS_LIB_OBJS) $(VARIANT)
	$(call link,$(call pkg_libs,$(STATS_PKGS) cmocka) -lpthread -lm)

# The benchmark's C loop of bare INSERTs, and its loader of 1,000 kiosks x 52 weeks.
$(BUILD)/tests/stats_bench: $(OBJ)/tests/stats/bench_store.o $(STATS_LIB_OBJS) $(VARIANT)
	$(call link,$(call pkg_libs,$(STATS_PKGS)) -lpthread -lm)

TEST_BINS += $(STATS_UNIT_BINS) $(BUILD)/tests/stats_bench
SUITES += stats

.PHONY: check-stats bench-stats
check-stats: $(BUILD)/openline-stats $(STATS_UNIT_BINS) $(BUILD)/tests/stats_bench
	$(Q)tools/run-tests.sh stats

bench-stats: $(BUILD)/openline-stats $(BUILD)/tests/stats_bench
	$(Q)tests/bench/stats.sh

# ---------------------------------------------------------------------------------------------
# Text engine tests: shaping against hb-shape, the text benchmark, libFuzzer targets
#
#   make build/tests/test_shaping   glyphs and advances of every piece equal hb-shape's
#   make bench                      includes tests/bench/text.sh (build/tests/text_bench)
#   make fuzz                       libFuzzer targets (clang) in build/fuzz/
#   make fuzz-smoke                 each target for FUZZ_SECONDS (20) on tests/fuzz/corpus/<t>/

# ---- shaping test: FreeType rasterises hb-shape's glyph list itself ----------------------------
$(OBJ)/tests/unit/test_shaping.o: CFLAGS_EXTRA += $(call pkg_cflags,freetype2)
$(BUILD)/tests/test_shaping: KIOSK_EXTRA_LIBS += $(call pkg_libs,freetype2)

# ---- text benchmark (tests/bench/text.sh): the page screen's own layout and draw ---------------
$(OBJ)/tests/bench/text_bench.o: CFLAGS_EXTRA += -Iapp/ui

$(BUILD)/tests/text_bench: $(OBJ)/tests/bench/text_bench.o $(KIOSK_LIB_OBJS) $(VARIANT)
	$(call link,$(call pkg_libs,$(KIOSK_PKGS)) $(KIOSK_EXTRA_LIBS))

TEST_BINS += $(BUILD)/tests/text_bench

# ---- read-aloud benchmark (tests/bench/speech.sh): time to first sample, CPU per audio second --
$(BUILD)/tests/speech_bench: $(OBJ)/tests/bench/speech_bench.o $(KIOSK_LIB_OBJS) $(VARIANT)
	$(call link,$(call pkg_libs,$(KIOSK_PKGS)) $(KIOSK_EXTRA_LIBS))

TEST_BINS += $(BUILD)/tests/speech_bench

.PHONY: bench-speech
bench-speech: $(BUILD)/tests/speech_bench
	$(Q)tests/bench/speech.sh

# ---- counts benchmark (tests/bench/counts.sh) -----------------------------------------------
$(OBJ)/tests/bench/counts_bench.o: CFLAGS_EXTRA += -Iapp/counts

$(BUILD)/tests/counts_bench: $(OBJ)/tests/bench/counts_bench.o $(KIOSK_LIB_OBJS) $(VARIANT)
	$(call link,$(call pkg_libs,$(KIOSK_PKGS)) $(KIOSK_EXTRA_LIBS))

# It loads the upload plug-in from its own directory, as the kiosk does.
$(BUILD)/tests/openline-upload.so: $(BUILD)/openline-upload.so
	@mkdir -p $(@D)
	$(Q)cp $< $@

TEST_BINS += $(BUILD)/tests/counts_bench $(BUILD)/tests/openline-upload.so

# ---- libFuzzer targets (tests/fuzz/fuzz_<target>.c), built with clang into build/fuzz/ -------
# Their own objects (build/fuzz/obj), instrumented; the kiosk's non-UI modules only.
FUZZ_CC      ?= clang
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_OBJ     := $(FUZZ_DIR)/obj
FUZZ_SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer
FUZZ_CFLAGS  := -std=c11 -g -O1 -Wall -Wextra -Wno-unused-parameter -Wno-unused-function $(FUZZ_SAN)
FUZZ_SECONDS ?= 20
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
FUZZ_LIB_SRCS = $(CORE_SRCS) $(TEXT_SRCS) $(I18N_SRCS) $(CONTENT_SRCS) \
	$(addprefix app/speech/,ssml.c sentences.c)
FUZZ_LIB_OBJS = $(FUZZ_LIB_SRCS:%.c=$(FUZZ_OBJ)/%.o)

# Rebuild the instrumented objects when the fuzz flags change.
$(FUZZ_DIR)/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(FUZZ_CFLAGS) $(CPPFLAGS_BASE)' | cmp -s - $@ || echo '$(FUZZ_CFLAGS) $(CPPFLAGS_BASE)' > $@

$(FUZZ_OBJ)/%.o: %.c $(FUZZ_DIR)/flags
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CC) $(CPPFLAGS_BASE) -DFUZZ_ROOT='"$(CURDIR)"' $(FUZZ_CFLAGS) \
		-fsanitize=fuzzer-no-link $(call pkg_cflags,$(UI_PKGS)) $(DEPFLAGS) -c -o $@ $<

$(FUZZ_DIR)/fuzz_%: $(FUZZ_OBJ)/tests/fuzz/fuzz_%.o $(FUZZ_LIB_OBJS)
	@$(if $(Q),echo "  FUZZLD  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(call pkg_libs,$(KIOSK_PKGS)) \
		$(KIOSK_EXTRA_LIBS)

# (the objects reached only through the pattern rule are kept: .SECONDARY at the top)

.PHONY: fuzz fuzz-smoke
fuzz: $(FUZZ_BINS)

# Each target for FUZZ_SECONDS on its seeds (tests/fuzz/corpus/<target>/, read only); new inputs go
# to build/fuzz/corpus/<target>/, crashes to build/fuzz/artifacts/.
fuzz-smoke: fuzz
	$(Q)FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/smoke.sh $(FUZZ_TARGETS)

# ---------------------------------------------------------------------------------------------
# Every program, after the sections above added theirs (prerequisites expand when read).
all: $(ALL_BINS) $(ALL_PLUGINS) $(PO_STAMPS)

# ---------------------------------------------------------------------------------------------
# Installation (used by packaging/debian/rules) and the Debian packages.
SYSCONFDIR ?= /etc
DESTDIR    ?=

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/openline \
		$(DESTDIR)$(PREFIX)/lib/openline $(DESTDIR)$(SYSCONFDIR)/openline \
		$(DESTDIR)/lib/systemd/system
	install -m 755 $(ALL_BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(ALL_PLUGINS) $(DESTDIR)$(PREFIX)/lib/openline/
	cp -r assets locales $(DESTDIR)$(PREFIX)/share/openline/
	rm -f $(DESTDIR)$(PREFIX)/share/openline/locales/openline.pot \
		$(DESTDIR)$(PREFIX)/share/openline/locales/REVIEW-*.md
	# Installed: kiosk mode, and no hotline until the deployer names theirs (the number shows).
	sed -e 's/^fullscreen = no/fullscreen = yes/' -e 's|^uri = sip:hotline@127.0.0.1:5070|uri =|' \
		assets/openline.conf.example > $(DESTDIR)$(SYSCONFDIR)/openline/openline.conf
	chmod 640 $(DESTDIR)$(SYSCONFDIR)/openline/openline.conf
	install -m 644 packaging/systemd/*.service $(DESTDIR)/lib/systemd/system/

deb:
	$(Q)tools/deps.sh debhelper dpkg-dev fakeroot cage
	$(Q)rm -rf $(BUILD)/deb && mkdir -p $(BUILD)/deb/src
	$(Q)git archive HEAD | tar -x -C $(BUILD)/deb/src
	$(Q)cp -r packaging/debian $(BUILD)/deb/src/debian
	$(Q)cd $(BUILD)/deb/src && dpkg-buildpackage -us -uc -b
	@ls -1 $(BUILD)/deb/*.deb

# The packages as a deployer gets them (tests/deb/run.sh): make deb from the committed tree,
# lintian, systemd-analyze verify and security of both units, the kiosk's watchdog. Part of
# make check (SUITES); the install test in a clean Debian 12 root is make check-long's.
SUITES += deb
check-deb: all
	$(Q)tools/run-tests.sh deb

# A clean Debian 12 root made by mmdebstrap from the archive: both packages installed with apt,
# self-test and --version inside, an upgrade keeping the configuration and spool, a purge.
check-install: all
	$(Q)tests/deb/install.sh

# ---------------------------------------------------------------------------------------------
.PHONY: install deb check-deb check-install
.PHONY: all deps run check check-all check-unit check-flow check-ui check-i18n check-counts check-speech check-long bench \
	lint format clean pot po i18n-report FORCE

deps:
	$(Q)tools/deps.sh $(DEB_PKGS)

run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tools/run.sh

check: deps
	$(Q)$(MAKE) --no-print-directory check-all

# Suites: unit (cmocka binaries), then tests/<suite>/run.sh for every suite in SUITES.
SUITES += flow ui i18n counts

check-all: all $(UNIT_BINS) $(TEST_BINS)
	$(Q)tools/lint.sh
	$(Q)tools/run-tests.sh unit $(UNIT_BINS) -- $(SUITES)

check-unit: all $(UNIT_BINS)
	$(Q)tools/run-tests.sh unit $(UNIT_BINS)

check-flow check-ui check-i18n check-counts: check-%: all $(TEST_BINS)
	$(Q)tools/run-tests.sh $*

# Too long for make check: the packages installed, upgraded and purged in a clean Debian 12 root
# (tests/deb/install.sh); the kiosk killed at 100 random moments; thousands of visitors through
# every language and page, resident memory held to its target at 1080p and 4K.
check-long: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tests/deb/install.sh
	$(Q)tests/counts/kill.sh 100
	$(Q)tests/flow/soak.sh --sessions 3000 --sample 100 --size 1920x1080
	$(Q)tests/flow/soak.sh --sessions 2000 --sample 100 --size 3840x2160

bench: deps
	$(Q)$(MAKE) --no-print-directory all $(TEST_BINS)
	$(Q)tests/bench/run.sh

lint:
	$(Q)tools/lint.sh

format:
	$(Q)clang-format -i $$(git ls-files --cached --others --exclude-standard '*.c' '*.h')

clean:
	rm -rf $(BUILD)

FORCE:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
