# Text engine tests: shaping against hb-shape, the text benchmark, libFuzzer targets.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   make build/tests/test_shaping   glyphs and advances of every piece equal hb-shape's
#   make bench                      includes tests/bench/text.sh (build/tests/text_bench)
#   make fuzz                       libFuzzer targets (clang) in build/fuzz/
#   make fuzz-smoke                 each target for FUZZ_SECONDS (20) on tests/fuzz/corpus/<t>/

DEB_PKGS += libharfbuzz-bin libfreetype-dev clang libclang-rt-14-dev

# ---- shaping test: FreeType rasterises hb-shape's glyph list itself ----------------------------
$(OBJ)/tests/unit/test_shaping.o: CFLAGS_EXTRA += $(call pkg_cflags,freetype2)
$(BUILD)/tests/test_shaping: KIOSK_EXTRA_LIBS += $(call pkg_libs,freetype2)

# ---- text benchmark (tests/bench/text.sh): the page screen's own layout and draw ---------------
$(OBJ)/tests/bench/text_bench.o: CFLAGS_EXTRA += -Iapp/ui

# The Makefile sets KIOSK_LIB_OBJS after reading mk/*.mk, so the objects are derived here from the
# sources (the fragments read before this one have added theirs).
$(BUILD)/tests/text_bench: $(OBJ)/tests/bench/text_bench.o $(KIOSK_LIB_SRCS:%.c=$(OBJ)/%.o)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_BASE) -o $@ $^ $(call pkg_libs,$(KIOSK_PKGS)) $(KIOSK_EXTRA_LIBS)

TEST_BINS += $(BUILD)/tests/text_bench

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
FUZZ_LIB_SRCS = $(CORE_SRCS) $(TEXT_SRCS) $(I18N_SRCS) $(CONTENT_SRCS)
FUZZ_LIB_OBJS = $(FUZZ_LIB_SRCS:%.c=$(FUZZ_OBJ)/%.o)

# Rebuild the instrumented objects when the fuzz flags change.
$(FUZZ_DIR)/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(FUZZ_CFLAGS) $(CPPFLAGS_BASE)' | cmp -s - $@ || echo '$(FUZZ_CFLAGS) $(CPPFLAGS_BASE)' > $@

$(FUZZ_OBJ)/%.o: %.c $(FUZZ_DIR)/flags
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CC) $(CPPFLAGS_BASE) -DFUZZ_ROOT='"$(CURDIR)"' $(FUZZ_CFLAGS) \
		-fsanitize=fuzzer-no-link $(call pkg_cflags,$(KIOSK_PKGS)) $(DEPFLAGS) -c -o $@ $<

$(FUZZ_DIR)/fuzz_%: $(FUZZ_OBJ)/tests/fuzz/fuzz_%.o $(FUZZ_LIB_OBJS)
	@$(if $(Q),echo "  FUZZLD  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(call pkg_libs,$(KIOSK_PKGS)) \
		$(KIOSK_EXTRA_LIBS)

# Reached only through the pattern rule above: keep them, or make deletes them as intermediates.
.SECONDARY: $(FUZZ_LIB_OBJS) $(FUZZ_TARGETS:%=$(FUZZ_OBJ)/tests/fuzz/fuzz_%.o)

.PHONY: fuzz fuzz-smoke
fuzz: $(FUZZ_BINS)

# Each target for FUZZ_SECONDS on its seeds (tests/fuzz/corpus/<target>/, read only); new inputs go
# to build/fuzz/corpus/<target>/, crashes to build/fuzz/artifacts/.
fuzz-smoke: fuzz
	$(Q)FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/smoke.sh $(FUZZ_TARGETS)
